#include <gtest/gtest.h>

#include <set>
#include <string>

#include "deploy/stack_plan.h"
#include "deploy/stack_template.h"
#include "unit/deploy/deploy_test_support.h"

namespace rawfeed::deploy {
namespace {

using nlohmann::json;
using testing::configText;
using testing::domainOf;
using testing::getAtt;
using testing::stackOf;
using testing::sub;

const json& resource(const json& stack, const std::string& id) {
  static const json kMissing;
  auto it = stack["Resources"].find(id);
  EXPECT_NE(it, stack["Resources"].end()) << "no resource " << id;
  return it == stack["Resources"].end() ? kMissing : *it;
}

TEST(StackTemplate, QueueAndDlqFollowTheDesign) {
  const json stack = stackOf(configText());
  const json& queue = resource(stack, "ChunkQueue");
  EXPECT_EQ(queue["Type"], "AWS::SQS::Queue");
  const json& q = queue["Properties"];
  EXPECT_EQ(q["QueueName"], "rawfeed-customer-data-chunks");
  EXPECT_EQ(q["VisibilityTimeout"], 720);  // worker timeout 120 s × 6
  EXPECT_EQ(q["SqsManagedSseEnabled"], true);
  EXPECT_EQ(q["RedrivePolicy"]["maxReceiveCount"], 5);
  EXPECT_EQ(q["RedrivePolicy"]["deadLetterTargetArn"], getAtt("ChunkDeadLetterQueue", "Arn"));
  const json& dlq = resource(stack, "ChunkDeadLetterQueue")["Properties"];
  EXPECT_EQ(dlq["QueueName"], "rawfeed-customer-data-chunks-dlq");
  EXPECT_EQ(dlq["MessageRetentionPeriod"], 14 * 24 * 3600);
  EXPECT_EQ(dlq["SqsManagedSseEnabled"], true);
}

TEST(StackTemplate, QueuePolicyDeniesEveryCallWithoutTls) {
  const json stack = stackOf(configText());
  const json& policy = resource(stack, "QueueTlsOnlyPolicy")["Properties"];
  EXPECT_EQ(policy["Queues"].size(), 3u);  // queue, DLQ, the schedule's DLQ
  const json& statement = policy["PolicyDocument"]["Statement"][0];
  EXPECT_EQ(statement["Effect"], "Deny");
  EXPECT_EQ(statement["Principal"], "*");
  EXPECT_EQ(statement["Condition"]["Bool"]["aws:SecureTransport"], "false");
  EXPECT_EQ(statement["Resource"].size(), 3u);
}

TEST(StackTemplate, AKmsKeyReplacesSseSqs) {
  const std::string key =
      "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const json stack = stackOf(configText("", "kms_key_arn = \"" + key + "\""));
  for (const char* id : {"ChunkQueue", "ChunkDeadLetterQueue"}) {
    const json& q = resource(stack, id)["Properties"];
    EXPECT_EQ(q["KmsMasterKeyId"], key) << id;
    EXPECT_FALSE(q.contains("SqsManagedSseEnabled")) << id;
  }
}

TEST(StackTemplate, FunctionsRunTheBootstrapWithTheAgreedEnvironment) {
  const json stack = stackOf(configText());
  const json& orchestrator = resource(stack, "OrchestratorFunction")["Properties"];
  EXPECT_EQ(orchestrator["Runtime"], "provided.al2023");
  EXPECT_EQ(orchestrator["Handler"], "bootstrap");
  EXPECT_EQ(orchestrator["MemorySize"], 256);
  EXPECT_EQ(orchestrator["Timeout"], 60);
  EXPECT_EQ(orchestrator["Role"], getAtt("OrchestratorRole", "Arn"));
  EXPECT_EQ(orchestrator["Code"]["S3Bucket"], "acme-artifacts");
  EXPECT_EQ(orchestrator["Code"]["S3Key"], "rawfeed/rawfeed.zip");
  const json& env = orchestrator["Environment"]["Variables"];
  EXPECT_EQ(env["RAWFEED_HANDLER"], "orchestrator");
  EXPECT_EQ(env["RAWFEED_DOMAIN"], "customer-data");
  EXPECT_EQ(env["RAWFEED_CONFIG"], "rawfeed.toml");
  EXPECT_EQ(env["RAWFEED_QUEUE"], json({{"Ref", "ChunkQueue"}}));
  EXPECT_EQ(env["RAWFEED_LAKE"], "s3://acme-raw/lake");
  EXPECT_FALSE(env.contains("RAWFEED_EVENTS"));
  EXPECT_FALSE(orchestrator.contains("ReservedConcurrentExecutions"));

  const json& worker = resource(stack, "WorkerFunction")["Properties"];
  EXPECT_EQ(worker["MemorySize"], 512);
  EXPECT_EQ(worker["Timeout"], 120);
  EXPECT_EQ(worker["Environment"]["Variables"]["RAWFEED_HANDLER"], "worker");
  EXPECT_EQ(worker["Environment"]["Variables"]["RAWFEED_EVENTS"], "eventbridge://default");
  EXPECT_EQ(resource(stack, "WorkerFunction")["DependsOn"], json::array({"WorkerLogGroup"}));
}

