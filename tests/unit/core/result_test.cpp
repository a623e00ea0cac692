#include "core/result.h"

#include <gtest/gtest.h>

#include "core/random.h"

namespace rawfeed::core {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0)
    return makeError(ErrorCode::kInvalidInput, "odd number " + std::to_string(n));
  return n / 2;
}

TEST(ResultTest, CarriesValueOrError) {
  auto good = half(4);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 2);
  auto bad = half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.error().describe(), "invalid_input: odd number 3");
}

TEST(ResultTest, StatusDefaultsToOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  Status failed = makeError(ErrorCode::kTransient, "reset");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kTransient);
}

TEST(UuidTest, IsVersionFourAndUnique) {
  SystemRandom random;
  const std::string a = newUuid(random);
  const std::string b = newUuid(random);
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b');
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace rawfeed::core
