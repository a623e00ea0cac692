// Least privilege: each role allows exactly the actions its handler's code performs (from the
// registry in aws/api_operations, not a list kept here) on exactly this domain's resources. An
// extra action, a missing one, a wildcard action, or a "*" resource for an action not on the
// allow-list fails.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "aws/api_operations.h"
#include "deploy/handler_operations.h"
#include "unit/deploy/deploy_test_support.h"

namespace rawfeed::deploy {
namespace {

using nlohmann::json;
using testing::configText;
using testing::getAtt;
using testing::stackOf;
using testing::sub;

constexpr const char* kKey =
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

constexpr const char* kDefaultBus =
    "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default";

// Where the variant's completion events go, as its role must name it.
struct EventTarget {
  json bus = sub(kDefaultBus);
  json queue = "none";
};

// This domain's resources as the test's config names them (lake s3://acme-raw/lake).
json expectedResource(deploy::ResourceKind kind, deploy::Handler handler,
                      const EventTarget& events = {}) {
  using K = deploy::ResourceKind;
  switch (kind) {
    case K::kQueue:
      return getAtt("ChunkQueue", "Arn");
    case K::kDeadLetterQueue:
      return getAtt("ChunkDeadLetterQueue", "Arn");
    case K::kLakeBucket:
      return sub("arn:${AWS::Partition}:s3:::acme-raw");
    case K::kLakeObjects:
      return sub("arn:${AWS::Partition}:s3:::acme-raw/lake/*");
    case K::kLakeProbeObjects:
      return sub("arn:${AWS::Partition}:s3:::acme-raw/lake/_rawfeed/probes/conditional-create-*");
    case K::kLakePendingEvents:
      return sub("arn:${AWS::Partition}:s3:::acme-raw/lake/_rawfeed/events/*/pending/*");
    case K::kLogGroup:
      return getAtt(handler == deploy::Handler::kWorker ? "WorkerLogGroup" : "OrchestratorLogGroup",
                    "Arn");
    case K::kKmsKey:
      return kKey;
    case K::kEventBus:
      return events.bus;
    case K::kConfigObject:
      return sub("arn:${AWS::Partition}:s3:::acme-config/rawfeed.toml");
    case K::kAnyNetworkInterface:
      return "*";
    case K::kEventQueue:
      return events.queue;
  }
  return nullptr;
}

bool allowListed(const std::string& action) {
  for (const auto& allowed : deploy::wildcardAllowList()) {
    if (allowed.iam_action == action)
      return true;
  }
  return false;
}

// Every way `policy` differs from the registry's uses for `handler`; empty when exact.
std::vector<std::string> privilegeProblems(const json& policy, deploy::Handler handler,
                                           const deploy::HandlerSetup& setup,
                                           const EventTarget& events = {}) {
  std::vector<std::string> problems;
  std::set<std::pair<std::string, std::string>> granted;  // (action, resource JSON)
  for (const json& statement : policy["Statement"]) {
    const std::string sid = statement.value("Sid", "?");
    if (statement["Effect"] != "Allow")
      problems.push_back(sid + ": not an Allow");
    if (statement.contains("NotAction") || statement.contains("NotResource")) {
      problems.push_back(sid + ": NotAction/NotResource grant more than they name");
    }
    const json actions =
        statement["Action"].is_array() ? statement["Action"] : json::array({statement["Action"]});
    const json resources = statement["Resource"].is_array() ? statement["Resource"]
                                                            : json::array({statement["Resource"]});
    for (const auto& action : actions) {
      const std::string name = action.get<std::string>();
      if (name.find('*') != std::string::npos)
        problems.push_back(sid + ": wildcard action " + name);
      for (const auto& resource : resources) {
        if (resource == "*" && !allowListed(name)) {
          problems.push_back(sid + ": " + name + " on \"*\" is not allow-listed");
        }
        granted.insert({name, resource.dump()});
      }
    }
  }
  std::set<std::pair<std::string, std::string>> expected;
  for (const auto& use : deploy::handlerOperations(handler, setup)) {
    expected.insert({std::string(use.operation.iam_action),
                     expectedResource(use.resource, handler, events).dump()});
  }
  for (const auto& pair : granted) {
    if (!expected.count(pair))
      problems.push_back("extra: " + pair.first + " on " + pair.second);
  }
  for (const auto& pair : expected) {
    if (!granted.count(pair))
      problems.push_back("missing: " + pair.first + " on " + pair.second);
  }
  return problems;
}

json rolePolicy(const json& stack, const char* role) {
  return stack["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"];
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines)
    text += line + "\n";
  return text;
}

deploy::HandlerSetup setupFor(deploy::Handler handler, bool kms, bool vpc, bool config_in_s3) {
  deploy::HandlerSetup setup;
  setup.kms_key = kms;
  setup.vpc = vpc;
  setup.config_in_s3 = config_in_s3;
  if (handler == deploy::Handler::kWorker)
    setup.events = deploy::HandlerSetup::Events::kEventBridge;
  return setup;
}

struct Variant {
  const char* name;
  std::string aws;
  bool kms = false;
  bool vpc = false;
  bool config_in_s3 = false;
};

TEST(LeastPrivilege, EachRoleAllowsExactlyItsHandlersOperationsOnThisDomainsResources) {
  const std::vector<Variant> variants = {
      {"plain", ""},
      {"kms", std::string("kms_key_arn = \"") + kKey + "\"", true},
      {"vpc",
       "vpc_id = \"vpc-1\"\nsubnet_ids = [\"subnet-a\"]\nsecurity_group_ids = [\"sg-1\"]\n"
       "route_table_ids = [\"rtb-1\"]",
       false, true},
      {"config in s3", "config_location = \"s3://acme-config/rawfeed.toml\"", false, false, true},
  };
  for (const auto& variant : variants) {
    const json stack = stackOf(configText("", variant.aws));
    for (const auto handler : {deploy::Handler::kOrchestrator, deploy::Handler::kWorker}) {
      const char* role = handler == deploy::Handler::kWorker ? "WorkerRole" : "OrchestratorRole";
      const auto problems =
          privilegeProblems(rolePolicy(stack, role), handler,
                            setupFor(handler, variant.kms, variant.vpc, variant.config_in_s3));
      EXPECT_TRUE(problems.empty()) << variant.name << " / " << role << ":\n" << joined(problems);
    }
  }
}

TEST(LeastPrivilege, ListingIsConfinedToTheLakePrefix) {
  const json stack = stackOf(configText());
  for (const char* role : {"OrchestratorRole", "WorkerRole"}) {
    bool found = false;
    const json policy = rolePolicy(stack, role);
    for (const json& statement : policy["Statement"]) {
      if (statement["Action"] != json::array({"s3:ListBucket"}))
        continue;
      found = true;
      EXPECT_EQ(statement["Condition"]["StringLike"]["s3:prefix"], json::array({"lake/*"})) << role;
    }
    EXPECT_TRUE(found) << role;
  }
}

TEST(LeastPrivilege, TheCheckCatchesAnExtraAMissingAndAWildcardGrant) {
  const json stack = stackOf(configText());
  const auto setup = setupFor(deploy::Handler::kWorker, false, false, false);
  json policy = rolePolicy(stack, "WorkerRole");
  ASSERT_TRUE(privilegeProblems(policy, deploy::Handler::kWorker, setup).empty());

  json extra = policy;
  extra["Statement"][0]["Action"].push_back("sqs:PurgeQueue");
  EXPECT_FALSE(privilegeProblems(extra, deploy::Handler::kWorker, setup).empty());

  json missing = policy;
  missing["Statement"].erase(missing["Statement"].size() - 1);
  EXPECT_FALSE(privilegeProblems(missing, deploy::Handler::kWorker, setup).empty());

  json wildcard = policy;
  wildcard["Statement"][0]["Action"] = json::array({"sqs:*"});
  EXPECT_FALSE(privilegeProblems(wildcard, deploy::Handler::kWorker, setup).empty());

  json any_resource = policy;
  any_resource["Statement"][0]["Resource"] = "*";
  EXPECT_FALSE(privilegeProblems(any_resource, deploy::Handler::kWorker, setup).empty());

  json other_queue = policy;
  other_queue["Statement"][0]["Resource"] = "arn:aws:sqs:us-east-1:123456789012:someone-elses";
  EXPECT_FALSE(privilegeProblems(other_queue, deploy::Handler::kWorker, setup).empty());
}

TEST(LeastPrivilege, OrchestratorCannotReceiveOrDeleteAndWorkerCannotSend) {
  const json stack = stackOf(configText());
  std::set<std::string> orchestrator;
  std::set<std::string> worker;
  const json orchestrator_policy = rolePolicy(stack, "OrchestratorRole");
  const json worker_policy = rolePolicy(stack, "WorkerRole");
  for (const json& s : orchestrator_policy["Statement"]) {
    for (const auto& a : s["Action"])
      orchestrator.insert(a.get<std::string>());
  }
  for (const json& s : worker_policy["Statement"]) {
    for (const auto& a : s["Action"])
      worker.insert(a.get<std::string>());
  }
  EXPECT_FALSE(orchestrator.count("sqs:ReceiveMessage"));
  EXPECT_FALSE(orchestrator.count("sqs:DeleteMessage"));
  EXPECT_FALSE(orchestrator.count("events:PutEvents"));
  EXPECT_TRUE(orchestrator.count("sqs:SendMessage"));
  EXPECT_FALSE(worker.count("sqs:SendMessage"));
  EXPECT_TRUE(worker.count("sqs:ReceiveMessage"));
  EXPECT_TRUE(worker.count("events:PutEvents"));
}

// The worker's role follows the domain's `events`: PutEvents on exactly the named bus,
// SendMessage (and GetQueueUrl only for sqs://NAME) on exactly the named queue, nothing for a
// webhook; the orchestrator never publishes.
TEST(LeastPrivilege, TheWorkersEventGrantFollowsTheDomainsEventsSink) {
  using Events = deploy::HandlerSetup::Events;
  struct EventsVariant {
    const char* events;
    Events kind;
    bool queue_named;
    EventTarget target;
  };
  const std::vector<EventsVariant> variants = {
      {"jsonl", Events::kEventBridge, false, {}},
      {"eventbridge://lake-events",
       Events::kEventBridge,
       false,
       {sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/"
            "lake-events")}},
      {"eventbridge://arn:aws:events:eu-west-1:210987654321:event-bus/central",
       Events::kEventBridge,
       false,
       {"arn:aws:events:eu-west-1:210987654321:event-bus/central"}},
      {"sqs://batch-completions",
       Events::kSqs,
       true,
       {"none",
        sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:batch-completions")}},
      {"https://sqs.eu-west-1.amazonaws.com/210987654321/batch-completions.fifo",
       Events::kSqs,
       false,
       {"none", sub("arn:${AWS::Partition}:sqs:eu-west-1:210987654321:batch-completions.fifo")}},
      {"https://hooks.example.com/rawfeed", Events::kWebhook, false, {"none", "none"}},
  };
  for (const auto& variant : variants) {
    const json stack = stackOf(configText(std::string("events = \"") + variant.events + "\"",
                                          "completion_rule = \"manifest\""));
    deploy::HandlerSetup setup;
    setup.events = variant.kind;
    setup.event_queue_named = variant.queue_named;
    auto problems = privilegeProblems(rolePolicy(stack, "WorkerRole"), deploy::Handler::kWorker,
                                      setup, variant.target);
    EXPECT_TRUE(problems.empty()) << variant.events << " / WorkerRole:\n" << joined(problems);
    problems = privilegeProblems(rolePolicy(stack, "OrchestratorRole"),
                                 deploy::Handler::kOrchestrator, deploy::HandlerSetup{});
    EXPECT_TRUE(problems.empty()) << variant.events << " / OrchestratorRole:\n" << joined(problems);
  }
}

}  // namespace
}  // namespace rawfeed::deploy