TEST(StackTemplate, LogGroupsAreTheFunctionsOwnWithRetention) {
  const json stack = stackOf(configText("", "log_retention_days = 90"));
  const json& logs = resource(stack, "WorkerLogGroup")["Properties"];
  EXPECT_EQ(logs["LogGroupName"], "/aws/lambda/rawfeed-customer-data-worker");
  EXPECT_EQ(logs["RetentionInDays"], 90);
  EXPECT_EQ(resource(stack, "OrchestratorLogGroup")["Properties"]["LogGroupName"],
            "/aws/lambda/rawfeed-customer-data-orchestrator");
}

TEST(StackTemplate, ReservedConcurrencyAndTheMappingsScaling) {
  const json stack = stackOf(configText("",
                                        "worker_reserved_concurrency = 8\n"
                                        "orchestrator_reserved_concurrency = 1\n"
                                        "batching_window_seconds = 5"));
  EXPECT_EQ(resource(stack, "WorkerFunction")["Properties"]["ReservedConcurrentExecutions"], 8);
  EXPECT_EQ(resource(stack, "OrchestratorFunction")["Properties"]["ReservedConcurrentExecutions"],
            1);
  const json& mapping = resource(stack, "WorkerEventSourceMapping")["Properties"];
  EXPECT_EQ(mapping["EventSourceArn"], getAtt("ChunkQueue", "Arn"));
  EXPECT_EQ(mapping["FunctionName"], json({{"Ref", "WorkerFunction"}}));
  EXPECT_EQ(mapping["BatchSize"], 4);  // messages_per_delivery
  EXPECT_EQ(mapping["MaximumBatchingWindowInSeconds"], 5);
  EXPECT_EQ(mapping["FunctionResponseTypes"], json::array({"ReportBatchItemFailures"}));
  // Capped at the reserved concurrency, so the poller never invokes into throttling.
  EXPECT_EQ(mapping["ScalingConfig"]["MaximumConcurrency"], 8);

  const json explicit_stack = stackOf(configText("", "batch_size = 2\nmaximum_concurrency = 3"));
  const json& m = resource(explicit_stack, "WorkerEventSourceMapping")["Properties"];
  EXPECT_EQ(m["BatchSize"], 2);
  EXPECT_EQ(m["ScalingConfig"]["MaximumConcurrency"], 3);
  EXPECT_FALSE(
      stackOf(configText())["Resources"]["WorkerEventSourceMapping"]["Properties"].contains(
          "ScalingConfig"));
}

