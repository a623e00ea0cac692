#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "alarms/alarm_action.h"
#include "core/clock.h"
#include "observe/logger.h"

namespace rawfeed::alarms {

struct CommandOptions {
  std::string command;                  // run as /bin/sh -c COMMAND
  std::chrono::seconds timeout{60};     // then its process group gets SIGKILL
  int max_running = 4;                  // more notifications meanwhile are dropped (and logged)
  std::size_t max_output_bytes = 8192;  // of stdout+stderr kept for the log; the rest is read
                                        // and discarded so the command never blocks on a pipe
};

// Runs a shell command per notification with RAWFEED_ALARM, RAWFEED_DOMAIN, RAWFEED_STATE,
// RAWFEED_PREVIOUS_STATE, RAWFEED_REASON and RAWFEED_TIME in its environment. notify() forks and
// returns; a reaper thread owned by this object collects output and exit status and logs
// "alarm_command_finished" (or alarm_command_timed_out / alarm_command_failed /
// alarm_command_dropped). stop() (also run by the destructor) waits for running commands, each
// within its timeout, and is idempotent. Thread-safe.
class CommandAction final : public AlarmAction {
 public:
  CommandAction(const core::Clock& clock, observe::Logger& logger, CommandOptions options);
  ~CommandAction() override;
  CommandAction(const CommandAction&) = delete;
  CommandAction& operator=(const CommandAction&) = delete;

  void notify(const Transition& transition) override;
  void stop();

 private:
  struct Child {
    int pid = -1;
    int fd = -1;  // -1 once its output reached end of file
    std::string output;
    core::SteadyTime deadline{};
    bool killed = false;
    std::string alarm;
    std::string domain;
    std::string state;
  };

  void reap();
  void wake();
  void readOutput(Child& child);
  // True when the child has exited and was logged.
  bool collect(Child& child);

  const core::Clock& clock_;
  observe::Logger& logger_;
  CommandOptions options_;
  int wake_fds_[2] = {-1, -1};  // a self-pipe: notify() and stop() interrupt the reaper's poll

  std::mutex mutex_;            // guards started_ and stopping_
  std::vector<Child> started_;  // handed from notify() to the reaper
  bool stopping_ = false;
  std::atomic<int> running_{0};

  std::once_flag stop_once_;
  std::thread reaper_;  // last: started after everything it reads exists
};

}  // namespace rawfeed::alarms
