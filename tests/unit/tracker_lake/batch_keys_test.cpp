#include "tracker/lake/batch_keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace rawfeed::tracker::lake {
namespace {

TEST(BatchKeys, LayoutUnderTheReservedPrefix) {
  EXPECT_EQ(planKey("b1"), "_rawfeed/batches/b1/plan.json");
  EXPECT_EQ(chunkKey("b1", 12), "_rawfeed/batches/b1/chunks/00000012.json");
  EXPECT_EQ(replacedKey("b1", 12), "_rawfeed/batches/b1/replaced/00000012.json");
  EXPECT_EQ(legacyPublishedKey("b1", 3), "_rawfeed/batches/b1/published/00000003");
  EXPECT_EQ(eventClaimKey("b1", 4), "_rawfeed/batches/b1/events/claims/00000004.json");
  EXPECT_EQ(eventReleasedKey("b1", 4), "_rawfeed/batches/b1/events/released/00000004");
  EXPECT_EQ(eventPublishedKey("b1", "partial"), "_rawfeed/batches/b1/events/published/partial");
  EXPECT_EQ(chunksPrefix("b1"), "_rawfeed/batches/b1/chunks/");
  EXPECT_EQ(recentIndexKey(1'700'000'000'000, "b1"), "_rawfeed/index/recent/8299999999999-b1");
  EXPECT_EQ(domainIndexKey("equities", 0, "b-1"),
            "_rawfeed/index/domains/equities/9999999999999-b-1");
}

TEST(BatchKeys, SentKeysNameTheSetOfChunks) {
  const std::vector<int> a{0, 1, 2};
  const std::vector<int> b{0, 1, 3};
  EXPECT_EQ(sentKey("b1", a), sentKey("b1", std::vector<int>{0, 1, 2}));
  EXPECT_NE(sentKey("b1", a), sentKey("b1", b));
  EXPECT_EQ(sentKey("b1", a).rfind("_rawfeed/batches/b1/sent/", 0), 0u);
}

TEST(BatchKeys, IndexKeysSortNewestFirstAndParseBack) {
  std::vector<std::string> keys{recentIndexKey(1000, "old"), recentIndexKey(3000, "new"),
                                recentIndexKey(2000, "mid")};
  std::sort(keys.begin(), keys.end());
  auto first = parseIndexKey(recentIndexPrefix(), keys[0]);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->batch_id, "new");
  EXPECT_EQ(first->registered_at_ms, 3000);
  EXPECT_EQ(parseIndexKey(recentIndexPrefix(), keys[2])->batch_id, "old");
}

TEST(BatchKeys, ForeignIndexKeysAreNotEntries) {
  const std::string prefix = recentIndexPrefix();
  for (const std::string& key :
       {prefix + "x", prefix + "12345-b1", prefix + "999999999999x-b1", prefix + "9999999999999-",
        prefix + "9999999999999+b1", std::string("_rawfeed/other/9999999999999-b1")}) {
    EXPECT_FALSE(parseIndexKey(prefix, key).has_value()) << key;
  }
}

TEST(BatchKeys, SegmentProblems) {
  EXPECT_EQ(segmentProblem("2024-01-02-equities"), "");
  EXPECT_NE(segmentProblem(""), "");
  EXPECT_NE(segmentProblem("."), "");
  EXPECT_NE(segmentProblem(".."), "");
  EXPECT_NE(segmentProblem("a/b"), "");
}

}  // namespace
}  // namespace rawfeed::tracker::lake
