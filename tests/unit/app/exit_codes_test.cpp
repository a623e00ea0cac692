#include "app/exit_codes.h"

#include <gtest/gtest.h>

namespace rawfeed::app {
namespace {

TEST(ExitCodesTest, TheCallersInputIsAUsageErrorAndEverythingElseAFailureOfTheBackends) {
  using core::ErrorCode;
  const struct {
    ErrorCode code;
    int exit;
  } cases[] = {
      {ErrorCode::kInvalidInput, kExitUsage},     {ErrorCode::kNotFound, kExitUsage},
      {ErrorCode::kAlreadyExists, kExitInternal}, {ErrorCode::kUnauthenticated, kExitInternal},
      {ErrorCode::kThrottled, kExitInternal},     {ErrorCode::kTransient, kExitInternal},
      {ErrorCode::kPermanent, kExitInternal},     {ErrorCode::kCancelled, kExitInternal},
      {ErrorCode::kInternal, kExitInternal},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(exitCodeFor(core::makeError(c.code, "x")), c.exit) << core::errorCodeName(c.code);
  }
}

TEST(ExitCodesTest, TheDocumentedValues) {
  EXPECT_EQ(kExitOk, 0);
  EXPECT_EQ(kExitFailures, 1);
  EXPECT_EQ(kExitUsage, 2);
  EXPECT_EQ(kExitUnreachable, 3);
  EXPECT_EQ(kExitInternal, 4);
}

TEST(ExitCodesTest, AReportedFailureGoesToStderrWithItsExitCode) {
  ::testing::internal::CaptureStderr();
  const int code = reportFailure(core::makeError(core::ErrorCode::kNotFound, "no such file"));
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "rawfeed: no such file\n");
  EXPECT_EQ(code, kExitUsage);
}

}  // namespace
}  // namespace rawfeed::app
