#include "alarms/shell_spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace rawfeed::alarms {
namespace {

core::Error systemError(const char* what) {
  std::string message = what;
  message += ": ";
  message += std::strerror(errno);
  return core::makeError(core::ErrorCode::kInternal, message);
}

bool overridden(const char* entry, const std::vector<std::pair<std::string, std::string>>& env) {
  for (const auto& [name, value] : env) {
    if (std::strncmp(entry, name.c_str(), name.size()) == 0 && entry[name.size()] == '=') {
      return true;
    }
  }
  return false;
}

}  // namespace

core::Result<SpawnedShell> spawnShell(const std::string& command,
                                      const std::vector<std::pair<std::string, std::string>>& env) {
  // Everything the child needs is built before fork(): between fork and exec a child of a
  // threaded process may only call async-signal-safe functions (no malloc).
  std::vector<std::string> entries;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (!overridden(*e, env))
      entries.emplace_back(*e);
  }
  for (const auto& [name, value] : env) {
    std::string entry = name;
    entry += '=';
    entry += value;
    entries.push_back(std::move(entry));
  }
  std::vector<char*> envp;
  for (auto& entry : entries)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string shell = "/bin/sh";
  std::string dash_c = "-c";
  std::string script = command;
  std::string name = "sh";
  char* argv[] = {name.data(), dash_c.data(), script.data(), nullptr};

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return systemError("pipe2");
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return systemError("open /dev/null");
  }
  sigset_t empty;
  sigemptyset(&empty);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;

  const pid_t pid = ::fork();
  if (pid < 0) {
    const auto error = systemError("fork");
    ::close(fds[0]);
    ::close(fds[1]);
    ::close(null_fd);
    return error;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::sigprocmask(SIG_SETMASK, &empty, nullptr);
    // An ignored SIGPIPE (HTTP clients set one) survives exec and would surprise a script.
    ::sigaction(SIGPIPE, &default_action, nullptr);
    ::dup2(null_fd, 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execve(shell.c_str(), argv, envp.data());
    ::_exit(127);
  }
  // Also from the parent, so the group exists before anyone signals it (no race with exec).
  ::setpgid(pid, pid);
  ::close(fds[1]);
  ::close(null_fd);
  return SpawnedShell{pid, fds[0]};
}

}  // namespace rawfeed::alarms