TEST(StackTemplate, ScheduleFiresTheOrchestratorWithTheTrigger) {
  const json stack = stackOf(configText("", "schedule_flexible_window_minutes = 15"));
  const json& schedule = resource(stack, "Schedule")["Properties"];
  EXPECT_EQ(schedule["ScheduleExpression"], "cron(0 6 ? * MON-FRI *)");
  EXPECT_EQ(schedule["ScheduleExpressionTimezone"], "America/New_York");
  EXPECT_EQ(schedule["FlexibleTimeWindow"]["Mode"], "FLEXIBLE");
  EXPECT_EQ(schedule["FlexibleTimeWindow"]["MaximumWindowInMinutes"], 15);
  const json& target = schedule["Target"];
  EXPECT_EQ(target["Arn"], getAtt("OrchestratorFunction", "Arn"));
  EXPECT_EQ(target["RoleArn"], getAtt("SchedulerRole", "Arn"));
  // One batch per fire: retries of a fire carry the same batch id.
  EXPECT_EQ(json::parse(target["Input"].get<std::string>()),
            json({{"domain", "customer-data"},
                  {"trigger_type", "schedule"},
                  {"batch_id", "customer-data-<aws.scheduler.scheduled-time>"}}));
  EXPECT_EQ(target["RetryPolicy"]["MaximumRetryAttempts"], 2);
  EXPECT_EQ(target["DeadLetterConfig"]["Arn"], getAtt("ScheduleDeadLetterQueue", "Arn"));

  const json& policy =
      resource(stack, "SchedulerRole")["Properties"]["Policies"][0]["PolicyDocument"];
  ASSERT_EQ(policy["Statement"].size(), 2u);
  EXPECT_EQ(policy["Statement"][0]["Action"], json::array({"lambda:InvokeFunction"}));
  EXPECT_EQ(policy["Statement"][0]["Resource"], getAtt("OrchestratorFunction", "Arn"));
  EXPECT_EQ(policy["Statement"][1]["Action"], json::array({"sqs:SendMessage"}));
  EXPECT_EQ(policy["Statement"][1]["Resource"], getAtt("ScheduleDeadLetterQueue", "Arn"));
  const json& trust = resource(stack, "SchedulerRole")["Properties"]["AssumeRolePolicyDocument"];
  EXPECT_EQ(trust["Statement"][0]["Principal"]["Service"], "scheduler.amazonaws.com");

  EXPECT_EQ(stackOf(configText())["Resources"]["Schedule"]["Properties"]["FlexibleTimeWindow"],
            json({{"Mode", "OFF"}}));
}

TEST(StackTemplate, NoScheduleNoSchedulerResources) {
  std::string text = configText();
  text.replace(text.find("schedule = \"0 6 * * 1-5\""), 24, "");
  const json stack = stackOf(text);
  for (const char* id : {"Schedule", "SchedulerRole", "ScheduleDeadLetterQueue",
                         "ScheduleDeadLetterQueueDepthAlarm"}) {
    EXPECT_FALSE(stack["Resources"].contains(id)) << id;
  }
  EXPECT_EQ(stack["Resources"]["QueueTlsOnlyPolicy"]["Properties"]["Queues"].size(), 2u);
}

TEST(StackTemplate, ReferencedBucketIsNotCreated) {
  const json stack = stackOf(configText());
  EXPECT_FALSE(stack["Resources"].contains("LakeBucket"));
  EXPECT_FALSE(stack["Resources"].contains("LakeBucketTlsOnlyPolicy"));
}

