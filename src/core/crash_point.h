#pragma once

#include <string_view>

namespace rawfeed::core {

// Named moments at which a test kills the process, to prove that a crash there loses nothing:
// with RAWFEED_CRASH_AT="name" (or "name@N": the N-th time) in the environment, reaching
// crashPoint("name") sends the process SIGKILL, as `kill -9` would, between two exact steps.
// Without the variable (production) a call is one test of a flag read once. Thread-safe.
//
// The points: "worker.before_flush" — a delivery's objects written, fsynced and renamed into
// place, their directories not yet fsynced, nothing recorded or acknowledged.
void crashPoint(std::string_view name);

}  // namespace rawfeed::core
