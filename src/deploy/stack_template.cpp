#include "deploy/stack_template.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/arn.h"
#include "deploy/glue_catalog.h"
#include "deploy/intrinsics.h"
#include "deploy/logical_ids.h"
#include "deploy/role_policies.h"
#include "deploy/template_references.h"

namespace rawfeed::deploy {

namespace {

using json = nlohmann::ordered_json;

using namespace ids;

// What the Lambda functions run on: the package of `rawfeed package` is a custom-runtime zip
// whose bootstrap is at its root, built for the machine's architecture.
constexpr const char* kRuntime = "provided.al2023";
constexpr const char* kHandler = "bootstrap";
constexpr int kOrchestratorMemoryMb = 256;
constexpr int kOrchestratorTimeoutSeconds = 60;
constexpr int kWorkerMemoryMb = 512;

// EventBridge Scheduler's context attribute, replaced in the target's input at each fire.
constexpr const char* kScheduledTime = "<aws.scheduler.scheduled-time>";

// The completion event as the batch finalizer publishes it (pipeline/batch_finalizer.cpp).
constexpr const char* kCompletionSource = "rawfeed";
constexpr const char* kCompletionDetailType = "Extract Batch Completed";
constexpr const char* kManifestFileName = "_batch.manifest.json";

json tags(const StackPlan& plan) {
  return json::array({{{"Key", "rawfeed:domain"}, {"Value", plan.domain}},
                      {{"Key", "rawfeed:environment"}, {"Value", plan.environment}}});
}

json assumeRole(const char* service, bool same_account_only) {
  json statement = {
      {"Effect", "Allow"}, {"Principal", {{"Service", service}}}, {"Action", "sts:AssumeRole"}};
  if (same_account_only) {
    // The confused-deputy guard AWS recommends for service principals acting for an account.
    statement["Condition"] = {
        {"StringEquals", {{"aws:SourceAccount", cfn::ref("AWS::AccountId")}}}};
  }
  return {{"Version", "2012-10-17"}, {"Statement", json::array({statement})}};
}

json queueEncryption(const StackPlan& plan, json properties) {
  if (plan.aws.kms_key_arn.empty()) {
    properties["SqsManagedSseEnabled"] = true;
  } else {
    properties["KmsMasterKeyId"] = plan.aws.kms_key_arn;
    properties["KmsDataKeyReusePeriodSeconds"] = 300;
  }
  return properties;
}

void addQueues(const StackPlan& plan, json& resources) {
  resources[kDeadLetterQueue] = {
      {"Type", "AWS::SQS::Queue"},
      {"Properties", queueEncryption(plan, {{"QueueName", plan.dlq_name},
                                            {"MessageRetentionPeriod", plan.dlq_retention_seconds},
                                            {"Tags", tags(plan)}})}};
  resources[kQueue] = {
      {"Type", "AWS::SQS::Queue"},
      {"Properties",
       queueEncryption(plan, {{"QueueName", plan.queue_name},
                              {"VisibilityTimeout", plan.visibility_timeout_seconds},
                              {"MessageRetentionPeriod", plan.message_retention_seconds},
                              {"RedrivePolicy",
                               {{"deadLetterTargetArn", cfn::getAtt(kDeadLetterQueue, "Arn")},
                                {"maxReceiveCount", plan.max_receives}}},
                              {"Tags", tags(plan)}})}};
  json queues = json::array({cfn::ref(kQueue), cfn::ref(kDeadLetterQueue)});
  json arns = json::array({cfn::getAtt(kQueue, "Arn"), cfn::getAtt(kDeadLetterQueue, "Arn")});
  if (!plan.schedule_expression.empty()) {
    queues.push_back(cfn::ref(kScheduleDeadLetterQueue));
    arns.push_back(cfn::getAtt(kScheduleDeadLetterQueue, "Arn"));
  }
  const json deny_plain_http = {
      {"Sid", "DenyWithoutTls"}, {"Effect", "Deny"},
      {"Principal", "*"},        {"Action", "sqs:*"},
      {"Resource", arns},        {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}};
  resources[kQueuePolicy] = {
      {"Type", "AWS::SQS::QueuePolicy"},
      {"Properties",
       {{"Queues", queues},
        {"PolicyDocument",
         {{"Version", "2012-10-17"}, {"Statement", json::array({deny_plain_http})}}}}}};
}

std::string logGroupName(const std::string& function) {
  return std::string("/aws/lambda/") + function;
}

json functionResource(const StackPlan& plan, Handler handler) {
  const bool worker = handler == Handler::kWorker;
  json environment = {{"RAWFEED_HANDLER", handlerName(handler)},
                      {"RAWFEED_DOMAIN", plan.domain},
                      {"RAWFEED_CONFIG", plan.aws.config_location},
                      {"RAWFEED_QUEUE", cfn::ref(kQueue)},
                      {"RAWFEED_LAKE", plan.lake_uri}};
  if (worker) {
    environment["RAWFEED_EVENTS"] = plan.events_uri;
    if (!plan.webhook_token_env.empty())
      environment[plan.webhook_token_env] = cfn::ref(kWebhookTokenParameter);
  }
  json code;
  if (plan.aws.code_bucket.empty()) {
    code = {{"S3Bucket", cfn::ref(kCodeBucketParameter)}, {"S3Key", cfn::ref(kCodeKeyParameter)}};
  } else {
    code = {{"S3Bucket", plan.aws.code_bucket}, {"S3Key", plan.aws.code_key}};
  }
  json properties = {
      {"FunctionName", worker ? plan.worker_function : plan.orchestrator_function},
      {"Description", fmt::format("rawfeed {} of domain {}", handlerName(handler), plan.domain)},
      {"Runtime", kRuntime},
      {"Handler", kHandler},
      {"Architectures", json::array({"x86_64"})},
      {"MemorySize", worker ? kWorkerMemoryMb : kOrchestratorMemoryMb},
      {"Timeout", worker ? plan.worker_timeout_seconds : kOrchestratorTimeoutSeconds},
      {"Role", cfn::getAtt(worker ? kWorkerRole : kOrchestratorRole, "Arn")},
      {"Code", code},
      {"Environment", {{"Variables", environment}}},
      {"Tags", tags(plan)}};
  const auto reserved =
      worker ? plan.aws.worker_reserved_concurrency : plan.aws.orchestrator_reserved_concurrency;
  if (reserved)
    properties["ReservedConcurrentExecutions"] = *reserved;
  if (plan.vpc()) {
    properties["VpcConfig"] = {{"SubnetIds", plan.aws.subnet_ids},
                               {"SecurityGroupIds", plan.aws.security_group_ids}};
  }
  // The log group first, so that it (with its retention) is the one Lambda writes to.
  return {{"Type", "AWS::Lambda::Function"},
          {"DependsOn", json::array({worker ? kWorkerLogGroup : kOrchestratorLogGroup})},
          {"Properties", properties}};
}

void addFunctions(const StackPlan& plan, json& resources) {
  for (const auto handler : {Handler::kOrchestrator, Handler::kWorker}) {
    const bool worker = handler == Handler::kWorker;
    const std::string function = worker ? plan.worker_function : plan.orchestrator_function;
    resources[worker ? kWorkerLogGroup : kOrchestratorLogGroup] = {
        {"Type", "AWS::Logs::LogGroup"},
        {"Properties",
         {{"LogGroupName", logGroupName(function)},
          {"RetentionInDays", plan.aws.log_retention_days}}}};
    resources[worker ? kWorkerRole : kOrchestratorRole] = {
        {"Type", "AWS::IAM::Role"},
        {"Properties",
         {{"RoleName", function + "-role"},
          {"Description",
           fmt::format("rawfeed {} of domain {}: exactly the operations its code performs",
                       handlerName(handler), plan.domain)},
          {"AssumeRolePolicyDocument", assumeRole("lambda.amazonaws.com", false)},
          {"Policies", json::array({{{"PolicyName", std::string("rawfeed-") + handlerName(handler)},
                                     {"PolicyDocument", handlerPolicyDocument(plan, handler)}}})},
          {"Tags", tags(plan)}}}};
    resources[worker ? kWorkerFunction : kOrchestratorFunction] = functionResource(plan, handler);
  }
  json mapping = {{"EventSourceArn", cfn::getAtt(kQueue, "Arn")},
                  {"FunctionName", cfn::ref(kWorkerFunction)},
                  {"Enabled", true},
                  {"BatchSize", plan.batch_size},
                  {"MaximumBatchingWindowInSeconds", plan.aws.batching_window_seconds},
                  {"FunctionResponseTypes", json::array({"ReportBatchItemFailures"})}};
  if (plan.maximum_concurrency) {
    mapping["ScalingConfig"] = {{"MaximumConcurrency", *plan.maximum_concurrency}};
  }
  resources[kEventSourceMapping] = {{"Type", "AWS::Lambda::EventSourceMapping"},
                                    {"Properties", mapping}};
}

void addSchedule(const StackPlan& plan, json& resources) {
  if (plan.schedule_expression.empty())
    return;
  // Holds trigger events the scheduler could not deliver after its retries; no data, so SSE-SQS
  // (a KMS key would need the scheduler's role on it too).
  resources[kScheduleDeadLetterQueue] = {{"Type", "AWS::SQS::Queue"},
                                         {"Properties",
                                          {{"QueueName", plan.schedule_dlq_name},
                                           {"MessageRetentionPeriod", plan.dlq_retention_seconds},
                                           {"SqsManagedSseEnabled", true},
                                           {"Tags", tags(plan)}}}};
  resources[kSchedulerRole] = {
      {"Type", "AWS::IAM::Role"},
      {"Properties",
       {{"RoleName", plan.name_prefix + "-scheduler-role"},
        {"Description", "EventBridge Scheduler: invoke the orchestrator, dead-letter failures"},
        {"AssumeRolePolicyDocument", assumeRole("scheduler.amazonaws.com", true)},
        {"Policies",
         json::array({{{"PolicyName", "rawfeed-scheduler"},
                       {"PolicyDocument", schedulerPolicyDocument(kOrchestratorFunction,
                                                                  kScheduleDeadLetterQueue)}}})},
        {"Tags", tags(plan)}}}};
  // The batch id names the fire, not the attempt: a retried delivery of one fire (the
  // scheduler's retry policy, Lambda's asynchronous retries) resumes that batch instead of
  // starting another (contracts §1: a caller-chosen batch_id makes a re-run idempotent).
  const json trigger = {{"domain", plan.domain},
                        {"trigger_type", "schedule"},
                        {"batch_id", plan.domain + "-" + kScheduledTime}};
  json window = {{"Mode", "OFF"}};
  if (plan.aws.schedule_flexible_window_minutes > 0) {
    window = {{"Mode", "FLEXIBLE"},
              {"MaximumWindowInMinutes", plan.aws.schedule_flexible_window_minutes}};
  }
  resources[kSchedule] = {
      {"Type", "AWS::Scheduler::Schedule"},
      {"Properties",
       {{"Name", plan.schedule_name},
        {"Description", fmt::format("rawfeed: scheduled extract of domain {}", plan.domain)},
        {"ScheduleExpression", plan.schedule_expression},
        {"ScheduleExpressionTimezone", plan.schedule_timezone},
        {"FlexibleTimeWindow", window},
        {"State", "ENABLED"},
        {"Target",
         {{"Arn", cfn::getAtt(kOrchestratorFunction, "Arn")},
          {"RoleArn", cfn::getAtt(kSchedulerRole, "Arn")},
          {"Input", trigger.dump()},
          {"RetryPolicy",
           {{"MaximumRetryAttempts", plan.aws.schedule_retry_attempts},
            {"MaximumEventAgeInSeconds", plan.aws.schedule_max_event_age_seconds}}},
          {"DeadLetterConfig", {{"Arn", cfn::getAtt(kScheduleDeadLetterQueue, "Arn")}}}}}}}};
}

void addBucket(const StackPlan& plan, json& resources) {
  if (!plan.aws.create_bucket)
    return;
  json encryption = {{"SSEAlgorithm", "AES256"}};
  if (!plan.aws.kms_key_arn.empty()) {
    encryption = {{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", plan.aws.kms_key_arn}};
  }
  json properties = {
      {"BucketName", plan.bucket},
      {"BucketEncryption",
       {{"ServerSideEncryptionConfiguration",
         json::array({{{"ServerSideEncryptionByDefault", encryption},
                       {"BucketKeyEnabled", !plan.aws.kms_key_arn.empty()}}})}}},
      {"PublicAccessBlockConfiguration",
       {{"BlockPublicAcls", true},
        {"BlockPublicPolicy", true},
        {"IgnorePublicAcls", true},
        {"RestrictPublicBuckets", true}}},
      {"OwnershipControls",
       {{"Rules", json::array({{{"ObjectOwnership", "BucketOwnerEnforced"}}})}}},
      {"NotificationConfiguration", {{"EventBridgeConfiguration", {{"EventBridgeEnabled", true}}}}},
      {"Tags", tags(plan)}};
  if (plan.aws.bucket_versioning) {
    properties["VersioningConfiguration"] = {{"Status", "Enabled"}};
  }
  // The raw lake outlives the stack: deleting the stack must not delete the data.
  resources[kLakeBucket] = {{"Type", "AWS::S3::Bucket"},
                            {"DeletionPolicy", "Retain"},
                            {"UpdateReplacePolicy", "Retain"},
                            {"Properties", properties}};
  const json deny_plain_http = {
      {"Sid", "DenyWithoutTls"},
      {"Effect", "Deny"},
      {"Principal", "*"},
      {"Action", "s3:*"},
      {"Resource", json::array({cfn::getAtt(kLakeBucket, "Arn"), cfn::sub("${LakeBucket.Arn}/*")})},
      {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}};
  resources[kLakeBucketPolicy] = {
      {"Type", "AWS::S3::BucketPolicy"},
      {"Properties",
       {{"Bucket", cfn::ref(kLakeBucket)},
        {"PolicyDocument",
         {{"Version", "2012-10-17"}, {"Statement", json::array({deny_plain_http})}}}}}};
}

// The service part of an ARN: arn:PARTITION:SERVICE:... ("" for what is not an ARN).
std::string arnService(const std::string& arn) {
  const auto parsed = core::parseArn(arn);
  return parsed ? parsed->service : "";
}

void addCompletionRules(const StackPlan& plan, json& resources) {
  const std::string& target = plan.aws.transform_target_arn;
  if (target.empty())
    return;
  const std::string service = arnService(target);
  // Step Functions and event buses are reached with a role; Lambda, SQS and SNS targets by
  // their resource policies (Lambda's is added here, SQS's and SNS's belong to their owner).
  const bool needs_role = service == "states" || service == "events";
  if (needs_role) {
    resources[kTransformRole] = {
        {"Type", "AWS::IAM::Role"},
        {"Properties",
         {{"RoleName", plan.name_prefix + "-transform-role"},
          {"Description", "EventBridge: hand the completion to the Transform stage's target"},
          {"AssumeRolePolicyDocument", assumeRole("events.amazonaws.com", true)},
          {"Policies", json::array({{{"PolicyName", "rawfeed-transform-target"},
                                     {"PolicyDocument", transformTargetPolicyDocument(target)}}})},
          {"Tags", tags(plan)}}}};
  }
  const auto addRule = [&](const char* id, const std::string& name, const std::string& bus,
                           const char* description, json pattern) {
    json target_entry = {{"Id", "transform"}, {"Arn", target}};
    if (needs_role)
      target_entry["RoleArn"] = cfn::getAtt(kTransformRole, "Arn");
    resources[id] = {{"Type", "AWS::Events::Rule"},
                     {"Properties",
                      {{"Name", name},
                       {"Description", description},
                       {"EventBusName", bus},
                       {"State", "ENABLED"},
                       {"EventPattern", std::move(pattern)},
                       {"Targets", json::array({target_entry})}}}};
    if (service == "lambda") {
      resources[std::string(id) + "InvokePermission"] = {
          {"Type", "AWS::Lambda::Permission"},
          {"Properties",
           {{"FunctionName", target},
            {"Action", "lambda:InvokeFunction"},
            {"Principal", "events.amazonaws.com"},
            {"SourceAccount", cfn::ref("AWS::AccountId")},
            {"SourceArn", cfn::getAtt(id, "Arn")}}}};
    }
  };
  const std::string& rule = plan.aws.completion_rule;
  if (rule == "event" || rule == "both") {
    addRule(kCompletionEventRule, plan.name_prefix + "-completed", plan.event_bus,
            "rawfeed: a batch of the domain is complete (the completion event)",
            {{"source", json::array({kCompletionSource})},
             {"detail-type", json::array({kCompletionDetailType})},
             {"detail", {{"domain", json::array({plan.domain})}}}});
  }
  if (rule == "manifest" || rule == "both") {
    const std::string key_pattern = (plan.prefix.empty() ? std::string() : plan.prefix + "/") +
                                    plan.domain + "/*/" + kManifestFileName;
    addRule(kManifestCreatedRule, plan.name_prefix + "-manifest-created", "default",
            "rawfeed: a partition manifest of the domain was written",
            {{"source", json::array({"aws.s3"})},
             {"detail-type", json::array({"Object Created"})},
             {"detail",
              {{"bucket", {{"name", json::array({plan.bucket})}}},
               {"object", {{"key", json::array({{{"wildcard", key_pattern}}})}}}}}});
  }
}

json alarmActions(const StackPlan& plan) {
  if (plan.aws.alarm_topic_arn.empty())
    return json::array();
  return json::array({plan.aws.alarm_topic_arn});
}

struct AlarmSpec {
  const char* id;
  std::string name;
  std::string description;
  const char* namespace_;
  const char* metric;
  const char* statistic;
  json dimensions;
  config::AlarmSettings settings;
  int default_datapoints;  // 0: evaluation_periods
  const char* default_missing;
};

json alarmResource(const StackPlan& plan, const AlarmSpec& spec) {
  const auto& s = spec.settings;
  json properties = {{"AlarmName", spec.name},
                     {"AlarmDescription", spec.description},
                     {"Namespace", spec.namespace_},
                     {"MetricName", spec.metric},
                     {"Dimensions", spec.dimensions},
                     {"Statistic", spec.statistic},
                     {"Period", s.period_seconds},
                     {"EvaluationPeriods", s.evaluation_periods},
                     {"DatapointsToAlarm", s.datapoints_to_alarm.value_or(
                                               spec.default_datapoints > 0 ? spec.default_datapoints
                                                                           : s.evaluation_periods)},
                     {"Threshold", s.threshold},
                     {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
                     {"TreatMissingData", s.treat_missing_data.value_or(spec.default_missing)}};
  if (!plan.aws.alarm_topic_arn.empty()) {
    properties["AlarmActions"] = alarmActions(plan);
    properties["OKActions"] = alarmActions(plan);
  }
  return {{"Type", "AWS::CloudWatch::Alarm"}, {"Properties", properties}};
}

json queueDimension(const char* queue) {
  return json::array({{{"Name", "QueueName"}, {"Value", cfn::getAtt(queue, "QueueName")}}});
}

void addAlarms(const StackPlan& plan, json& resources) {
  config::AlarmSettings dead_letters = config::withThreshold(1);
  dead_letters.period_seconds = 60;
  dead_letters.evaluation_periods = 1;
  std::vector<AlarmSpec> alarms = {
      {"QueueDepthAlarm", plan.name_prefix + "-queue-depth",
       "Chunk messages waiting: workers are not keeping up", "AWS/SQS",
       "ApproximateNumberOfMessagesVisible", "Maximum", queueDimension(kQueue),
       plan.alarms.queue_depth, 0, "missing"},
      {"OldestMessageAgeAlarm", plan.name_prefix + "-oldest-message-age",
       "The oldest chunk message is getting old: workers stalled or throttled", "AWS/SQS",
       "ApproximateAgeOfOldestMessage", "Maximum", queueDimension(kQueue),
       plan.alarms.oldest_message_age, 0, "missing"},
      {"WorkerErrorsAlarm", plan.name_prefix + "-worker-errors",
       "Worker invocations failed (a crash, a timeout or an init error): investigate at once",
       "AWS/Lambda", "Errors", "Sum",
       json::array({{{"Name", "FunctionName"}, {"Value", cfn::ref(kWorkerFunction)}}}),
       plan.alarms.worker_errors, 1, "notBreaching"},
      {"OrchestratorErrorsAlarm", plan.name_prefix + "-orchestrator-errors",
       "The orchestrator failed (bad trigger, queue or lake unreachable): the batch was not sent",
       "AWS/Lambda", "Errors", "Sum",
       json::array({{{"Name", "FunctionName"}, {"Value", cfn::ref(kOrchestratorFunction)}}}),
       plan.alarms.worker_errors, 1, "notBreaching"},
      {"DeadLetterQueueDepthAlarm", plan.name_prefix + "-dlq-depth",
       "Chunk messages dead-lettered: `rawfeed dlq list` shows why", "AWS/SQS",
       "ApproximateNumberOfMessagesVisible", "Maximum", queueDimension(kDeadLetterQueue),
       dead_letters, 0, "notBreaching"}};
  if (!plan.schedule_expression.empty()) {
    alarms.push_back({"ScheduleDeadLetterQueueDepthAlarm", plan.name_prefix + "-schedule-dlq-depth",
                      "Scheduled triggers the orchestrator never received", "AWS/SQS",
                      "ApproximateNumberOfMessagesVisible", "Maximum",
                      queueDimension(kScheduleDeadLetterQueue), dead_letters, 0, "notBreaching"});
  }
  for (const auto& alarm : alarms) {
    if (alarm.settings.enabled)
      resources[alarm.id] = alarmResource(plan, alarm);
  }
}

// The dashboard body: CloudWatch's JSON, as a string with ${AWS::Region} for Fn::Sub.
std::string dashboardBody(const StackPlan& plan) {
  const auto widget = [](int y, const std::string& title, json metrics, const char* stat) {
    return json{{"type", "metric"},
                {"x", 0},
                {"y", y},
                {"width", 24},
                {"height", 6},
                {"properties",
                 {{"title", title},
                  {"region", "${AWS::Region}"},
                  {"stat", stat},
                  {"period", 60},
                  {"view", "timeSeries"},
                  {"metrics", std::move(metrics)}}}};
  };
  const auto& q = plan.queue_name;
  const auto& d = plan.dlq_name;
  const auto& w = plan.worker_function;
  const auto& o = plan.orchestrator_function;
  json queue = json::array(
      {json::array({"AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q}),
       json::array({"AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", q}),
       json::array(
           {"AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q, {{"yAxis", "right"}}}),
       json::array(
           {"AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", d, {{"label", "DLQ"}}})});
  json functions =
      json::array({json::array({"AWS/Lambda", "Invocations", "FunctionName", w}),
                   json::array({"AWS/Lambda", "Errors", "FunctionName", w}),
                   json::array({"AWS/Lambda", "Throttles", "FunctionName", w}),
                   json::array({"AWS/Lambda", "ConcurrentExecutions", "FunctionName", w}),
                   json::array({"AWS/Lambda", "Duration", "FunctionName", w, {{"yAxis", "right"}}}),
                   json::array({"AWS/Lambda", "Invocations", "FunctionName", o}),
                   json::array({"AWS/Lambda", "Errors", "FunctionName", o})});
  // The workers' own figures (Embedded Metric Format, namespace rawfeed, dimension domain) and
  // S3's daily storage metrics of the bucket.
  json storage = json::array(
      {json::array({"rawfeed", "rawfeed_objects_written_total", "domain", plan.domain}),
       json::array({"rawfeed", "rawfeed_objects_skipped_total", "domain", plan.domain}),
       json::array(
           {"rawfeed", "rawfeed_bytes_written_total", "domain", plan.domain, {{"yAxis", "right"}}}),
       json::array({"AWS/S3",
                    "NumberOfObjects",
                    "BucketName",
                    plan.bucket,
                    "StorageType",
                    "AllStorageTypes",
                    {{"period", 86400}, {"stat", "Average"}}})});
  json body = {{"widgets", json::array({widget(0, std::string("Queue: ") + q, queue, "Maximum"),
                                        widget(6, "Functions", functions, "Sum"),
                                        widget(12, std::string("Storage: ") + plan.lake_uri,
                                               storage, "Sum")})}};
  return body.dump();
}

void addDashboard(const StackPlan& plan, json& resources) {
  resources[kDashboard] = {
      {"Type", "AWS::CloudWatch::Dashboard"},
      {"Properties",
       {{"DashboardName", plan.name_prefix}, {"DashboardBody", cfn::sub(dashboardBody(plan))}}}};
}

void addVpcEndpoints(const StackPlan& plan, json& resources) {
  if (!plan.vpc() || !plan.aws.vpc_endpoints)
    return;
  const auto interface = [&](const char* service) {
    return json{{"Type", "AWS::EC2::VPCEndpoint"},
                {"Properties",
                 {{"VpcEndpointType", "Interface"},
                  {"ServiceName", cfn::sub(std::string("com.amazonaws.${AWS::Region}.") + service)},
                  {"VpcId", plan.aws.vpc_id},
                  {"SubnetIds", plan.aws.subnet_ids},
                  {"SecurityGroupIds", plan.aws.security_group_ids},
                  {"PrivateDnsEnabled", true}}}};
  };
  resources["SqsVpcEndpoint"] = interface("sqs");
  resources["LogsVpcEndpoint"] = interface("logs");
  if (plan.events.kind == config::EventsKind::kEventBridge)
    resources["EventsVpcEndpoint"] = interface("events");
  if (!plan.aws.kms_key_arn.empty())
    resources["KmsVpcEndpoint"] = interface("kms");
  resources["S3GatewayVpcEndpoint"] = {
      {"Type", "AWS::EC2::VPCEndpoint"},
      {"Properties",
       {{"VpcEndpointType", "Gateway"},
        {"ServiceName", cfn::sub("com.amazonaws.${AWS::Region}.s3")},
        {"VpcId", plan.aws.vpc_id},
        {"RouteTableIds", plan.aws.route_table_ids}}}};
}

json outputs(const StackPlan& plan) {
  const auto output = [](const char* description, json value) {
    return json{{"Description", description}, {"Value", std::move(value)}};
  };
  json out = {
      {"OrchestratorFunctionArn",
       output("The orchestrator function", cfn::getAtt(kOrchestratorFunction, "Arn"))},
      {"WorkerFunctionArn", output("The worker function", cfn::getAtt(kWorkerFunction, "Arn"))},
      {"QueueUrl", output("The chunk queue", cfn::ref(kQueue))},
      {"DeadLetterQueueUrl", output("The chunk queue's DLQ", cfn::ref(kDeadLetterQueue))},
      {"LakeLocation", output("Where the raw objects go", plan.lake_uri)}};
  if (!plan.schedule_expression.empty()) {
    out["ScheduleDeadLetterQueueUrl"] =
        output("Scheduled triggers that were not delivered", cfn::ref(kScheduleDeadLetterQueue));
  }
  return out;
}

}  // namespace

std::string stackTemplateJson(const StackPlan& plan) {
  json document;
  document["AWSTemplateFormatVersion"] = "2010-09-09";
  document["Description"] =
      fmt::format("rawfeed Extract stage of domain {} ({}): generated by `rawfeed deploy aws`",
                  plan.domain, plan.environment);
  if (plan.aws.code_bucket.empty()) {
    document["Parameters"] = {
        {kCodeBucketParameter,
         {{"Type", "String"},
          {"MinLength", 3},
          {"Description", "The S3 bucket holding the zip of `rawfeed package`"}}},
        {kCodeKeyParameter,
         {{"Type", "String"}, {"MinLength", 1}, {"Description", "The zip's key in CodeBucket"}}}};
  }
  if (!plan.webhook_token_env.empty()) {
    // The webhook's bearer token reaches the worker as the variable the domain names; the stack
    // never holds it in its text.
    document["Parameters"][kWebhookTokenParameter] = {
        {"Type", "String"},
        {"NoEcho", true},
        {"MinLength", 1},
        {"Description",
         "The completion webhook's bearer token (the worker's " + plan.webhook_token_env + ")"}};
  }
  json resources = json::object();
  addQueues(plan, resources);
  addFunctions(plan, resources);
  addSchedule(plan, resources);
  addBucket(plan, resources);
  addCompletionRules(plan, resources);
  addAlarms(plan, resources);
  addDashboard(plan, resources);
  addVpcEndpoints(plan, resources);
  addGlueCatalog(plan.glue, resources);
  document["Resources"] = std::move(resources);
  document["Outputs"] = outputs(plan);
  return document.dump(2) + "\n";
}

core::Result<std::string> renderStack(const config::DomainConfig& domain,
                                      const std::string& environment,
                                      std::vector<std::string>* notes) {
  auto plan = planStack(domain, environment);
  if (!plan.ok())
    return plan.error();
  if (notes != nullptr)
    *notes = plan->notes;
  std::string text = stackTemplateJson(*plan);
  if (auto problems = unresolvedReferences(text); !problems.empty()) {
    std::string message = "the generated template references what it lacks (a rawfeed bug):";
    for (const auto& problem : problems)
      message += std::string("\n  ") + problem;
    return core::makeError(core::ErrorCode::kInternal, message);
  }
  return text;
}

}  // namespace rawfeed::deploy
