#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rawfeed::alarms {

struct SpawnedShell {
  int pid = -1;        // also its process group, so that a timeout can kill the whole tree
  int output_fd = -1;  // read end of its stdout and stderr (close-on-exec); the caller closes it
};

// Starts `/bin/sh -c command` with stdin from /dev/null, stdout and stderr into a pipe, the
// parent's environment with `env` added (replacing variables of the same names), an empty
// signal mask (a service that blocks SIGTERM for its signal thread must not pass that on) and
// SIGPIPE at its default.
// Returns at once. kInternal when pipe/fork fails. Thread-safe.
core::Result<SpawnedShell> spawnShell(const std::string& command,
                                      const std::vector<std::pair<std::string, std::string>>& env);

}  // namespace rawfeed::alarms
