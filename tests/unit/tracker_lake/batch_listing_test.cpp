#include "tracker/lake/batch_listing.h"

#include <gtest/gtest.h>

#include "tracker/lake/batch_keys.h"

namespace rawfeed::tracker::lake {
namespace {

std::vector<store::ObjectInfo> objects(const std::vector<std::string>& keys) {
  std::vector<store::ObjectInfo> out;
  for (const auto& key : keys)
    out.push_back({key, 1});
  return out;
}

TEST(BatchListing, SortsKeysIntoTheirKinds) {
  const auto listing = parseBatchListing(
      "b1", objects({planKey("b1"), chunkKey("b1", 2), chunkKey("b1", 0), replacedKey("b1", 2),
                     legacyPublishedKey("b1", 2), "_rawfeed/batches/b1/sent/00000000000000ab.json",
                     "_rawfeed/batches/b1/future.json", "_rawfeed/batches/b1/chunks/x.json",
                     chunkKey("b10", 1)}));
  EXPECT_TRUE(listing.has_plan);
  EXPECT_EQ(listing.chunks, (std::vector<int>{0, 2}));
  EXPECT_EQ(listing.replaced, (std::set<int>{2}));
  EXPECT_EQ(listing.legacy_published, (std::set<std::int64_t>{2}));
  EXPECT_FALSE(listing.events.last_claim.has_value());
  EXPECT_EQ(listing.sent_keys.size(), 1u);
  EXPECT_EQ(listing.recorded(), 2);
  EXPECT_EQ(listing.revision(), 3);
}

TEST(BatchListing, ReadsTheEventMarkers) {
  const auto listing = parseBatchListing(
      "b1", objects({planKey("b1"), eventClaimKey("b1", 0), eventClaimKey("b1", 2),
                     eventClaimKey("b1", 1), eventReleasedKey("b1", 1),
                     eventPublishedKey("b1", "partial"), eventPublishedKey("b1", "someday"),
                     "_rawfeed/batches/b1/events/claims/x.json"}));
  EXPECT_EQ(listing.events.last_claim, 2);
  EXPECT_EQ(listing.events.released, (std::set<std::int64_t>{1}));
  EXPECT_EQ(listing.events.published, (std::set<std::string>{"partial"}));
  EXPECT_EQ(listing.revision(), 0) << "event markers are not results";
}

TEST(BatchListing, AReplacementWithoutItsFirstResultIsIgnored) {
  const auto listing = parseBatchListing("b1", objects({planKey("b1"), replacedKey("b1", 4)}));
  EXPECT_TRUE(listing.replaced.empty());
  EXPECT_EQ(listing.revision(), 0);
}

TEST(BatchListing, CountsOnlyChunkKeys) {
  EXPECT_EQ(countChunkKeys("b1", objects({chunkKey("b1", 0), chunkKey("b1", 1),
                                          "_rawfeed/batches/b1/chunks/tmp"})),
            2);
}

}  // namespace
}  // namespace rawfeed::tracker::lake
