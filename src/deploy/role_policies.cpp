#include "deploy/role_policies.h"

#include <map>
#include <set>

#include "deploy/intrinsics.h"
#include "deploy/logical_ids.h"

namespace rawfeed::deploy {

namespace {

using json = nlohmann::ordered_json;

// Where the S3 store's conditional-create probe writes (store/s3/s3_object_store.cpp).
constexpr const char* kProbeKeys = "_rawfeed/probes/conditional-create-*";

std::string s3Arn(const std::string& path) {
  return std::string("arn:${AWS::Partition}:s3:::") + path;
}

std::string lakeKeys(const StackPlan& plan, const std::string& below) {
  return plan.bucket + "/" + (plan.prefix.empty() ? std::string() : plan.prefix + "/") + below;
}

const char* statementId(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kQueue:
      return "ChunkQueue";
    case ResourceKind::kDeadLetterQueue:
      return "ChunkDeadLetterQueue";
    case ResourceKind::kLakeBucket:
      return "LakeListUnderPrefix";
    case ResourceKind::kLakeObjects:
      return "LakeObjects";
    case ResourceKind::kLakeProbeObjects:
      return "LakeConditionalCreateProbe";
    case ResourceKind::kLakePendingEvents:
      return "LakeEventOutboxPending";
    case ResourceKind::kLogGroup:
      return "OwnLogGroup";
    case ResourceKind::kKmsKey:
      return "DomainKmsKey";
    case ResourceKind::kEventBus:
      return "CompletionEventBus";
    case ResourceKind::kEventQueue:
      return "CompletionEventQueue";
    case ResourceKind::kConfigObject:
      return "ConfigObject";
    case ResourceKind::kAnyNetworkInterface:
      return "VpcNetworkInterfaces";
  }
  return "Unknown";
}

json resourceOf(ResourceKind kind, const StackPlan& plan, Handler handler) {
  const bool worker = handler == Handler::kWorker;
  switch (kind) {
    case ResourceKind::kQueue:
      return cfn::getAtt(ids::kQueue, "Arn");
    case ResourceKind::kDeadLetterQueue:
      return cfn::getAtt(ids::kDeadLetterQueue, "Arn");
    case ResourceKind::kLakeBucket:
      return cfn::sub(s3Arn(plan.bucket));
    case ResourceKind::kLakeObjects:
      return cfn::sub(s3Arn(lakeKeys(plan, "*")));
    case ResourceKind::kLakeProbeObjects:
      return cfn::sub(s3Arn(lakeKeys(plan, kProbeKeys)));
    case ResourceKind::kLakePendingEvents:
      return cfn::sub(s3Arn(lakeKeys(plan, "_rawfeed/events/*/pending/*")));
    case ResourceKind::kLogGroup:
      return cfn::getAtt(worker ? ids::kWorkerLogGroup : ids::kOrchestratorLogGroup, "Arn");
    case ResourceKind::kKmsKey:
      return plan.aws.kms_key_arn;
    case ResourceKind::kEventBus:
      if (plan.event_bus.rfind("arn:", 0) == 0)
        return plan.event_bus;  // another region's or account's bus, as configured
      return cfn::sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/" +
                      plan.event_bus);
    case ResourceKind::kConfigObject:
      return cfn::sub(s3Arn(plan.config_bucket + "/" + plan.config_key));
    case ResourceKind::kAnyNetworkInterface:
      return "*";
    case ResourceKind::kEventQueue: {
      // The queue the domain's events name (created and owned outside the stack): by name in the
      // stack's own region and account, or wherever its URL says.
      const auto& queue = plan.event_queue;
      return cfn::sub(std::string("arn:${AWS::Partition}:sqs:") +
                      (queue.region.empty() ? std::string("${AWS::Region}") : queue.region) + ":" +
                      (queue.account.empty() ? std::string("${AWS::AccountId}") : queue.account) +
                      ":" + queue.name);
    }
  }
  return "*";
}

json statement(const std::string& sid, std::set<std::string> actions, json resource) {
  return {{"Sid", sid},
          {"Effect", "Allow"},
          {"Action", json(std::vector<std::string>(actions.begin(), actions.end()))},
          {"Resource", std::move(resource)}};
}

json policy(json statements) {
  return {{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

}  // namespace

json handlerPolicyDocument(const StackPlan& plan, Handler handler) {
  const auto& setup = handler == Handler::kWorker ? plan.worker : plan.orchestrator;
  const auto uses = handlerOperations(handler, setup);
  std::map<ResourceKind, std::set<std::string>> actions_by_resource;  // enum order: stable
  for (const auto& use : uses) {
    actions_by_resource[use.resource].emplace(use.operation.iam_action);
  }
  json statements = json::array();
  for (const auto& [kind, actions] : actions_by_resource) {
    json entry = statement(statementId(kind), actions, resourceOf(kind, plan, handler));
    if (kind == ResourceKind::kLakeBucket && !plan.prefix.empty()) {
      // ListBucket's resource is the bucket: the prefix condition keeps the list to the lake.
      entry["Condition"] = {{"StringLike", {{"s3:prefix", json::array({plan.prefix + "/*"})}}}};
    }
    statements.push_back(std::move(entry));
  }
  return policy(std::move(statements));
}

json schedulerPolicyDocument(const char* function_id, const char* dlq_id) {
  return policy(json::array(
      {statement("InvokeOrchestrator", {std::string(aws::lambda_api::kInvokeFunction.iam_action)},
                 cfn::getAtt(function_id, "Arn")),
       statement("DeadLetterUndeliveredTriggers",
                 {std::string(aws::sqs_api::kSendMessage.iam_action)},
                 cfn::getAtt(dlq_id, "Arn"))}));
}

json transformTargetPolicyDocument(const std::string& target_arn) {
  const bool bus = target_arn.find(":events:") != std::string::npos;
  return policy(json::array({statement(
      "HandToTransform", {bus ? "events:PutEvents" : "states:StartExecution"}, target_arn)}));
}

}  // namespace rawfeed::deploy
