// `rawfeed package`: the zip holds bootstrap, the binary and every shared library it needs
// (loader and glibc included), and the unzipped bootstrap, with nothing but the Lambda
// environment, serves an invocation from the Runtime API server.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <set>

#include "integration/lambda/lambda_support.h"

namespace rawfeed::e2e {
namespace {

// Runs a shell command; its combined output, and the exit status in `status`.
std::string shell(const std::string& command, int& status, const fs::path& dir) {
  const fs::path out = dir / "shell.out";
  status = WEXITSTATUS(std::system((command + " > '" + out.string() + "' 2>&1").c_str()));
  return readFile(out);
}

TEST(LambdaPackageTest, TheZipIsSelfContainedAndItsBootstrapServesAnInvocation) {
  std::string error;
  const auto* servers = integration::testServers(&error);
  ASSERT_NE(servers, nullptr) << error;
  contract::TempDir dir;
  integration::S3Fixture lake(servers->fauxqs, servers->region, servers->bucket);
  ASSERT_TRUE(lake.ok()) << lake.error();
  const std::string queue = "lambda-pkg-" + dir.path().filename().string().substr(13);
  ASSERT_EQ(provisionQueue(*servers, queue, std::chrono::seconds(10)), "");
  testing::ReplayServer replay;
  replay.start();
  const fs::path config = dir.path() / "config.toml";
  {
    std::ofstream out(config);
    out << "[domains.customer-data]\nsymbols = [\"AAPL\", \"MSFT\"]\nlake = \"s3://"
        << servers->bucket << "/" << lake.prefix() << "\"\nqueue_uri = \"sqs://" << queue
        << "\"\n[domains.customer-data.source]\nbase_url = \"" << replay.baseUrl() << "\"\n";
  }

  Subprocess package({RAWFEED_BIN, "package", "--out", (dir.path() / "dist").string(), "--config",
                      config.string()},
                     dir.path(), "package");
  ASSERT_EQ(package.wait(), 0) << package.err();
  const fs::path zip = dir.path() / "dist" / "rawfeed-lambda.zip";
  ASSERT_TRUE(fs::exists(zip));
  EXPECT_NE(package.out().find(std::to_string(fs::file_size(zip)) + " bytes"), std::string::npos)
      << package.out();

  const fs::path root = dir.path() / "task";
  int status = 0;
  const std::string unzipped =
      shell("unzip -q '" + zip.string() + "' -d '" + root.string() + "'", status, dir.path());
  ASSERT_EQ(status, 0) << unzipped << " (is `unzip` installed? scripts/install-deps.sh)";
  for (const char* entry : {"bootstrap", "rawfeed", "rawfeed.toml", "lib/libc.so.6",
                            "lib/ld-linux-x86-64.so.2", "lib/libcurl.so.4", "lib/libstdc++.so.6"}) {
    EXPECT_TRUE(fs::exists(root / entry)) << entry;
  }
  struct stat info {};
  ASSERT_EQ(::stat((root / "bootstrap").c_str(), &info), 0);
  EXPECT_TRUE(info.st_mode & S_IXUSR) << "bootstrap must be executable";

  // Every library the binary needs resolves inside the zip, as the bundled loader sees it.
  const std::string listing =
      shell("'" + (root / "lib/ld-linux-x86-64.so.2").string() + "' --library-path '" +
                (root / "lib").string() + "' --list '" + (root / "rawfeed").string() + "'",
            status, dir.path());
  ASSERT_EQ(status, 0) << listing;
  std::istringstream lines(listing);
  int resolved = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto arrow = line.find(" => ");
    if (arrow == std::string::npos)
      continue;
    const std::string path = line.substr(arrow + 4, line.find(" (") - arrow - 4);
    EXPECT_EQ(path.rfind((root / "lib").string(), 0), 0u) << "resolved outside the zip: " << line;
    ++resolved;
  }
  EXPECT_GT(resolved, 10) << listing;

  // The unzipped bootstrap with the Lambda environment only: one orchestrator invocation.
  testing::RuntimeApiServer api;
  api.start();
  std::vector<std::string> env = {"RAWFEED_HANDLER=orchestrator",
                                  "RAWFEED_DOMAIN=customer-data",
                                  "LAMBDA_TASK_ROOT=" + root.string(),
                                  "RAWFEED_STATE_DIR=" + (dir.path() / "tmp").string(),
                                  "_HANDLER=rawfeed",
                                  "AWS_LAMBDA_FUNCTION_NAME=rawfeed-pkg"};
  for (const auto& variable : awsEnvironment(*servers))
    env.push_back(variable);
  const auto started = Clock::now();
  auto function = startFunction(api, env, dir.path(), "bootstrap", (root / "bootstrap").string());
  const auto reply = api.waitFor(api.invoke(R"({"batch_id":"pkg-1","batch_ds":"2024-01-02"})",
                                            Clock::now() + std::chrono::seconds(60)),
                                 std::chrono::seconds(60));
  ASSERT_TRUE(reply.has_value()) << function->err() << function->out();
  ASSERT_FALSE(reply->error) << reply->body;
  EXPECT_EQ(parsed(reply)["published"], 1);
  EXPECT_EQ(parsed(reply)["batch_id"], "pkg-1");
  std::cout << "[ info ] zip " << fs::file_size(zip) << " bytes; cold start + first orchestration: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(reply->at - started).count()
            << " ms\n";
  EXPECT_NE(function->out().find("\"function_ready\""), std::string::npos) << function->out();
}

}  // namespace
}  // namespace rawfeed::e2e
