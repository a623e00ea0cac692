#include "deploy/handler_operations.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace rawfeed::deploy {
namespace {

namespace s3_api = aws::s3_api;
namespace sqs_api = aws::sqs_api;
namespace logs_api = aws::logs_api;
namespace kms_api = aws::kms_api;
namespace events_api = aws::events_api;
namespace ec2_api = aws::ec2_api;
using Actions = std::set<std::string>;

TEST(HandlerOperations, CreateOnlyPutsNeedHeadUnlessConditionalWritesAreCertain) {
  const auto always = s3OperationsOf(StoreCall::kPutCreateOnly, ConditionalCreateMode::kAlways);
  ASSERT_EQ(always.size(), 1u);
  EXPECT_EQ(always[0], s3_api::kPutObject);
  const auto automatic = s3OperationsOf(StoreCall::kPutCreateOnly, ConditionalCreateMode::kAuto);
  EXPECT_EQ(automatic.size(), 2u);
  const auto check = s3OperationsOf(StoreCall::kCheckBucket, ConditionalCreateMode::kAuto);
  EXPECT_EQ(check.size(), 3u);  // list, probe put, probe delete
  EXPECT_EQ(s3OperationsOf(StoreCall::kCheckBucket, ConditionalCreateMode::kNever).size(), 1u);
}

TEST(HandlerOperations, OpeningAQueueByUrlResolvesOnlyTheDlqByName) {
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

TEST(HandlerOperations, OrchestratorSendsAndKeepsTheTrackerInTheLake) {
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

TEST(HandlerOperations, WorkerGetsTheEventSourceMappingsActionsMarkedAsSuch) {
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

TEST(HandlerOperations, EventSinkKmsKeyAndVpcAddTheirActions) {
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

TEST(HandlerOperations, TheLakeOutboxDeletesOnlyPendingEventsAndOnlyWithASink) {
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

TEST(HandlerOperations, AWebhookNeedsNoAwsActionButItsLakeOutboxDoes) {
  HandlerSetup setup;
  setup.events = HandlerSetup::Events::kWebhook;
  const auto worker = handlerOperations(Handler::kWorker, setup);
  EXPECT_TRUE(iamActionsOn(worker, ResourceKind::kEventBus).empty());
  EXPECT_TRUE(iamActionsOn(worker, ResourceKind::kEventQueue).empty());
  EXPECT_EQ(iamActionsOn(worker, ResourceKind::kLakePendingEvents), (Actions{"s3:DeleteObject"}))
      << "the webhook's events wait in the lake like any remote sink's";
}

TEST(HandlerOperations, OneEntryPerOperationAndResource) {
  const auto uses = handlerOperations(Handler::kWorker, HandlerSetup{});
  std::set<std::pair<std::string, int>> keys;
  for (const auto& use : uses) {
    EXPECT_TRUE(
        keys.insert({std::string(use.operation.name), static_cast<int>(use.resource)}).second)
        << use.operation.name << " on " << resourceKindName(use.resource);
  }
}

}  // namespace
}  // namespace rawfeed::deploy
