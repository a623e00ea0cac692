#include "app/log_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/exit_codes.h"
#include "contract/temp_dir.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::app {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class LogFileTest : public ::testing::Test {
 protected:
  fakes::FakeClock clock_;
};

TEST_F(LogFileTest, LinesAreAppendedUnderTheStateDirectory) {
  contract::TempDir dir;
  const fs::path state = dir.path() / "state";
  {
    auto logger = openLogger(state, "info", ConsoleEcho::kWarnings, clock_);
    ASSERT_TRUE(logger.ok()) << logger.error().message;
    (*logger)->info("first", {{"domain", "customer-data"}});
    (*logger)->log(observe::Level::kDebug, "below_the_level", {});
  }
  {
    auto again = openLogger(state, "debug", ConsoleEcho::kWarnings, clock_);
    ASSERT_TRUE(again.ok());
    (*again)->log(observe::Level::kDebug, "second", {});
  }
  const std::string text = readAll(state / "logs" / "rawfeed.jsonl");
  EXPECT_NE(text.find("\"first\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"second\""), std::string::npos) << text;
  EXPECT_EQ(text.find("below_the_level"), std::string::npos) << text;
}

TEST_F(LogFileTest, AnUnknownLevelReadsAsInfo) {
  contract::TempDir dir;
  auto logger = openLogger(dir.path(), "loud", ConsoleEcho::kWarnings, clock_);
  ASSERT_TRUE(logger.ok());
  (*logger)->log(observe::Level::kDebug, "hidden", {});
  (*logger)->info("shown", {});
  const std::string text = readAll(dir.path() / "logs" / "rawfeed.jsonl");
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("shown"), std::string::npos);
}

TEST_F(LogFileTest, RunEchoesWarningsOnStderrAndServeEveryLine) {
  contract::TempDir dir;
  for (const auto& [echo, info_shown] :
       {std::pair{ConsoleEcho::kWarnings, false}, std::pair{ConsoleEcho::kSameAsFile, true}}) {
    auto logger = openLogger(dir.path(), "info", echo, clock_);
    ASSERT_TRUE(logger.ok());
    ::testing::internal::CaptureStderr();
    (*logger)->info("an_info_line", {});
    (*logger)->warn("a_warning", {});
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(err.find("an_info_line") != std::string::npos, info_shown) << err;
    EXPECT_NE(err.find("a_warning"), std::string::npos) << err;
  }
}

TEST_F(LogFileTest, ALogFileThatCannotBeOpenedStopsTheCommandNamingThePathAndTheCause) {
  contract::TempDir dir;
  // A directory where the file should be: no permission trick, so it holds for root as well.
  const fs::path path = dir.path() / "logs" / "rawfeed.jsonl";
  fs::create_directories(path);
  auto logger = openLogger(dir.path(), "info", ConsoleEcho::kWarnings, clock_);
  ASSERT_FALSE(logger.ok());
  EXPECT_EQ(logger.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(logger.error().message,
            "log file '" + path.string() + "' cannot be written: Is a directory");
  EXPECT_EQ(exitCodeFor(logger.error()), kExitInternal);
}

TEST_F(LogFileTest, ALogsDirectoryThatIsAFileIsRefused) {
  contract::TempDir dir;
  std::ofstream(dir.path() / "logs") << "not a directory\n";
  auto logger = openLogger(dir.path(), "info", ConsoleEcho::kSameAsFile, clock_);
  ASSERT_FALSE(logger.ok());
  EXPECT_EQ(logger.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(
      logger.error().message.rfind(
          "log file '" + (dir.path() / "logs" / "rawfeed.jsonl").string() + "' cannot be written: ",
          0),
      0u)
      << logger.error().message;
}

TEST_F(LogFileTest, AStateDirectoryThatIsAFileIsSaidAsEveryCommandSaysIt) {
  contract::TempDir dir;
  const fs::path file = dir.path() / "state-file";
  std::ofstream(file) << "not a directory\n";
  auto logger = openLogger(file, "info", ConsoleEcho::kWarnings, clock_);
  ASSERT_FALSE(logger.ok());
  EXPECT_EQ(logger.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(logger.error().message, "state directory '" + file.string() +
                                        "' cannot be written: it is a file, not a "
                                        "directory");
  EXPECT_EQ(exitCodeFor(logger.error()), kExitInternal);
}

}  // namespace
}  // namespace rawfeed::app
