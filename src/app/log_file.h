#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "observe/logger.h"

namespace rawfeed::app {

// Which log lines a command also writes on stderr.
enum class ConsoleEcho {
  kWarnings,   // warnings and errors (at least): `run`, `work`, `orchestrate`
  kSameAsFile  // every line the file gets: `serve`, whose stderr is its console log
};

// The command's log: JSON lines appended to {state_dir}/logs/rawfeed.jsonl at `level_name`
// ("debug", "info", "warn", "error"; anything else reads as "info"), echoed on stderr as
// `echo` says. A log that cannot be opened stops the command at start rather than losing every
// line quietly: kInternal naming the state directory or the log file and the system's reason,
// as the state directory's own check does (README: exit 4, nothing sent).
core::Result<std::unique_ptr<observe::JsonLinesLogger>> openLogger(
    const std::filesystem::path& state_dir, const std::string& level_name, ConsoleEcho echo,
    const core::Clock& clock = core::systemClock());

}  // namespace rawfeed::app
