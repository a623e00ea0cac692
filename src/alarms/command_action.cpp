#include "alarms/command_action.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "alarms/shell_spawn.h"
#include "core/time_format.h"

namespace rawfeed::alarms {
namespace {

// How often the reaper looks at exit statuses and deadlines while commands run. Idle, it
// sleeps on the self-pipe alone.
constexpr int kBusyPollMillis = 100;

}  // namespace

CommandAction::CommandAction(const core::Clock& clock, observe::Logger& logger,
                             CommandOptions options)
    : clock_(clock), logger_(logger), options_(std::move(options)) {
  if (::pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0) {
    // Without a self-pipe the reaper still polls on its busy cadence; only wake-ups are slower.
    wake_fds_[0] = wake_fds_[1] = -1;
    logger_.error("alarm_command_failed", {{"error", "pipe2 for the reaper failed"}});
  }
  reaper_ = std::thread([this] { reap(); });
}

CommandAction::~CommandAction() {
  stop();
}

void CommandAction::stop() {
  std::call_once(stop_once_, [this] {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake();
    if (reaper_.joinable())
      reaper_.join();
    for (int& fd : wake_fds_) {
      if (fd >= 0)
        ::close(fd);
      fd = -1;
    }
  });
}

void CommandAction::wake() {
  if (wake_fds_[1] < 0)
    return;
  const char byte = 1;
  // A full pipe already holds a wake-up; nothing is lost when this write fails.
  [[maybe_unused]] const auto n = ::write(wake_fds_[1], &byte, 1);
}

void CommandAction::notify(const Transition& t) {
  auto drop = [&](const char* why) {
    logger_.error("alarm_command_dropped",
                  {{"alarm", t.alarm}, {"domain", t.domain}, {"reason", why}});
  };
  if (running_.fetch_add(1) >= options_.max_running) {
    running_.fetch_sub(1);
    drop("too many commands running");
    return;
  }
  const std::vector<std::pair<std::string, std::string>> env = {
      {"RAWFEED_ALARM", t.alarm},
      {"RAWFEED_DOMAIN", t.domain},
      {"RAWFEED_STATE", alarmStateName(t.to)},
      {"RAWFEED_PREVIOUS_STATE", alarmStateName(t.from)},
      {"RAWFEED_REASON", t.reason},
      {"RAWFEED_TIME", core::formatIsoUtc(t.time)},
  };
  // Under the lock, so that stop() cannot slip between the check and the hand-over and leave
  // a child nobody reaps.
  std::lock_guard lock(mutex_);
  if (stopping_) {
    running_.fetch_sub(1);
    drop("stopping");
    return;
  }
  auto spawned = spawnShell(options_.command, env);
  if (!spawned) {
    running_.fetch_sub(1);
    logger_.error(
        "alarm_command_failed",
        {{"alarm", t.alarm}, {"domain", t.domain}, {"error", spawned.error().describe()}});
    return;
  }
  Child child;
  child.pid = spawned->pid;
  child.fd = spawned->output_fd;
  child.deadline = clock_.steadyNow() + options_.timeout;
  child.alarm = t.alarm;
  child.domain = t.domain;
  child.state = alarmStateName(t.to);
  started_.push_back(std::move(child));
  wake();
}

void CommandAction::readOutput(Child& child) {
  char buffer[4096];
  const ssize_t n = ::read(child.fd, buffer, sizeof buffer);
  if (n > 0) {
    const std::size_t room =
        options_.max_output_bytes - std::min(options_.max_output_bytes, child.output.size());
    child.output.append(buffer, std::min(room, static_cast<std::size_t>(n)));
    return;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  ::close(child.fd);
  child.fd = -1;
}

bool CommandAction::collect(Child& child) {
  // Output first: a command's exit is logged with everything it printed.
  if (child.fd >= 0)
    return false;
  int status = 0;
  const pid_t reaped = ::waitpid(child.pid, &status, WNOHANG);
  if (reaped == 0)
    return false;
  running_.fetch_sub(1);
  if (reaped < 0) {
    logger_.error("alarm_command_failed",
                  {{"alarm", child.alarm}, {"domain", child.domain}, {"error", "waitpid failed"}});
    return true;
  }
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  while (!child.output.empty() && child.output.back() == '\n')
    child.output.pop_back();
  logger_.log(exit_code == 0 ? observe::Level::kInfo : observe::Level::kWarn,
              "alarm_command_finished",
              {{"alarm", child.alarm},
               {"domain", child.domain},
               {"state", child.state},
               {"exit_code", exit_code},
               {"output", child.output}});
  return true;
}

void CommandAction::reap() {
  std::vector<Child> children;  // the reaper's own; only this thread touches them
  for (;;) {
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      for (Child& child : started_)
        children.push_back(std::move(child));
      started_.clear();
      stopping = stopping_;
    }
    if (stopping && children.empty())
      return;

    std::vector<pollfd> fds{{wake_fds_[0], POLLIN, 0}};
    std::vector<Child*> owners{nullptr};
    for (Child& child : children) {
      if (child.fd < 0)
        continue;
      fds.push_back({child.fd, POLLIN, 0});
      owners.push_back(&child);
    }
    const bool idle = children.empty() && wake_fds_[0] >= 0;
    ::poll(fds.data(), fds.size(), idle ? -1 : kBusyPollMillis);
    if (fds[0].revents & POLLIN) {
      char drain[64];
      while (::read(wake_fds_[0], drain, sizeof drain) > 0) {
      }
    }
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents != 0)
        readOutput(*owners[i]);
    }
    const core::SteadyTime now = clock_.steadyNow();
    for (Child& child : children) {
      if (child.killed || now < child.deadline)
        continue;
      ::kill(-child.pid, SIGKILL);
      child.killed = true;
      logger_.warn("alarm_command_timed_out",
                   {{"alarm", child.alarm},
                    {"domain", child.domain},
                    {"timeout_seconds", static_cast<std::int64_t>(options_.timeout.count())}});
    }
    std::erase_if(children, [this](Child& child) { return collect(child); });
  }
}

}  // namespace rawfeed::alarms
