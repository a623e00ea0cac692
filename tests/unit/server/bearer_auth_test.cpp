#include "server/bearer_auth.h"

#include <gtest/gtest.h>

namespace rawfeed::server {
namespace {

TEST(BearerAuth, AcceptsTheRightToken) {
  const BearerAuth auth("s3cret-token");
  EXPECT_EQ(auth.check("Bearer s3cret-token"), AuthOutcome::kAccepted);
  EXPECT_EQ(auth.check("bearer s3cret-token"), AuthOutcome::kAccepted);  // scheme is case-blind
  EXPECT_EQ(auth.check("Bearer   s3cret-token  "), AuthOutcome::kAccepted);
}

TEST(BearerAuth, ClassifiesRefusals) {
  const BearerAuth auth("s3cret-token");
  EXPECT_EQ(auth.check(""), AuthOutcome::kMissing);
  EXPECT_EQ(auth.check("   "), AuthOutcome::kMissing);
  EXPECT_EQ(auth.check("Basic czNjcmV0"), AuthOutcome::kWrongScheme);
  EXPECT_EQ(auth.check("Bearer"), AuthOutcome::kWrongScheme);
  EXPECT_EQ(auth.check("Bearers3cret-token"), AuthOutcome::kWrongScheme);
  EXPECT_EQ(auth.check("s3cret-token"), AuthOutcome::kWrongScheme);
  EXPECT_EQ(auth.check("Bearer s3cret-tokeN"), AuthOutcome::kWrongToken);
  EXPECT_EQ(auth.check("Bearer s3cret-token2"), AuthOutcome::kWrongToken);  // longer
  EXPECT_EQ(auth.check("Bearer s3cret"), AuthOutcome::kWrongToken);         // prefix
  EXPECT_EQ(auth.check("Bearer  "), AuthOutcome::kWrongScheme);
}

TEST(BearerAuth, WithoutATokenNothingIsAccepted) {
  const BearerAuth auth("");
  EXPECT_FALSE(auth.configured());
  EXPECT_EQ(auth.check(""), AuthOutcome::kNotConfigured);
  EXPECT_EQ(auth.check("Bearer "), AuthOutcome::kNotConfigured);
  EXPECT_EQ(auth.check("Bearer anything"), AuthOutcome::kNotConfigured);
}

TEST(ConstantTimeEquals, ComparesContentsAndLengths) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_TRUE(constantTimeEquals("", ""));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(constantTimeEquals("", "a"));
  EXPECT_FALSE(constantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace rawfeed::server
