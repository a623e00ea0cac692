#include "deploy/handler_operations.h"

#include <algorithm>
#include <array>

namespace rawfeed::deploy {

namespace s3_api = aws::s3_api;
namespace sqs_api = aws::sqs_api;
namespace logs_api = aws::logs_api;
namespace kms_api = aws::kms_api;
namespace events_api = aws::events_api;
namespace ec2_api = aws::ec2_api;

namespace {

// Lambda attaches a function to a VPC through network interfaces it creates in the function's
// subnets with the function's role. The ENIs do not exist before Lambda creates them and the
// Describe call has no resource-level permissions, so AWS's own managed policy
// (AWSLambdaVPCAccessExecutionRole) grants these on "*"; nothing narrower works.
constexpr std::array kWildcards = {
    WildcardAllowance{"ec2:CreateNetworkInterface",
                      "VPC attachment: Lambda creates the function's ENIs; their ARNs do not exist "
                      "before the call"},
    WildcardAllowance{"ec2:DescribeNetworkInterfaces",
                      "VPC attachment: EC2 Describe* actions support no resource-level "
                      "permissions"},
    WildcardAllowance{"ec2:DeleteNetworkInterface",
                      "VPC attachment: Lambda deletes the ENIs it created, whose ids are unknown "
                      "to the stack"},
    WildcardAllowance{"ec2:AssignPrivateIpAddresses",
                      "VPC attachment: on Lambda-created ENIs, unknown to the stack"},
    WildcardAllowance{"ec2:UnassignPrivateIpAddresses",
                      "VPC attachment: on Lambda-created ENIs, unknown to the stack"},
};

struct ResourceOperation {
  ApiOperation operation;
  ResourceKind resource;
};

// What a pipeline component calls on the lake and the queue. These lists follow the code:
// a component that starts calling something new must say so here, and the least-privilege
// tests then grant it (tests/unit/deploy/registry_replay_test.cpp replays the components against
// recording backends to check that nothing is missing).
struct ComponentCalls {
  const char* component;
  std::vector<StoreCall> store;
  std::vector<QueueCall> queue;
};

std::vector<ComponentCalls> orchestratorComponents(const HandlerSetup& setup) {
  std::vector<ComponentCalls> components;
  if (setup.lake_on_s3) {
    components.push_back(
        {"app::AwsBackends::openLake (bucket check at start-up)", {StoreCall::kCheckBucket}, {}});
    if (setup.tracker_in_lake) {
      components.push_back(
          {"tracker::LakeBatchTracker (registerBatch, snapshot, markSent)",
           {StoreCall::kPutCreateOnly, StoreCall::kPut, StoreCall::kGet, StoreCall::kList},
           {}});
    }
  }
  components.push_back(
      {"app::AwsBackends::openQueue (queue and DLQ resolved at start-up)", {}, {QueueCall::kOpen}});
  components.push_back({"pipeline::Orchestrator (chunk messages)", {}, {QueueCall::kSend}});
  return components;
}

std::vector<ComponentCalls> workerComponents(const HandlerSetup& setup) {
  std::vector<ComponentCalls> components;
  if (setup.lake_on_s3) {
    components.push_back(
        {"app::AwsBackends::openLake (bucket check at start-up)", {StoreCall::kCheckBucket}, {}});
    components.push_back({"pipeline::ObjectWriter (raw objects; existing ones read back)",
                          {StoreCall::kPutCreateOnly, StoreCall::kPut, StoreCall::kGet},
                          {}});
    components.push_back({"pipeline::BatchFinalizer (manifests)", {StoreCall::kPut}, {}});
    if (setup.tracker_in_lake) {
      components.push_back(
          {"tracker::LakeBatchTracker (recordChunks, chunk progress, snapshot, markEventPublished)",
           {StoreCall::kPutCreateOnly, StoreCall::kPut, StoreCall::kGet, StoreCall::kList},
           {}});
      if (setup.events != HandlerSetup::Events::kNone) {
        // Removing a delivered event is granted on pending/ alone (handlerOperations).
        components.push_back(
            {"events::lake_outbox::LakeOutboxEventSink (pending events, delivered markers)",
             {StoreCall::kPutCreateOnly, StoreCall::kGet, StoreCall::kHead, StoreCall::kList},
             {}});
      }
    }
  }
  components.push_back(
      {"app::AwsBackends::openQueue (queue and DLQ resolved at start-up)", {}, {QueueCall::kOpen}});
  components.push_back({"lambda worker (visibility extended with backoff on a throttled source)",
                        {},
                        {QueueCall::kChangeVisibility}});
  return components;
}

std::vector<ResourceOperation> s3ResourceOperations(StoreCall call, ConditionalCreateMode mode) {
  using K = ResourceKind;
  switch (call) {
    case StoreCall::kPut:
      return {{s3_api::kPutObject, K::kLakeObjects}};
    case StoreCall::kPutCreateOnly:
      // If-None-Match: * where the server honours it; HEAD then PUT where it does not (never,
      // or auto when the probe found the header ignored).
      if (mode == ConditionalCreateMode::kAlways)
        return {{s3_api::kPutObject, K::kLakeObjects}};
      return {{s3_api::kPutObject, K::kLakeObjects}, {s3_api::kHeadObject, K::kLakeObjects}};
    case StoreCall::kGet:
      return {{s3_api::kGetObject, K::kLakeObjects}};
    case StoreCall::kHead:
      return {{s3_api::kHeadObject, K::kLakeObjects}};
    case StoreCall::kList:
      return {{s3_api::kListObjectsV2, K::kLakeBucket}};
    case StoreCall::kRemove:
      return {{s3_api::kDeleteObject, K::kLakeObjects}};
    case StoreCall::kCheckBucket:
      // One-key list; with auto, the probe writes and removes a throw-away object.
      if (mode != ConditionalCreateMode::kAuto)
        return {{s3_api::kListObjectsV2, K::kLakeBucket}};
      return {{s3_api::kListObjectsV2, K::kLakeBucket},
              {s3_api::kPutObject, K::kLakeObjects},
              {s3_api::kDeleteObject, K::kLakeProbeObjects}};
  }
  return {};
}

std::vector<ResourceOperation> sqsResourceOperations(QueueCall call, bool queue_named) {
  using K = ResourceKind;
  switch (call) {
    case QueueCall::kOpen: {
      // resolveQueueNames: the queue's URL (when named), its ARN and RedrivePolicy, then the
      // DLQ's URL by name and its ARN.
      std::vector<ResourceOperation> operations;
      if (queue_named)
        operations.push_back({sqs_api::kGetQueueUrl, K::kQueue});
      operations.push_back({sqs_api::kGetQueueAttributes, K::kQueue});
      operations.push_back({sqs_api::kGetQueueUrl, K::kDeadLetterQueue});
      operations.push_back({sqs_api::kGetQueueAttributes, K::kDeadLetterQueue});
      return operations;
    }
    case QueueCall::kSend:
      return {{sqs_api::kSendMessageBatch, K::kQueue}};
    case QueueCall::kReceive:
      return {{sqs_api::kReceiveMessage, K::kQueue}};
    case QueueCall::kDelete:
      return {{sqs_api::kDeleteMessageBatch, K::kQueue}};
    case QueueCall::kChangeVisibility:
      return {{sqs_api::kChangeMessageVisibility, K::kQueue}};
    case QueueCall::kStats:
      return {{sqs_api::kGetQueueAttributes, K::kQueue},
              {sqs_api::kGetQueueAttributes, K::kDeadLetterQueue}};
    case QueueCall::kListDeadLetters:
      return {{sqs_api::kReceiveMessage, K::kDeadLetterQueue},
              {sqs_api::kChangeMessageVisibilityBatch, K::kDeadLetterQueue}};
    case QueueCall::kRedrive:
      return {{sqs_api::kStartMessageMoveTask, K::kDeadLetterQueue},
              {sqs_api::kListMessageMoveTasks, K::kDeadLetterQueue},
              {sqs_api::kReceiveMessage, K::kDeadLetterQueue},
              {sqs_api::kSendMessageBatch, K::kQueue},
              {sqs_api::kDeleteMessageBatch, K::kDeadLetterQueue}};
    case QueueCall::kPurgeDeadLetters:
      return {{sqs_api::kPurgeQueue, K::kDeadLetterQueue},
              {sqs_api::kReceiveMessage, K::kDeadLetterQueue},
              {sqs_api::kDeleteMessageBatch, K::kDeadLetterQueue}};
  }
  return {};
}

const char* storeCallName(StoreCall call) {
  switch (call) {
    case StoreCall::kPut:
      return "put";
    case StoreCall::kPutCreateOnly:
      return "put create-only";
    case StoreCall::kGet:
      return "get";
    case StoreCall::kHead:
      return "head";
    case StoreCall::kList:
      return "list";
    case StoreCall::kRemove:
      return "remove";
    case StoreCall::kCheckBucket:
      return "checkBucket";
  }
  return "?";
}

const char* queueCallName(QueueCall call) {
  switch (call) {
    case QueueCall::kOpen:
      return "open";
    case QueueCall::kSend:
      return "send";
    case QueueCall::kReceive:
      return "receive";
    case QueueCall::kDelete:
      return "delete";
    case QueueCall::kChangeVisibility:
      return "changeVisibility";
    case QueueCall::kStats:
      return "stats";
    case QueueCall::kListDeadLetters:
      return "listDeadLetters";
    case QueueCall::kRedrive:
      return "redrive";
    case QueueCall::kPurgeDeadLetters:
      return "purgeDeadLetters";
  }
  return "?";
}

// Adds a use, merging the reason into an existing (operation, resource) entry.
void addUse(std::vector<OperationUse>& uses, const ApiOperation& operation, ResourceKind resource,
            Performer performer, const std::string& why) {
  for (auto& use : uses) {
    if (use.operation == operation && use.resource == resource) {
      if (use.why.find(why) == std::string::npos)
        use.why += "; " + why;
      return;
    }
  }
  uses.push_back({operation, resource, performer, why});
}

}  // namespace

const char* resourceKindName(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kQueue:
      return "queue";
    case ResourceKind::kDeadLetterQueue:
      return "dead-letter queue";
    case ResourceKind::kLakeBucket:
      return "lake bucket (prefix condition)";
    case ResourceKind::kLakeObjects:
      return "lake objects";
    case ResourceKind::kLakeProbeObjects:
      return "lake probe objects";
    case ResourceKind::kLakePendingEvents:
      return "lake outbox pending events";
    case ResourceKind::kLogGroup:
      return "log group";
    case ResourceKind::kKmsKey:
      return "KMS key";
    case ResourceKind::kEventBus:
      return "event bus";
    case ResourceKind::kEventQueue:
      return "event queue";
    case ResourceKind::kConfigObject:
      return "config object";
    case ResourceKind::kAnyNetworkInterface:
      return "any network interface";
  }
  return "?";
}

