#include "alarms/command_action.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "contract/temp_dir.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/recording_logger.h"

namespace rawfeed::alarms {
namespace {

using fakes::RecordingLogger;
using std::chrono::seconds;

Transition commandTransition() {
  return Transition{"oldest_message_age",
                    "customer-data",
                    AlarmState::kAlarm,
                    AlarmState::kOk,
                    "Threshold Crossed: 1 out of the last 5 datapoints [12.0 (x)] was not ...",
                    core::SystemTime(seconds(1'795'698'300))};
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class CommandTest : public ::testing::Test {
 protected:
  fakes::FakeClock clock_;
  RecordingLogger logger_;
  contract::TempDir dir_;
};

TEST_F(CommandTest, RunsTheCommandWithTheAlarmInItsEnvironment) {
  const auto file = dir_.path() / "env.txt";
  CommandAction action(clock_, logger_, CommandOptions{"env > '" + file.string() + "'"});
  action.notify(commandTransition());
  // The one real wait in these tests: a child process, reaped on the action's thread.
  ASSERT_TRUE(logger_.waitFor("alarm_command_finished", 1));

  const std::string env = readFile(file);
  EXPECT_NE(env.find("RAWFEED_ALARM=oldest_message_age\n"), std::string::npos) << env;
  EXPECT_NE(env.find("RAWFEED_DOMAIN=customer-data\n"), std::string::npos);
  EXPECT_NE(env.find("RAWFEED_STATE=OK\n"), std::string::npos);
  EXPECT_NE(env.find("RAWFEED_PREVIOUS_STATE=ALARM\n"), std::string::npos);
  EXPECT_NE(env.find("RAWFEED_REASON=Threshold Crossed: 1 out of the last 5 datapoints [12.0 "
                     "(x)] was not ...\n"),
            std::string::npos);
  EXPECT_NE(env.find("RAWFEED_TIME=2026-11-26T13:05:00Z\n"), std::string::npos);
  EXPECT_NE(env.find("PATH="), std::string::npos);  // the parent's environment too
  EXPECT_EQ(logger_.events("alarm_command_finished")[0].fields.at("exit_code"), "0");
}

TEST_F(CommandTest, LogsOutputAndExitCode) {
  CommandAction action(clock_, logger_,
                       CommandOptions{"echo \"$RAWFEED_STATE from $RAWFEED_PREVIOUS_STATE\"; "
                                      "echo oops >&2; exit 3"});
  action.notify(commandTransition());
  ASSERT_TRUE(logger_.waitFor("alarm_command_finished", 1));
  const auto finished = logger_.events("alarm_command_finished")[0];
  EXPECT_EQ(finished.level, observe::Level::kWarn);
  EXPECT_EQ(finished.fields.at("exit_code"), "3");
  EXPECT_EQ(finished.fields.at("output"), "OK from ALARM\noops");
  EXPECT_EQ(finished.fields.at("alarm"), "oldest_message_age");
}

TEST_F(CommandTest, KillsACommandPastItsTimeout) {
  CommandOptions options{"sleep 30"};
  options.timeout = seconds(5);
  CommandAction action(clock_, logger_, options);
  action.notify(commandTransition());
  clock_.advance(seconds(6));  // the reaper judges deadlines by the injected clock
  ASSERT_TRUE(logger_.waitFor("alarm_command_finished", 1));
  EXPECT_EQ(logger_.events("alarm_command_timed_out").size(), 1u);
  EXPECT_EQ(logger_.events("alarm_command_finished")[0].fields.at("exit_code"), "137");
}

TEST_F(CommandTest, BoundsRunningCommandsAndStopsIdempotently) {
  CommandOptions options{"sleep 30"};
  options.max_running = 1;
  options.timeout = seconds(1);
  CommandAction action(clock_, logger_, options);
  action.notify(commandTransition());
  action.notify(commandTransition());
  EXPECT_EQ(logger_.events("alarm_command_dropped").size(), 1u);
  clock_.advance(seconds(2));  // so that stop() does not wait the whole sleep
  action.stop();
  action.stop();
  EXPECT_EQ(logger_.events("alarm_command_finished").size(), 1u);
  action.notify(commandTransition());  // after stop: dropped, nothing started
  EXPECT_EQ(logger_.events("alarm_command_dropped").size(), 2u);
}

}  // namespace
}  // namespace rawfeed::alarms
