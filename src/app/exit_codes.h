#pragma once

#include "core/result.h"

namespace rawfeed::app {

// Exit codes, documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailures = 1;     // dead-lettered messages or transient symbol failures
inline constexpr int kExitUsage = 2;        // bad configuration, flags or trigger
inline constexpr int kExitUnreachable = 3;  // the source cannot be reached at all
inline constexpr int kExitInternal = 4;     // the queue, tracker, lake or event sink failed
inline constexpr int kExitGaps = 5;         // `rawfeed gaps`: the lake misses (symbol, day) objects

// The exit code of a command that stopped on `error`: the caller's input (configuration, flags,
// trigger, an unknown domain or file) is a usage error, anything else the storage's or a
// backend's failure.
int exitCodeFor(const core::Error& error);

// Writes "rawfeed: <message>" on stderr and returns exitCodeFor(error).
int reportFailure(const core::Error& error);

}  // namespace rawfeed::app
