#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "contract/temp_dir.h"
#include "integration/s3/test_servers.h"

extern char** environ;

namespace rawfeed::integration {
namespace {

using core::ErrorCode;
using store::PutMode;
using store::PutOptions;
using store::PutOutcome;
using store::s3::CreateMethod;

const PutOptions kCreateOnly{PutMode::kCreateOnly, "application/json", ""};

TEST(S3ServersTest, MotoDecidesACreateOnlyPutInOneRequest) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  ASSERT_TRUE(ensureBucket(servers->moto, servers->region, servers->bucket).ok());
  S3Fixture s3(servers->moto, servers->region, servers->bucket);
  ASSERT_TRUE(s3.ok()) << s3.error();
  auto checked = s3.store().checkBucket();
  ASSERT_TRUE(checked.ok()) << checked.error().describe();
  EXPECT_EQ(s3.store().createMethod(), CreateMethod::kIfNoneMatch);

  const auto before = s3.store().stats().requests;
  EXPECT_EQ(s3.store().put("chunk-0.json", "first", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(s3.store().put("chunk-0.json", "second", kCreateOnly).value(),
            PutOutcome::kAlreadyExists);
  EXPECT_EQ(s3.store().stats().requests - before, 2u);  // no HEAD: moto answered 412
  EXPECT_EQ(s3.store().get("chunk-0.json").value(), "first");
}

TEST(S3ServersTest, ServersThatIgnoreIfNoneMatchAreDetectedAndStillKeepTheFirstObject) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  for (const S3Server* server : {&servers->fauxqs, &servers->s3rver}) {
    S3Fixture s3(*server, servers->region, servers->bucket);
    ASSERT_TRUE(s3.ok()) << s3.error();
    auto checked = s3.store().checkBucket();
    ASSERT_TRUE(checked.ok()) << server->name << ": " << checked.error().describe();
    EXPECT_EQ(s3.store().createMethod(), CreateMethod::kHeadThenPut) << server->name;
    EXPECT_EQ(s3.store().put("k.json", "first", kCreateOnly).value(), PutOutcome::kWritten);
    EXPECT_EQ(s3.store().put("k.json", "second", kCreateOnly).value(), PutOutcome::kAlreadyExists);
    EXPECT_EQ(s3.store().get("k.json").value(), "first") << server->name;
    // The probe left nothing behind.
    EXPECT_EQ(s3.store().list("").value().size(), 1u) << server->name;
  }
}

TEST(S3ServersTest, AWrongSecretIsUnauthenticatedWithTheServersMessage) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  for (S3Server server : {servers->fauxqs, servers->s3rver}) {
    server.secret_access_key += "x";
    S3Fixture s3(server, servers->region, servers->bucket);
    ASSERT_TRUE(s3.ok()) << s3.error();
    auto put = s3.store().put("k.json", "x", kCreateOnly);
    ASSERT_FALSE(put.ok()) << server.name;
    EXPECT_EQ(put.error().code, ErrorCode::kUnauthenticated) << put.error().describe();
    EXPECT_NE(put.error().message.find("SignatureDoesNotMatch"), std::string::npos)
        << put.error().message;
    EXPECT_EQ(put.error().message.find(server.secret_access_key), std::string::npos);
    auto checked = s3.store().checkBucket();
    ASSERT_FALSE(checked.ok());
    EXPECT_EQ(checked.error().code, ErrorCode::kUnauthenticated) << checked.error().describe();
    EXPECT_EQ(s3.store().stats().retries, 0u);  // a refusal is not retried
  }
}

TEST(S3ServersTest, AnUnknownAccessKeyIsUnauthenticated) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  S3Server server = servers->fauxqs;
  server.access_key_id = "AKIDNOBODY";
  S3Fixture s3(server, servers->region, servers->bucket);
  ASSERT_TRUE(s3.ok()) << s3.error();
  auto got = s3.store().get("k.json");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kUnauthenticated) << got.error().describe();
}

TEST(S3ServersTest, AMissingBucketIsReportedAsConfigurationAtStartUp) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  for (const S3Server* server : {&servers->fauxqs, &servers->s3rver, &servers->moto}) {
    S3Fixture s3(*server, servers->region, "rawfeed-no-such-bucket");
    ASSERT_TRUE(s3.ok()) << s3.error();
    auto checked = s3.store().checkBucket();
    ASSERT_FALSE(checked.ok()) << server->name;
    EXPECT_EQ(checked.error().code, ErrorCode::kNotFound) << checked.error().describe();
    EXPECT_NE(checked.error().message.find("configuration: S3 bucket 'rawfeed-no-such-bucket' "
                                           "does not exist"),
              std::string::npos)
        << checked.error().message;
  }
}

