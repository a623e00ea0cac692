#include "support/replay_faults.h"

#include <gtest/gtest.h>

namespace rawfeed::testing {
namespace {

TEST(FaultPlan, NoFaultsByDefault) {
  FaultPlan plan;
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(plan.decide("AAPL"), std::nullopt);
  }
}

TEST(FaultPlan, FirstNRequestsOfEachSymbolFail) {
  ReplayFaults faults;
  faults.fail_first = 2;
  faults.fail_first_kind = FaultKind::k503;
  FaultPlan plan(faults);
  EXPECT_EQ(plan.decide("A"), FaultKind::k503);
  EXPECT_EQ(plan.decide("B"), FaultKind::k503);
  EXPECT_EQ(plan.decide("A"), FaultKind::k503);
  EXPECT_EQ(plan.decide("A"), std::nullopt);
  EXPECT_EQ(plan.decide("B"), FaultKind::k503);
  EXPECT_EQ(plan.decide("B"), std::nullopt);
}

TEST(FaultPlan, RateIsRoughlyHonouredAndRepeatableForASeed) {
  ReplayFaults faults;
  faults.rates = {{FaultKind::k429, 0.25}};
  faults.seed = 7;
  FaultPlan first(faults);
  FaultPlan second(faults);
  int hits = 0;
  for (int i = 0; i < 4000; ++i) {
    const auto a = first.decide("S");
    EXPECT_EQ(a, second.decide("S"));
    hits += a.has_value() ? 1 : 0;
  }
  EXPECT_NEAR(hits / 4000.0, 0.25, 0.03);
}

TEST(FaultKindNames, RoundTrip) {
  for (auto kind :
       {FaultKind::k429, FaultKind::k500, FaultKind::k503, FaultKind::kReset, FaultKind::kHang}) {
    EXPECT_EQ(parseFaultKind(faultKindName(kind)), kind);
  }
  EXPECT_EQ(parseFaultKind("404"), std::nullopt);
}

}  // namespace
}  // namespace rawfeed::testing
