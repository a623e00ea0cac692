#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rawfeed::aws {

// One AWS API operation rawfeed's code can call, with the IAM action that authorises it. The
// backends name their requests through these constants (S3Call::operation, SqsClient::call), so
// the name a request carries and the action a deployment grants come from one place.
struct ApiOperation {
  std::string_view service;     // "s3", "sqs": the signing service
  std::string_view name;        // "PutObject": the API's own name, as requests and logs say it
  std::string_view iam_action;  // "s3:PutObject": several operations may share one action
};

inline bool operator==(const ApiOperation& a, const ApiOperation& b) {
  return a.service == b.service && a.name == b.name;
}

namespace s3_api {
inline constexpr ApiOperation kPutObject{"s3", "PutObject", "s3:PutObject"};
inline constexpr ApiOperation kGetObject{"s3", "GetObject", "s3:GetObject"};
inline constexpr ApiOperation kHeadObject{"s3", "HeadObject", "s3:GetObject"};
inline constexpr ApiOperation kListObjectsV2{"s3", "ListObjectsV2", "s3:ListBucket"};
inline constexpr ApiOperation kDeleteObject{"s3", "DeleteObject", "s3:DeleteObject"};
}  // namespace s3_api

namespace sqs_api {
inline constexpr ApiOperation kSendMessage{"sqs", "SendMessage", "sqs:SendMessage"};
inline constexpr ApiOperation kSendMessageBatch{"sqs", "SendMessageBatch", "sqs:SendMessage"};
inline constexpr ApiOperation kReceiveMessage{"sqs", "ReceiveMessage", "sqs:ReceiveMessage"};
inline constexpr ApiOperation kDeleteMessage{"sqs", "DeleteMessage", "sqs:DeleteMessage"};
inline constexpr ApiOperation kDeleteMessageBatch{"sqs", "DeleteMessageBatch", "sqs:DeleteMessage"};
inline constexpr ApiOperation kChangeMessageVisibility{"sqs", "ChangeMessageVisibility",
                                                       "sqs:ChangeMessageVisibility"};
inline constexpr ApiOperation kChangeMessageVisibilityBatch{"sqs", "ChangeMessageVisibilityBatch",
                                                            "sqs:ChangeMessageVisibility"};
inline constexpr ApiOperation kGetQueueUrl{"sqs", "GetQueueUrl", "sqs:GetQueueUrl"};
inline constexpr ApiOperation kGetQueueAttributes{"sqs", "GetQueueAttributes",
                                                  "sqs:GetQueueAttributes"};
inline constexpr ApiOperation kSetQueueAttributes{"sqs", "SetQueueAttributes",
                                                  "sqs:SetQueueAttributes"};
inline constexpr ApiOperation kCreateQueue{"sqs", "CreateQueue", "sqs:CreateQueue"};
inline constexpr ApiOperation kPurgeQueue{"sqs", "PurgeQueue", "sqs:PurgeQueue"};
inline constexpr ApiOperation kStartMessageMoveTask{"sqs", "StartMessageMoveTask",
                                                    "sqs:StartMessageMoveTask"};
inline constexpr ApiOperation kListMessageMoveTasks{"sqs", "ListMessageMoveTasks",
                                                    "sqs:ListMessageMoveTasks"};
}  // namespace sqs_api

namespace logs_api {
inline constexpr ApiOperation kCreateLogStream{"logs", "CreateLogStream", "logs:CreateLogStream"};
inline constexpr ApiOperation kPutLogEvents{"logs", "PutLogEvents", "logs:PutLogEvents"};
}  // namespace logs_api

namespace kms_api {
inline constexpr ApiOperation kGenerateDataKey{"kms", "GenerateDataKey", "kms:GenerateDataKey"};
inline constexpr ApiOperation kDecrypt{"kms", "Decrypt", "kms:Decrypt"};
}  // namespace kms_api

namespace events_api {
inline constexpr ApiOperation kPutEvents{"events", "PutEvents", "events:PutEvents"};
}  // namespace events_api

namespace lambda_api {
inline constexpr ApiOperation kInvokeFunction{"lambda", "Invoke", "lambda:InvokeFunction"};
}  // namespace lambda_api

namespace ec2_api {
inline constexpr ApiOperation kCreateNetworkInterface{"ec2", "CreateNetworkInterface",
                                                      "ec2:CreateNetworkInterface"};
inline constexpr ApiOperation kDescribeNetworkInterfaces{"ec2", "DescribeNetworkInterfaces",
                                                         "ec2:DescribeNetworkInterfaces"};
inline constexpr ApiOperation kDeleteNetworkInterface{"ec2", "DeleteNetworkInterface",
                                                      "ec2:DeleteNetworkInterface"};
inline constexpr ApiOperation kAssignPrivateIpAddresses{"ec2", "AssignPrivateIpAddresses",
                                                        "ec2:AssignPrivateIpAddresses"};
inline constexpr ApiOperation kUnassignPrivateIpAddresses{"ec2", "UnassignPrivateIpAddresses",
                                                          "ec2:UnassignPrivateIpAddresses"};
}  // namespace ec2_api

// Every operation above, in a fixed order.
std::span<const ApiOperation> allOperations();
// nullptr when the code never calls it.
const ApiOperation* findOperation(std::string_view service, std::string_view name);

// ---------------------------------------------------------------------------------------------
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

}  // namespace rawfeed::aws