TEST(StackTemplate, CreatedBucketIsEncryptedPrivateTlsOnlyAndNotifiesEventBridge) {
  const json stack = stackOf(configText("", "create_bucket = true\nbucket_versioning = true"));
  const json& bucket = resource(stack, "LakeBucket");
  EXPECT_EQ(bucket["DeletionPolicy"], "Retain");
  const json& b = bucket["Properties"];
  EXPECT_EQ(b["BucketName"], "acme-raw");
  EXPECT_EQ(b["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
             ["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "AES256");
  EXPECT_EQ(b["VersioningConfiguration"]["Status"], "Enabled");
  for (const char* flag :
       {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}) {
    EXPECT_EQ(b["PublicAccessBlockConfiguration"][flag], true) << flag;
  }
  EXPECT_EQ(b["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"], true);
  const json& statement =
      resource(stack, "LakeBucketTlsOnlyPolicy")["Properties"]["PolicyDocument"]["Statement"][0];
  EXPECT_EQ(statement["Effect"], "Deny");
  EXPECT_EQ(statement["Condition"]["Bool"]["aws:SecureTransport"], "false");
  EXPECT_FALSE(
      stackOf(configText("", "create_bucket = true"))["Resources"]["LakeBucket"]["Properties"]
          .contains("VersioningConfiguration"));
}

TEST(StackTemplate, CompletionRulesHandTheBatchToTheTransformTarget) {
  const std::string target = "arn:aws:lambda:us-east-1:123456789012:function:transform";
  const json stack = stackOf(
      configText("", "transform_target_arn = \"" + target + "\"\ncompletion_rule = \"both\""));
  const json& event_rule = resource(stack, "CompletionEventRule")["Properties"];
  EXPECT_EQ(event_rule["EventBusName"], "default");
  EXPECT_EQ(event_rule["EventPattern"]["source"], json::array({"rawfeed"}));
  EXPECT_EQ(event_rule["EventPattern"]["detail-type"], json::array({"Extract Batch Completed"}));
  EXPECT_EQ(event_rule["EventPattern"]["detail"]["domain"], json::array({"customer-data"}));
  EXPECT_EQ(event_rule["Targets"][0]["Arn"], target);
  EXPECT_FALSE(event_rule["Targets"][0].contains("RoleArn"));
  const json& manifest_rule = resource(stack, "ManifestCreatedRule")["Properties"];
  EXPECT_EQ(manifest_rule["EventPattern"]["detail"]["bucket"]["name"], json::array({"acme-raw"}));
  EXPECT_EQ(manifest_rule["EventPattern"]["detail"]["object"]["key"][0]["wildcard"],
            "lake/customer-data/*/_batch.manifest.json");
  EXPECT_EQ(resource(stack, "CompletionEventRuleInvokePermission")["Properties"]["SourceArn"],
            getAtt("CompletionEventRule", "Arn"));
  EXPECT_FALSE(stack["Resources"].contains("TransformTargetRole"));

  const std::string machine = "arn:aws:states:us-east-1:123456789012:stateMachine:transform";
  const json states = stackOf(configText("", "transform_target_arn = \"" + machine + "\""));
  EXPECT_FALSE(states["Resources"].contains("ManifestCreatedRule"));
  EXPECT_EQ(states["Resources"]["CompletionEventRule"]["Properties"]["Targets"][0]["RoleArn"],
            getAtt("TransformTargetRole", "Arn"));
  const json& role_policy =
      resource(states, "TransformTargetRole")["Properties"]["Policies"][0]["PolicyDocument"];
  EXPECT_EQ(role_policy["Statement"][0]["Action"], json::array({"states:StartExecution"}));
  EXPECT_EQ(role_policy["Statement"][0]["Resource"], machine);

  EXPECT_FALSE(stackOf(configText())["Resources"].contains("CompletionEventRule"));
}

TEST(StackTemplate, AlarmsWatchQueueAgeErrorsAndDeadLetters) {
  const std::string topic = "arn:aws:sns:us-east-1:123456789012:ops";
  const json stack = stackOf(configText("", "alarm_topic_arn = \"" + topic + "\""));
  const json& depth = resource(stack, "QueueDepthAlarm")["Properties"];
  EXPECT_EQ(depth["MetricName"], "ApproximateNumberOfMessagesVisible");
  EXPECT_EQ(depth["Threshold"], 100);
  EXPECT_EQ(depth["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
  EXPECT_EQ(depth["Dimensions"][0]["Value"], getAtt("ChunkQueue", "QueueName"));
  EXPECT_EQ(depth["AlarmActions"], json::array({topic}));
  EXPECT_EQ(depth["OKActions"], json::array({topic}));
  EXPECT_EQ(resource(stack, "OldestMessageAgeAlarm")["Properties"]["Threshold"], 300);
  const json& errors = resource(stack, "WorkerErrorsAlarm")["Properties"];
  EXPECT_EQ(errors["Namespace"], "AWS/Lambda");
  EXPECT_EQ(errors["Threshold"], 1);
  EXPECT_EQ(errors["DatapointsToAlarm"], 1);
  EXPECT_EQ(errors["Period"].get<int>() * errors["EvaluationPeriods"].get<int>(), 300);
  EXPECT_EQ(errors["TreatMissingData"], "notBreaching");
  EXPECT_EQ(resource(stack, "OrchestratorErrorsAlarm")["Properties"]["Dimensions"][0]["Value"],
            json({{"Ref", "OrchestratorFunction"}}));
  const json& dlq = resource(stack, "DeadLetterQueueDepthAlarm")["Properties"];
  EXPECT_EQ(dlq["Threshold"], 1);
  EXPECT_EQ(dlq["Dimensions"][0]["Value"], getAtt("ChunkDeadLetterQueue", "QueueName"));
  EXPECT_FALSE(
      stackOf(configText())["Resources"]["QueueDepthAlarm"]["Properties"].contains("AlarmActions"));
}

TEST(StackTemplate, AlarmSettingsOfTheDomainApply) {
  const json stack =
      stackOf(configText("[domains.customer-data.alarms.queue_depth]\nthreshold = 500\n"
                         "[domains.customer-data.alarms.oldest_message_age]\nenabled = false\n"));
  EXPECT_EQ(resource(stack, "QueueDepthAlarm")["Properties"]["Threshold"], 500);
  EXPECT_FALSE(stack["Resources"].contains("OldestMessageAgeAlarm"));
}

TEST(StackTemplate, DashboardShowsQueueFunctionsAndStorage) {
  const json stack = stackOf(configText());
  const json& body = resource(stack, "Dashboard")["Properties"]["DashboardBody"];
  const json widgets = json::parse(body["Fn::Sub"].get<std::string>())["widgets"];
  ASSERT_EQ(widgets.size(), 3u);
  EXPECT_NE(widgets[0]["properties"]["title"].get<std::string>().find("Queue"), std::string::npos);
  EXPECT_EQ(widgets[1]["properties"]["title"], "Functions");
  EXPECT_NE(widgets[2]["properties"]["title"].get<std::string>().find("Storage"),
            std::string::npos);
  EXPECT_EQ(widgets[0]["properties"]["region"], "${AWS::Region}");
}

TEST(StackTemplate, VpcPutsFunctionsInSubnetsWithEndpoints) {
  const json stack =
      stackOf(configText("",
                         "vpc_id = \"vpc-1\"\nsubnet_ids = [\"subnet-a\", \"subnet-b\"]\n"
                         "security_group_ids = [\"sg-1\"]\nroute_table_ids = [\"rtb-1\"]"));
  const json& vpc = resource(stack, "WorkerFunction")["Properties"]["VpcConfig"];
  EXPECT_EQ(vpc["SubnetIds"], json::array({"subnet-a", "subnet-b"}));
  EXPECT_EQ(vpc["SecurityGroupIds"], json::array({"sg-1"}));
  EXPECT_EQ(resource(stack, "SqsVpcEndpoint")["Properties"]["VpcEndpointType"], "Interface");
  EXPECT_EQ(resource(stack, "S3GatewayVpcEndpoint")["Properties"]["RouteTableIds"],
            json::array({"rtb-1"}));
  EXPECT_TRUE(stack["Resources"].contains("LogsVpcEndpoint"));
  EXPECT_FALSE(
      stackOf(configText())["Resources"]["WorkerFunction"]["Properties"].contains("VpcConfig"));
}

TEST(StackTemplate, OutputsNameTheFunctionsAndQueues) {
  const json stack = stackOf(configText());
  EXPECT_EQ(stack["Outputs"]["OrchestratorFunctionArn"]["Value"],
            getAtt("OrchestratorFunction", "Arn"));
  EXPECT_EQ(stack["Outputs"]["WorkerFunctionArn"]["Value"], getAtt("WorkerFunction", "Arn"));
  EXPECT_EQ(stack["Outputs"]["QueueUrl"]["Value"], json({{"Ref", "ChunkQueue"}}));
  EXPECT_EQ(stack["Outputs"]["DeadLetterQueueUrl"]["Value"],
            json({{"Ref", "ChunkDeadLetterQueue"}}));
}

TEST(StackTemplate, WithoutACodeLocationTheZipIsAParameter) {
  std::string text = configText();
  text.replace(text.find("code_bucket"),
               text.find("\n", text.find("code_key")) - text.find("code_bucket"), "");
  const json stack = stackOf(text);
  EXPECT_TRUE(stack["Parameters"].contains("CodeBucket"));
  EXPECT_EQ(stack["Resources"]["WorkerFunction"]["Properties"]["Code"]["S3Key"],
            json({{"Ref", "CodeKey"}}));
}

TEST(StackTemplate, SameConfigSameBytes) {
  const auto domain = domainOf(configText("", "create_bucket = true"));
  auto first = renderStack(domain, "prod");
  auto second = renderStack(domain, "prod");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
}

TEST(StackTemplate, QueueNameComesFromTheDomainsSqsQueue) {
  const json stack = stackOf(configText("queue_uri = \"sqs://prices-chunks\""));
  EXPECT_EQ(resource(stack, "ChunkQueue")["Properties"]["QueueName"], "prices-chunks");
  EXPECT_EQ(resource(stack, "ChunkDeadLetterQueue")["Properties"]["QueueName"],
            "prices-chunks-dlq");
}

TEST(StackTemplate, BadDeploymentConfigIsRefusedWithEveryProblemNamed) {
  std::string text = configText("",
                                "batch_size = 50\nvpc_id = \"vpc-1\"\nsubnet_ids = "
                                "[\"s\"]\nsecurity_group_ids = [\"g\"]");
  text.replace(text.find("s3://acme-raw/lake"), 18, "/srv/lake");
  text.replace(text.find("0 6 * * 1-5"), 11, "0 6 1 * 1");
  auto rendered = renderStack(domainOf(text), "prod");
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error().code, core::ErrorCode::kInvalidInput);
  const std::string& message = rendered.error().message;
  for (const char* expected :
       {"domains.customer-data.lake: deploying on AWS needs the lake on S3",
        "domains.customer-data.schedule:", "domains.customer-data.aws.batch_size: over 10 needs",
        "domains.customer-data.aws.route_table_ids:"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\nin:\n" << message;
  }
}

}  // namespace
}  // namespace rawfeed::deploy

namespace rawfeed::deploy {
namespace {

using nlohmann::json;
using testing::configText;
using testing::domainOf;
using testing::stackOf;

const json& workerEnvironment(const json& stack) {
  return stack["Resources"]["WorkerFunction"]["Properties"]["Environment"]["Variables"];
}

TEST(StackEvents, TheWorkerPublishesWhereTheDomainsEventsSay) {
  const std::string target = "arn:aws:lambda:us-east-1:123456789012:function:transform";
  const json bus = stackOf(configText("events = \"eventbridge://lake-events\"",
                                      "transform_target_arn = \"" + target + "\""));
  EXPECT_EQ(workerEnvironment(bus)["RAWFEED_EVENTS"], "eventbridge://lake-events");
  EXPECT_EQ(bus["Resources"]["CompletionEventRule"]["Properties"]["EventBusName"], "lake-events");

  const std::string central = "arn:aws:events:eu-west-1:210987654321:event-bus/central";
  const json by_arn = stackOf(configText("events = \"eventbridge://" + central + "\"",
                                         "transform_target_arn = \"" + target + "\""));
  EXPECT_EQ(workerEnvironment(by_arn)["RAWFEED_EVENTS"], "eventbridge://" + central);
  EXPECT_EQ(by_arn["Resources"]["CompletionEventRule"]["Properties"]["EventBusName"], central);

  const json queue = stackOf(configText("events = \"sqs://batch-completions\""));
  EXPECT_EQ(workerEnvironment(queue)["RAWFEED_EVENTS"], "sqs://batch-completions");
  EXPECT_FALSE(queue["Resources"].contains("CompletionEventRule"));

  const json hook = stackOf(configText(
      "events = \"https://hooks.example.com/rawfeed\"\nevents_token_env = \"HOOK_TOKEN\""));
  EXPECT_EQ(workerEnvironment(hook)["RAWFEED_EVENTS"], "https://hooks.example.com/rawfeed");
  EXPECT_EQ(workerEnvironment(hook)["HOOK_TOKEN"], json({{"Ref", "WebhookToken"}}));
  EXPECT_EQ(hook["Parameters"]["WebhookToken"]["NoEcho"], true);
  EXPECT_EQ(hook.dump().find("\"Ref\":\"WebhookToken\""),
            hook.dump().rfind("\"Ref\":\"WebhookToken\""))
      << "the token is referenced once, by the worker's environment";
}

TEST(StackEvents, AJsonlDomainPublishesToTheConfiguredOrDefaultBusWithANote) {
  EXPECT_EQ(workerEnvironment(stackOf(configText()))["RAWFEED_EVENTS"], "eventbridge://default");
  EXPECT_EQ(
      workerEnvironment(stackOf(configText("", "event_bus = \"lake-events\"")))["RAWFEED_EVENTS"],
      "eventbridge://lake-events");
  std::vector<std::string> notes;
  ASSERT_TRUE(renderStack(domainOf(configText()), "prod", &notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("domains.customer-data.events: \"jsonl\" is a local log"),
            std::string::npos)
      << notes[0];
  EXPECT_NE(notes[0].find("eventbridge://default"), std::string::npos) << notes[0];
}

TEST(StackEvents, OnlyAnEventBridgeSinkGetsAnEventsEndpointAndAWebhookInAVpcANote) {
  const std::string vpc =
      "vpc_id = \"vpc-1\"\nsubnet_ids = [\"subnet-a\"]\nsecurity_group_ids = [\"sg-1\"]\n"
      "route_table_ids = [\"rtb-1\"]";
  EXPECT_TRUE(
      stackOf(configText("events = \"eventbridge://lake-events\"", vpc))["Resources"].contains(
          "EventsVpcEndpoint"));
  EXPECT_FALSE(
      stackOf(configText("events = \"sqs://batch-completions\"", vpc))["Resources"].contains(
          "EventsVpcEndpoint"));
  std::vector<std::string> notes;
  const auto hook = configText("events = \"https://hooks.example.com/rawfeed\"", vpc);
  auto rendered = renderStack(domainOf(hook), "prod", &notes);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  EXPECT_FALSE(json::parse(*rendered)["Resources"].contains("EventsVpcEndpoint"));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("vpc-1"), std::string::npos) << notes[0];
  EXPECT_NE(notes[0].find("NAT"), std::string::npos) << notes[0];
}

TEST(StackEvents, ContradictionsBetweenEventsAndTheAwsSettingsAreRefusedByName) {
  struct Case {
    std::string extra;
    std::string aws;
    const char* expected;
  };
  const std::string target = "arn:aws:lambda:us-east-1:123456789012:function:transform";
  const std::vector<Case> cases = {
      {"events = \"eventbridge://lake-events\"", "event_bus = \"other\"",
       "domains.customer-data.aws.event_bus: 'other' contradicts events = "
       "'eventbridge://lake-events'"},
      {"events = \"sqs://batch-completions\"", "event_bus = \"lake-events\"",
       "domains.customer-data.aws.event_bus: 'lake-events' names an event bus, but events = "
       "'sqs://batch-completions' sends the completion events elsewhere"},
      {"events = \"https://hooks.example.com/x\"", "transform_target_arn = \"" + target + "\"",
       "domains.customer-data.aws.completion_rule: 'event' hands the Transform stage the "
       "completion event from EventBridge"},
      {"events = \"sqs://rawfeed-customer-data-chunks\"", "",
       "domains.customer-data.events: 'sqs://rawfeed-customer-data-chunks' is the domain's chunk "
       "queue"},
      {"events = \"https://sqs.eu-west-1.amazonaws.com/not-an-account/q\"", "",
       "is not an SQS queue URL the role can be narrowed to"},
  };
  for (const auto& c : cases) {
    auto rendered = renderStack(domainOf(configText(c.extra, c.aws)), "prod");
    ASSERT_FALSE(rendered.ok()) << c.extra;
    EXPECT_EQ(rendered.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(rendered.error().message.find(c.expected), std::string::npos)
        << c.expected << "\nin:\n"
        << rendered.error().message;
  }
  // The same bus said twice is not a contradiction.
  EXPECT_TRUE(renderStack(domainOf(configText("events = \"eventbridge://lake-events\"",
                                              "event_bus = \"lake-events\"")),
                          "prod")
                  .ok());
}

}  // namespace
}  // namespace rawfeed::deploy
