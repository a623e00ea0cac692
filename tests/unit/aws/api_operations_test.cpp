#include "aws/api_operations.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace rawfeed::aws {
namespace {

using Actions = std::set<std::string>;

TEST(ApiOperations, EveryOperationIsFoundByServiceAndNameAndNamesAnActionOfItsService) {
  std::set<std::string> seen;
  for (const auto& operation : allOperations()) {
    const auto* found = findOperation(operation.service, operation.name);
    ASSERT_NE(found, nullptr) << operation.name;
    EXPECT_EQ(found->iam_action, operation.iam_action);
    const std::string prefix = std::string(operation.service) + ":";
    EXPECT_EQ(std::string(operation.iam_action).rfind(prefix, 0), 0u) << operation.iam_action;
    EXPECT_EQ(std::string(operation.iam_action).find('*'), std::string::npos);
    EXPECT_TRUE(
        seen.insert(std::string(operation.service) + "." + std::string(operation.name)).second)
        << "listed twice: " << operation.name;
  }
  EXPECT_EQ(findOperation("s3", "CopyObject"), nullptr);
}

TEST(ApiOperations, SeveralOperationsShareOneAction) {
  EXPECT_EQ(s3_api::kHeadObject.iam_action, "s3:GetObject");
  EXPECT_EQ(s3_api::kListObjectsV2.iam_action, "s3:ListBucket");
  EXPECT_EQ(sqs_api::kSendMessageBatch.iam_action, "sqs:SendMessage");
  EXPECT_EQ(sqs_api::kDeleteMessageBatch.iam_action, "sqs:DeleteMessage");
  EXPECT_EQ(sqs_api::kChangeMessageVisibilityBatch.iam_action, "sqs:ChangeMessageVisibility");
}

TEST(ApiOperations, CreateOnlyPutsNeedHeadUnlessConditionalWritesAreCertain) {
  const auto always = s3OperationsOf(StoreCall::kPutCreateOnly, ConditionalCreateMode::kAlways);
  ASSERT_EQ(always.size(), 1u);
  EXPECT_EQ(always[0], s3_api::kPutObject);
  const auto automatic = s3OperationsOf(StoreCall::kPutCreateOnly, ConditionalCreateMode::kAuto);
  EXPECT_EQ(automatic.size(), 2u);
  const auto check = s3OperationsOf(StoreCall::kCheckBucket, ConditionalCreateMode::kAuto);
  EXPECT_EQ(check.size(), 3u);  // list, probe put, probe delete
  EXPECT_EQ(s3OperationsOf(StoreCall::kCheckBucket, ConditionalCreateMode::kNever).size(), 1u);
}

TEST(ApiOperations, OpeningAQueueByUrlResolvesOnlyTheDlqByName) {
  const auto by_url = sqsOperationsOf(QueueCall::kOpen, false);
  EXPECT_EQ(by_url.size(), 2u);  // GetQueueAttributes (both), GetQueueUrl (DLQ)
  HandlerSetup setup;
  const auto uses = handlerOperations(Handler::kOrchestrator, setup);
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kQueue),
            (Actions{"sqs:GetQueueAttributes", "sqs:SendMessage"}));
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kDeadLetterQueue),
            (Actions{"sqs:GetQueueAttributes", "sqs:GetQueueUrl"}));
  setup.queue_named = true;
  EXPECT_EQ(iamActionsOn(handlerOperations(Handler::kOrchestrator, setup), ResourceKind::kQueue),
            (Actions{"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"}));
}

TEST(ApiOperations, OrchestratorSendsAndKeepsTheTrackerInTheLake) {
  const auto uses = handlerOperations(Handler::kOrchestrator, HandlerSetup{});
  EXPECT_EQ(iamActions(uses),
            (Actions{"logs:CreateLogStream", "logs:PutLogEvents", "s3:DeleteObject", "s3:GetObject",
                     "s3:ListBucket", "s3:PutObject", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                     "sqs:SendMessage"}));
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kLakeProbeObjects), (Actions{"s3:DeleteObject"}));
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kLakeObjects),
            (Actions{"s3:GetObject", "s3:PutObject"}));
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kLakeBucket), (Actions{"s3:ListBucket"}));
  for (const auto& use : uses) {
    EXPECT_FALSE(use.why.empty()) << use.operation.name;
    EXPECT_NE(use.performer, Performer::kEventSourceMapping) << use.operation.name;
  }
}

