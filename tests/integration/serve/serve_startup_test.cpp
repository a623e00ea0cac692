// `rawfeed serve` at start: its flags are checked as `rawfeed run` checks them, a log that cannot
// be opened stops it before it listens, and a --source-url with a trailing slash is trimmed.
#include "integration/serve/serve_domains.h"

namespace rawfeed::serve_test {
namespace {

class ServeStartupTest : public ServeTest {
 protected:
  // `rawfeed serve` that is expected to stop at start.
  Exit serveOnce(const fs::path& config, const std::string& source_url, const std::string& name) {
    e2e::Subprocess serve(
        {RAWFEED_BIN, "serve", "--config", config.string(), "--source-url", source_url},
        dir_.path(), name);
    const Exit exit = waitWithin(serve, seconds(20));
    out_ = serve.out();
    err_ = serve.err();
    return exit;
  }

  std::string out_, err_;
};

TEST_F(ServeStartupTest, ASourceUrlThatIsNotHttpIsAUsageError) {
  const Exit exit =
      serveOnce(writeServeConfig(dir_.path(), twoDomains()), "ftp://127.0.0.1:1", "bad-url");
  EXPECT_FALSE(exit.timed_out);
  EXPECT_EQ(exit.status, 2) << err_;
  EXPECT_NE(err_.find("rawfeed: --source-url must start with http:// or https:// (got "
                      "'ftp://127.0.0.1:1')"),
            std::string::npos)
      << err_;
  EXPECT_EQ(out_.find(kReadyLine), std::string::npos) << out_;
}

TEST_F(ServeStartupTest, ALogFileThatCannotBeOpenedStopsItBeforeItListens) {
  const fs::path log = state() / "logs" / "rawfeed.jsonl";
  fs::create_directories(log);  // a directory in the file's place
  const Exit exit =
      serveOnce(writeServeConfig(dir_.path(), twoDomains()), replay_.baseUrl(), "unopenable-log");
  EXPECT_FALSE(exit.timed_out);
  EXPECT_EQ(exit.status, 4) << err_;
  EXPECT_NE(err_.find("rawfeed: log file '" + log.string() + "' cannot be written: Is a directory"),
            std::string::npos)
      << err_;
  EXPECT_EQ(out_.find(kReadyLine), std::string::npos) << out_;
}

TEST_F(ServeStartupTest, ATrailingSlashOfTheSourceUrlIsTrimmed) {
  ServeProcess serve(writeServeConfig(dir_.path(), twoDomains()), replay_.baseUrl() + "/",
                     dir_.path(), "trailing-slash");
  ASSERT_FALSE(serve.waitReady().empty()) << serve.process().err();
  const Reply run =
      serve.post("/v1/domains/events/runs", R"({"symbols":["KO"],"batch_id":"slash-ko"})");
  ASSERT_EQ(run.status, 202) << run.body;
  const auto batch = waitComplete(serve, kEvents, "slash-ko");
  EXPECT_TRUE(batch.is_object() && batch["status"] == "complete") << batch.dump();
  const Exit stopped = serve.stop();
  EXPECT_FALSE(stopped.timed_out);
  EXPECT_EQ(stopped.status, 0) << serve.process().err();
}

}  // namespace
}  // namespace rawfeed::serve_test
