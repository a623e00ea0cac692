#include "core/crash_point.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace rawfeed::core {
namespace {

// Runs the crash points in a child whose environment says `armed`; returns how it ended: the
// signal that killed it, or 0 when it got past them all.
int endOfChildPassing(const char* armed, int arrivals) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::setenv("RAWFEED_CRASH_AT", armed, 1);
    crashPoint("another.point");
    for (int i = 0; i < arrivals; ++i)
      crashPoint("test.point");
    ::_exit(0);
  }
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
  if (WIFSIGNALED(status))
    return WTERMSIG(status);
  EXPECT_TRUE(WIFEXITED(status));
  return 0;
}

TEST(CrashPoint, KillsAtTheNamedPointOnTheNthArrivalOnly) {
  EXPECT_EQ(endOfChildPassing("test.point", 1), SIGKILL);
  EXPECT_EQ(endOfChildPassing("test.point@3", 2), 0);
  EXPECT_EQ(endOfChildPassing("test.point@3", 3), SIGKILL);
  EXPECT_EQ(endOfChildPassing("other.point", 5), 0);
  EXPECT_EQ(endOfChildPassing("", 5), 0);
  // A count that is not one arms the first arrival rather than none.
  EXPECT_EQ(endOfChildPassing("test.point@x", 1), SIGKILL);
}

}  // namespace
}  // namespace rawfeed::core
