#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/api_operations.h"

// The IAM side of a deployment: which AWS operations (aws/api_operations.h) each deployed
// handler's components perform, on which of the domain's resources. It describes the pipeline's
// and the tracker's components from the deployment's side, so it lives here, beside the policies
// written from it, not in the aws layer below them.
namespace rawfeed::deploy {

using aws::ApiOperation;
// Which operations a deployed handler performs, on which of the domain's resources.

// The domain's resources as a stack names them: a grant is one of these, never "anything".
enum class ResourceKind {
  kQueue,                // the domain's chunk queue
  kDeadLetterQueue,      // its DLQ (found through the queue's RedrivePolicy)
  kLakeBucket,           // the bucket itself, for ListBucket, narrowed by an s3:prefix condition
  kLakeObjects,          // objects under the lake prefix
  kLakeProbeObjects,     // the conditional-create probe's throw-away objects (_rawfeed/probes/)
  kLakePendingEvents,    // the lake event outbox's pending events (_rawfeed/events/*/pending/*)
  kLogGroup,             // the function's own log group
  kKmsKey,               // the domain's key, when one is configured
  kEventBus,             // the completion-event bus (events = "eventbridge://BUS")
  kEventQueue,           // the completion-event queue (events = "sqs://NAME")
  kConfigObject,         // the config file, when RAWFEED_CONFIG is an s3:// URI
  kAnyNetworkInterface,  // VPC attachment: AWS offers nothing narrower (see kAllowListed)
};
const char* resourceKindName(ResourceKind kind);

// Who makes the call with the function's role.
enum class Performer {
  kHandlerCode,         // rawfeed's own requests
  kEventSourceMapping,  // Lambda's SQS poller, for the worker: not our code, but our role
  kLambdaService,       // Lambda itself: logs, VPC network interfaces
  kKeyUser,             // S3/SQS calling KMS on our behalf for a request of ours
};
const char* performerName(Performer performer);

struct OperationUse {
  ApiOperation operation;
  ResourceKind resource;
  Performer performer;
  std::string why;  // the component and call that needs it: "tracker::LakeBatchTracker: ..."
};

enum class Handler { kOrchestrator, kWorker };
const char* handlerName(Handler handler);

// The calls the pipeline's components make on their backends' interfaces.
enum class StoreCall { kPut, kPutCreateOnly, kGet, kHead, kList, kRemove, kCheckBucket };
enum class QueueCall {
  kOpen,
  kSend,
  kReceive,
  kDelete,
  kChangeVisibility,
  kStats,
  kListDeadLetters,
  kRedrive,
  kPurgeDeadLetters
};

// How the S3 object store makes create-only puts (store/s3 ConditionalCreate).
enum class ConditionalCreateMode { kAuto, kAlways, kNever };

// What a handler is composed of for one domain: the facts of the domain config that change the
// operations (the deploy module derives it from the config; `rawfeed lambda` composes the same).
struct HandlerSetup {
  bool lake_on_s3 = true;
  bool tracker_in_lake = true;  // in Lambda there is no shared local state: always the lake
  ConditionalCreateMode conditional_create = ConditionalCreateMode::kAuto;
  bool queue_named = false;  // sqs://NAME (GetQueueUrl) rather than the queue's URL
  // kNone: the local log only; kWebhook: a remote sink that needs no AWS action of its own (but,
  // as every remote sink, the lake outbox in front of it when the tracker is the lake).
  enum class Events { kNone, kEventBridge, kSqs, kWebhook } events = Events::kNone;
  // sqs://NAME: the sink looks the queue's URL up (GetQueueUrl); a URL is used as given.
  bool event_queue_named = false;
  bool kms_key = false;
  bool vpc = false;
  bool config_in_s3 = false;  // RAWFEED_CONFIG = s3://bucket/key: read at init
};

// The S3 requests S3ObjectStore makes for one interface call (store/s3/s3_object_store.cpp).
std::vector<ApiOperation> s3OperationsOf(StoreCall call, ConditionalCreateMode mode);
// The SQS requests SqsQueue makes for one interface call (queue/sqs/sqs_queue.cpp).
std::vector<ApiOperation> sqsOperationsOf(QueueCall call, bool queue_named);

// Every operation the handler's role must allow, each with its resource and reason; one entry
// per (operation, resource), in a fixed order.
std::vector<OperationUse> handlerOperations(Handler handler, const HandlerSetup& setup);

// The IAM actions of `uses`: of all of them, or of those on one resource.
std::set<std::string> iamActions(std::span<const OperationUse> uses);
std::set<std::string> iamActionsOn(std::span<const OperationUse> uses, ResourceKind resource);

// Grants whose resource must be "*" because AWS has no narrower one, with the reason: the
// deploy module writes these, the least-privilege test accepts only these.
struct WildcardAllowance {
  std::string_view iam_action;
  std::string_view reason;
};
std::span<const WildcardAllowance> wildcardAllowList();

}  // namespace rawfeed::deploy