const char* performerName(Performer performer) {
  switch (performer) {
    case Performer::kHandlerCode:
      return "handler code";
    case Performer::kEventSourceMapping:
      return "event source mapping";
    case Performer::kLambdaService:
      return "Lambda service";
    case Performer::kKeyUser:
      return "S3/SQS on the caller's behalf";
  }
  return "?";
}

const char* handlerName(Handler handler) {
  return handler == Handler::kOrchestrator ? "orchestrator" : "worker";
}

std::vector<ApiOperation> s3OperationsOf(StoreCall call, ConditionalCreateMode mode) {
  std::vector<ApiOperation> operations;
  for (const auto& used : s3ResourceOperations(call, mode))
    operations.push_back(used.operation);
  return operations;
}

std::vector<ApiOperation> sqsOperationsOf(QueueCall call, bool queue_named) {
  std::vector<ApiOperation> operations;
  for (const auto& used : sqsResourceOperations(call, queue_named)) {
    if (std::find(operations.begin(), operations.end(), used.operation) == operations.end()) {
      operations.push_back(used.operation);
    }
  }
  return operations;
}

std::vector<OperationUse> handlerOperations(Handler handler, const HandlerSetup& setup) {
  std::vector<OperationUse> uses;
  const auto components =
      handler == Handler::kOrchestrator ? orchestratorComponents(setup) : workerComponents(setup);
  for (const auto& component : components) {
    for (const StoreCall call : component.store) {
      for (const auto& used : s3ResourceOperations(call, setup.conditional_create)) {
        addUse(uses, used.operation, used.resource, Performer::kHandlerCode,
               std::string(component.component) + ": " + storeCallName(call));
      }
    }
    for (const QueueCall call : component.queue) {
      for (const auto& used : sqsResourceOperations(call, setup.queue_named)) {
        addUse(uses, used.operation, used.resource, Performer::kHandlerCode,
               std::string(component.component) + ": " + queueCallName(call));
      }
    }
  }
  if (setup.config_in_s3) {
    addUse(uses, s3_api::kGetObject, ResourceKind::kConfigObject, Performer::kHandlerCode,
           "lambda init: the config read from RAWFEED_CONFIG");
  }
  if (handler == Handler::kWorker) {
    // The batch finalizer publishes the completion event from whichever worker records the
    // last chunk.
    const std::string sink = "events sink (completion event)";
    if (setup.events == HandlerSetup::Events::kEventBridge) {
      addUse(uses, events_api::kPutEvents, ResourceKind::kEventBus, Performer::kHandlerCode, sink);
    } else if (setup.events == HandlerSetup::Events::kSqs) {
      if (setup.event_queue_named) {
        addUse(uses, sqs_api::kGetQueueUrl, ResourceKind::kEventQueue, Performer::kHandlerCode,
               sink);
      }
      addUse(uses, sqs_api::kSendMessage, ResourceKind::kEventQueue, Performer::kHandlerCode, sink);
    }
    // The lake outbox removes an event from pending/ once the sink has it, so that finding
    // pending events stays one short LIST; delivered markers are never removed.
    if (setup.events != HandlerSetup::Events::kNone && setup.lake_on_s3 && setup.tracker_in_lake) {
      addUse(uses, s3_api::kDeleteObject, ResourceKind::kLakePendingEvents, Performer::kHandlerCode,
             "events::lake_outbox::LakeOutboxEventSink: a delivered event leaves pending/");
    }
    // Lambda's poller receives the chunk messages with the worker's role and deletes those the
    // handler did not report as failures.
    const std::string mapping = "SQS event source mapping (Lambda's poller, not our code)";
    for (const auto& operation :
         {sqs_api::kReceiveMessage, sqs_api::kDeleteMessage, sqs_api::kGetQueueAttributes}) {
      addUse(uses, operation, ResourceKind::kQueue, Performer::kEventSourceMapping, mapping);
    }
  }
  if (setup.kms_key) {
    // SSE-KMS on the queue and the bucket: SQS and S3 ask KMS with the caller's identity.
    const std::string key_use =
        "SSE-KMS of the queue and the lake (sending, receiving, reading, "
        "writing encrypted data)";
    addUse(uses, kms_api::kGenerateDataKey, ResourceKind::kKmsKey, Performer::kKeyUser, key_use);
    addUse(uses, kms_api::kDecrypt, ResourceKind::kKmsKey, Performer::kKeyUser, key_use);
  }
  const std::string logging = "Lambda writes the function's logs to its own log group";
  addUse(uses, logs_api::kCreateLogStream, ResourceKind::kLogGroup, Performer::kLambdaService,
         logging);
  addUse(uses, logs_api::kPutLogEvents, ResourceKind::kLogGroup, Performer::kLambdaService,
         logging);
  if (setup.vpc) {
    const std::string vpc = "Lambda attaches the function to the configured VPC";
    for (const auto& operation :
         {ec2_api::kCreateNetworkInterface, ec2_api::kDescribeNetworkInterfaces,
          ec2_api::kDeleteNetworkInterface, ec2_api::kAssignPrivateIpAddresses,
          ec2_api::kUnassignPrivateIpAddresses}) {
      addUse(uses, operation, ResourceKind::kAnyNetworkInterface, Performer::kLambdaService, vpc);
    }
  }
  return uses;
}

std::set<std::string> iamActions(std::span<const OperationUse> uses) {
  std::set<std::string> actions;
  for (const auto& use : uses)
    actions.emplace(use.operation.iam_action);
  return actions;
}

std::set<std::string> iamActionsOn(std::span<const OperationUse> uses, ResourceKind resource) {
  std::set<std::string> actions;
  for (const auto& use : uses) {
    if (use.resource == resource)
      actions.emplace(use.operation.iam_action);
  }
  return actions;
}

std::span<const WildcardAllowance> wildcardAllowList() {
  return kWildcards;
}

}  // namespace rawfeed::deploy