TEST(S3ServersTest, ChecksumAndEncryptionHeadersAreAccepted) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  for (const S3Server* server : {&servers->fauxqs, &servers->s3rver, &servers->moto}) {
    if (server == &servers->moto) {
      ASSERT_TRUE(ensureBucket(servers->moto, servers->region, servers->bucket).ok());
    }
    for (auto checksum : {store::s3::Checksum::kSha256, store::s3::Checksum::kMd5}) {
      store::s3::S3Options overrides;
      overrides.checksum = checksum;
      overrides.sse = "AES256";
      S3Fixture s3(*server, servers->region, servers->bucket, overrides);
      ASSERT_TRUE(s3.ok()) << s3.error();
      auto put = s3.store().put("sse/day=07/a.json", "{\"a\":1}", kCreateOnly);
      ASSERT_TRUE(put.ok()) << server->name << ": " << put.error().describe();
      EXPECT_EQ(s3.store().get("sse/day=07/a.json").value(), "{\"a\":1}") << server->name;
    }
  }
}

TEST(S3ServersTest, AGzipObjectComesBackAsStoredEvenWhereTheServerSendsItsEncoding) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  ASSERT_TRUE(ensureBucket(servers->moto, servers->region, servers->bucket).ok());
  for (const S3Server* server : {&servers->fauxqs, &servers->moto}) {
    S3Fixture s3(*server, servers->region, servers->bucket);
    ASSERT_TRUE(s3.ok()) << s3.error();
    const std::string gzip(
        "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xab\x56\x2a\xae\xcc\x4d\xca\xcf\x51\xb2\x52"
        "\x72\x74\x0c\xf0\x51\xaa\xe5\x02\x00\x74\x28\xfb\xbf\x12\x00\x00\x00",
        38);
    auto put =
        s3.store().put("a.jsonl.gz", gzip, PutOptions{PutMode::kCreateOnly, "text/plain", "gzip"});
    ASSERT_TRUE(put.ok()) << server->name << ": " << put.error().describe();
    auto got = s3.store().get("a.jsonl.gz");
    ASSERT_TRUE(got.ok()) << server->name << ": " << got.error().describe();
    EXPECT_EQ(*got, gzip) << server->name;
  }
}

// Runs argv with exactly `env` as its environment, stdout and stderr into `output`; the exit
// status, or -1 when it could not start.
int runProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const std::string& output) {
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& entry : env)
    envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(S3ServersTest, TheAwsCliReadsWhatRawfeedWrote) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  for (const S3Server* server : {&servers->fauxqs, &servers->s3rver}) {
    S3Fixture s3(*server, servers->region, servers->bucket);
    ASSERT_TRUE(s3.ok()) << s3.error();
    const std::string gzip(
        "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xab\x56\x2a\xae\xcc\x4d\xca\xcf\x51\xb2\x52"
        "\x72\x74\x0c\xf0\x51\xaa\xe5\x02\x00\x74\x28\xfb\xbf\x12\x00\x00\x00",
        38);
    const PutOptions options{PutMode::kCreateOnly, "application/x-ndjson", "gzip"};
    ASSERT_TRUE(s3.store().put("symbol=^GSPC/day=07/part-0.jsonl.gz", gzip, options).ok());

    contract::TempDir dir;
    const std::string object = (dir.path() / "object").string();
    const std::string output = (dir.path() / "cli.out").string();
    const char* path = std::getenv("PATH");
    const char* home = std::getenv("HOME");
    // Only what the CLI needs: no profile or config file of the machine can change the answer.
    const std::vector<std::string> env = {
        std::string("PATH=") + (path != nullptr ? path : "/usr/bin:/bin"),
        std::string("HOME=") + (home != nullptr ? home : "/tmp"),
        "AWS_ACCESS_KEY_ID=" + server->access_key_id,
        "AWS_SECRET_ACCESS_KEY=" + server->secret_access_key,
        "AWS_DEFAULT_REGION=" + servers->region,
        "AWS_CONFIG_FILE=/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
        "AWS_EC2_METADATA_DISABLED=true",
        "AWS_PAGER="};
    const std::string key = s3.prefix() + "/symbol=^GSPC/day=07/part-0.jsonl.gz";
    const int status =
        runProcess({"timeout", "60", "aws", "--endpoint-url", server->proxy_url, "s3api",
                    "get-object", "--bucket", servers->bucket, "--key", key, object},
                   env, output);
    const std::string said = readFile(output);
    ASSERT_EQ(status, 0) << server->name << ": aws s3api get-object said: " << said;
    EXPECT_EQ(readFile(object), gzip) << server->name;
    EXPECT_NE(said.find("\"ContentType\": \"application/x-ndjson\""), std::string::npos) << said;
    EXPECT_NE(said.find("\"ContentEncoding\": \"gzip\""), std::string::npos) << said;
    EXPECT_NE(said.find("\"ContentLength\": 38"), std::string::npos) << said;
  }
}

}  // namespace
}  // namespace rawfeed::integration