TEST(ApiOperations, WorkerGetsTheEventSourceMappingsActionsMarkedAsSuch) {
  const auto uses = handlerOperations(Handler::kWorker, HandlerSetup{});
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kQueue),
            (Actions{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                     "sqs:ReceiveMessage"}));
  int by_mapping = 0;
  for (const auto& use : uses) {
    if (use.performer == Performer::kEventSourceMapping) {
      ++by_mapping;
      EXPECT_EQ(use.resource, ResourceKind::kQueue);
    }
  }
  EXPECT_EQ(by_mapping, 2);  // Receive and Delete; GetQueueAttributes is also our own call
  EXPECT_EQ(iamActions(uses).count("sqs:SendMessage"), 0u);
}

TEST(ApiOperations, EventSinkKmsKeyAndVpcAddTheirActions) {
  HandlerSetup setup;
  setup.events = HandlerSetup::Events::kEventBridge;
  setup.kms_key = true;
  setup.vpc = true;
  const auto uses = handlerOperations(Handler::kWorker, setup);
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kEventBus), (Actions{"events:PutEvents"}));
  EXPECT_EQ(iamActionsOn(uses, ResourceKind::kKmsKey),
            (Actions{"kms:Decrypt", "kms:GenerateDataKey"}));
  const auto network = iamActionsOn(uses, ResourceKind::kAnyNetworkInterface);
  EXPECT_EQ(network.size(), wildcardAllowList().size());
  for (const auto& allowed : wildcardAllowList()) {
    EXPECT_EQ(network.count(std::string(allowed.iam_action)), 1u);
    EXPECT_FALSE(allowed.reason.empty());
  }
  EXPECT_TRUE(
      iamActionsOn(handlerOperations(Handler::kOrchestrator, setup), ResourceKind::kEventBus)
          .empty());
  setup.events = HandlerSetup::Events::kSqs;
  EXPECT_EQ(iamActionsOn(handlerOperations(Handler::kWorker, setup), ResourceKind::kEventQueue),
            (Actions{"sqs:SendMessage"}));  // the queue's URL: used as given
  setup.event_queue_named = true;
  EXPECT_EQ(iamActionsOn(handlerOperations(Handler::kWorker, setup), ResourceKind::kEventQueue),
            (Actions{"sqs:GetQueueUrl", "sqs:SendMessage"}));
}

TEST(ApiOperations, TheLakeOutboxDeletesOnlyPendingEventsAndOnlyWithASink) {
  HandlerSetup setup;
  EXPECT_TRUE(
      iamActionsOn(handlerOperations(Handler::kWorker, setup), ResourceKind::kLakePendingEvents)
          .empty())
      << "no sink, no outbox";
  setup.events = HandlerSetup::Events::kSqs;
  const auto worker = handlerOperations(Handler::kWorker, setup);
  EXPECT_EQ(iamActionsOn(worker, ResourceKind::kLakePendingEvents), (Actions{"s3:DeleteObject"}));
  EXPECT_EQ(iamActionsOn(worker, ResourceKind::kLakeObjects),
            (Actions{"s3:GetObject", "s3:PutObject"}))
      << "never DeleteObject on the lake's objects";
  EXPECT_TRUE(iamActionsOn(handlerOperations(Handler::kOrchestrator, setup),
                           ResourceKind::kLakePendingEvents)
                  .empty())
      << "the orchestrator publishes no event";
}

TEST(ApiOperations, AWebhookNeedsNoAwsActionButItsLakeOutboxDoes) {
  HandlerSetup setup;
  setup.events = HandlerSetup::Events::kWebhook;
  const auto worker = handlerOperations(Handler::kWorker, setup);
  EXPECT_TRUE(iamActionsOn(worker, ResourceKind::kEventBus).empty());
  EXPECT_TRUE(iamActionsOn(worker, ResourceKind::kEventQueue).empty());
  EXPECT_EQ(iamActionsOn(worker, ResourceKind::kLakePendingEvents), (Actions{"s3:DeleteObject"}))
      << "the webhook's events wait in the lake like any remote sink's";
}

TEST(ApiOperations, OneEntryPerOperationAndResource) {
  const auto uses = handlerOperations(Handler::kWorker, HandlerSetup{});
  std::set<std::pair<std::string, int>> keys;
  for (const auto& use : uses) {
    EXPECT_TRUE(
        keys.insert({std::string(use.operation.name), static_cast<int>(use.resource)}).second)
        << use.operation.name << " on " << resourceKindName(use.resource);
  }
}

}  // namespace
}  // namespace rawfeed::aws
