#include "lambda/function_environment.h"

#include <gtest/gtest.h>

#include <map>

namespace rawfeed::lambda {
namespace {

EnvironmentLookup from(std::map<std::string, std::string> variables) {
  return [variables](const char* name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end())
      return std::nullopt;
    return found->second;
  };
}

TEST(FunctionEnvironmentTest, TheStacksVariablesWithDefaults) {
  auto env =
      readFunctionEnvironment(from({{"RAWFEED_HANDLER", "worker"},
                                    {"RAWFEED_DOMAIN", "customer-data"},
                                    {"LAMBDA_TASK_ROOT", "/var/task"},
                                    {"RAWFEED_QUEUE", "https://sqs.eu-west-1.amazonaws.com/1/q"},
                                    {"RAWFEED_LAKE", "s3://raw/lake"},
                                    {"AWS_LAMBDA_FUNCTION_NAME", "rawfeed-worker"},
                                    {"AWS_LAMBDA_LOG_LEVEL", "WARN"}}));
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(env->handler, "worker");
  EXPECT_EQ(env->domain, "customer-data");
  EXPECT_EQ(env->config, "/var/task/rawfeed.toml");
  EXPECT_EQ(*env->queue, "https://sqs.eu-west-1.amazonaws.com/1/q");
  EXPECT_EQ(*env->lake, "s3://raw/lake");
  EXPECT_FALSE(env->events.has_value());
  EXPECT_EQ(env->state_dir, "/tmp/rawfeed");
  EXPECT_EQ(env->function_name, "rawfeed-worker");
  EXPECT_EQ(env->log_level, std::optional<std::string>("warn"));
  EXPECT_EQ(env->deadline_margin, std::chrono::milliseconds(3000));

  auto relative = readFunctionEnvironment(from({{"RAWFEED_HANDLER", "orchestrator"},
                                                {"RAWFEED_DOMAIN", "d"},
                                                {"LAMBDA_TASK_ROOT", "/var/task"},
                                                {"RAWFEED_CONFIG", "conf/prod.toml"},
                                                {"RAWFEED_DEADLINE_MARGIN_MS", "250"}}));
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ(relative->config, "/var/task/conf/prod.toml");
  EXPECT_FALSE(relative->log_level.has_value()) << "unset: the command line decides";
  EXPECT_EQ(relative->deadline_margin, std::chrono::milliseconds(250));
  auto on_s3 =
      readFunctionEnvironment(from({{"RAWFEED_HANDLER", "worker"},
                                    {"RAWFEED_DOMAIN", "d"},
                                    {"RAWFEED_CONFIG", "s3://config-bucket/rawfeed.toml"}}));
  ASSERT_TRUE(on_s3.ok());
  EXPECT_EQ(on_s3->config, "s3://config-bucket/rawfeed.toml");
}

TEST(FunctionEnvironmentTest, EveryProblemIsNamedAtOnce) {
  auto env = readFunctionEnvironment(from({{"RAWFEED_HANDLER", "transformer"},
                                           {"RAWFEED_CONFIG", "s3://bucket-only"},
                                           {"RAWFEED_LAKE", "/var/lake"},
                                           {"RAWFEED_DEADLINE_MARGIN_MS", "soon"}}));
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().code, core::ErrorCode::kInvalidInput);
  for (const char* expected :
       {"RAWFEED_HANDLER is 'transformer' (orchestrator or worker)", "RAWFEED_DOMAIN is not set",
        "RAWFEED_CONFIG 's3://bucket-only' is not s3://bucket/key",
        "RAWFEED_LAKE '/var/lake' is not s3://bucket/prefix",
        "RAWFEED_DEADLINE_MARGIN_MS 'soon'"}) {
    EXPECT_NE(env.error().message.find(expected), std::string::npos)
        << expected << " in: " << env.error().message;
  }
  auto missing = readFunctionEnvironment(from({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("RAWFEED_HANDLER is not set"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::lambda
