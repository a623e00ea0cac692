#include "tracker/event_claim_rules.h"

#include <gtest/gtest.h>

namespace rawfeed::tracker {
namespace {

constexpr auto kPartial = EventStatus::kPartial;
constexpr auto kComplete = EventStatus::kComplete;

struct Case {
  const char* name;
  EventStatus wanted;
  std::optional<EventStatus> current;
  EventLedger ledger;
  std::optional<ClaimOutcome> expected;  // nullopt: kInvalidInput
};

TEST(EventClaimRules, DecideAsTheInterfaceSays) {
  const Case cases[] = {
      {"open batch", kPartial, std::nullopt, {}, std::nullopt},
      {"complete asked of a partial batch", kComplete, kPartial, {}, std::nullopt},
      {"first partial", kPartial, kPartial, {}, ClaimOutcome::kGranted},
      {"first complete", kComplete, kComplete, {}, ClaimOutcome::kGranted},
      {"partial out already", kPartial, kPartial, {true, false, false}, ClaimOutcome::kPublished},
      {"partial read, complete now", kPartial, kComplete, {}, ClaimOutcome::kSuperseded},
      {"partial read, complete now, partial out",
       kPartial,
       kComplete,
       {true, false, false},
       ClaimOutcome::kSuperseded},
      {"complete after partial",
       kComplete,
       kComplete,
       {true, false, false},
       ClaimOutcome::kGranted},
      {"complete out already", kComplete, kComplete, {true, true, false}, ClaimOutcome::kPublished},
      {"a live claim", kPartial, kPartial, {false, false, true}, ClaimOutcome::kHeld},
      {"complete behind a live partial claim",
       kComplete,
       kComplete,
       {false, false, true},
       ClaimOutcome::kHeld},
      {"published wins over a live claim",
       kComplete,
       kComplete,
       {false, true, true},
       ClaimOutcome::kPublished},
  };
  for (const auto& c : cases) {
    auto decided = decideEventClaim("b1", c.wanted, c.current, c.ledger);
    if (!c.expected) {
      ASSERT_FALSE(decided.ok()) << c.name;
      EXPECT_EQ(decided.error().code, core::ErrorCode::kInvalidInput) << c.name;
      EXPECT_NE(decided.error().message.find("b1"), std::string::npos) << c.name;
      continue;
    }
    ASSERT_TRUE(decided.ok()) << c.name << ": " << decided.error().describe();
    EXPECT_EQ(*decided, *c.expected) << c.name << ": " << claimOutcomeName(*decided);
  }
}

}  // namespace
}  // namespace rawfeed::tracker
