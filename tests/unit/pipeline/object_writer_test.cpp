#include "pipeline/object_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>

#include "lake/compression.h"
#include "support/fakes/in_memory_object_store.h"

namespace rawfeed::pipeline {
namespace {

using core::Compression;

// The in-memory store, remembering how each key was labelled.
class LabelRecordingStore final : public store::ObjectStore {
 public:
  core::Result<store::PutOutcome> put(std::string_view key, std::string_view bytes,
                                      const store::PutOptions& options) override {
    {
      std::lock_guard lock(mutex_);
      labels_[std::string(key)] = options;
    }
    return objects_.put(key, bytes, options);
  }
  core::Result<std::string> get(std::string_view key) override { return objects_.get(key); }
  core::Result<store::ObjectInfo> head(std::string_view key) override { return objects_.head(key); }
  core::Result<std::vector<store::ObjectInfo>> list(std::string_view prefix) override {
    return objects_.list(prefix);
  }
  core::Status remove(std::string_view key) override { return objects_.remove(key); }
  std::string location() const override { return objects_.location(); }
  core::Status flush(std::span<const std::string> keys) override { return objects_.flush(keys); }

  store::PutOptions label(const std::string& key) const {
    std::lock_guard lock(mutex_);
    return labels_.at(key);
  }
  fakes::InMemoryObjectStore& objects() { return objects_; }

 private:
  fakes::InMemoryObjectStore objects_;
  mutable std::mutex mutex_;  // guards labels_
  std::map<std::string, store::PutOptions> labels_;
};

std::vector<core::DayRecords> twoBars() {
  core::Record first;
  first.timestamp = 1704205800;  // 2024-01-02T14:30:00Z
  first.close = "185.64";
  first.volume = "82488700";
  core::Record second = first;
  second.timestamp += 60;
  second.close = "185.70";
  return {core::DayRecords{"2024-01-02", {first, second}}};
}

ObjectLayout layoutWith(Compression compression, int level, std::string format = "json") {
  return ObjectLayout{"customer-data",   "prices",    "1d",  "yahoo_finance",
                      std::move(format), compression, level, false};
}

constexpr const char* kDayPrefix =
    "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=01/day=02/";

TEST(ObjectWriterCompressionTest, KeySuffixEncodingAndBytesFollowTheCodec) {
  struct Case {
    Compression compression;
    int level;
    const char* key;
    const char* encoding;
  };
  const Case cases[] = {
      {Compression::kNone, 0, "AAPL.json", ""},
      {Compression::kGzip, 6, "AAPL.json.gz", "gzip"},
      {Compression::kZstd, 3, "AAPL.json.zst", "zstd"},
      {Compression::kZstd, 19, "AAPL.json.zst", "zstd"},
  };
  std::string plain;
  for (const Case& c : cases) {
    LabelRecordingStore store;
    ObjectWriter writer(store);
    auto entries = writer.write(layoutWith(c.compression, c.level), "AAPL", twoBars());
    ASSERT_TRUE(entries.ok()) << entries.error().describe();
    ASSERT_EQ(entries->size(), 1u);
    const std::string key = std::string(kDayPrefix) + c.key;
    EXPECT_EQ((*entries)[0].key, key);
    EXPECT_EQ((*entries)[0].records, 2);
    EXPECT_TRUE((*entries)[0].written);
    EXPECT_EQ(store.label(key).content_encoding, c.encoding);
    EXPECT_EQ(store.label(key).content_type, "application/x-ndjson");
    const std::string stored = store.objects().objects().at(key);
    EXPECT_EQ((*entries)[0].bytes, static_cast<std::int64_t>(stored.size()));
    const auto restored = lake::decompress(stored, c.compression);
    ASSERT_TRUE(restored.ok()) << restored.error().describe();
    if (plain.empty())
      plain = *restored;
    EXPECT_EQ(*restored, plain) << c.key;
    EXPECT_NE(plain.find("\"close\":185.70"), std::string::npos) << plain;
  }
}

TEST(ObjectWriterCompressionTest, AnExistingZstdObjectIsDescribedFromItsBytes) {
  LabelRecordingStore store;
  ObjectWriter writer(store);
  const auto first = writer.write(layoutWith(Compression::kZstd, 3, "csv"), "AAPL", twoBars());
  ASSERT_TRUE(first.ok()) << first.error().describe();
  const auto again = writer.write(layoutWith(Compression::kZstd, 3, "csv"), "AAPL", twoBars());
  ASSERT_TRUE(again.ok()) << again.error().describe();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].key, std::string(kDayPrefix) + "AAPL.csv.zst");
  EXPECT_FALSE((*again)[0].written);
  EXPECT_EQ((*again)[0].records, 2);
  EXPECT_EQ((*again)[0].sha256, (*first)[0].sha256) << "same bytes both times";

  // A corrupt object in its place cannot be listed as if it were whole.
  store.objects().set(std::string(kDayPrefix) + "AAPL.csv.zst", "not zstd");
  const auto corrupt = writer.write(layoutWith(Compression::kZstd, 3, "csv"), "AAPL", twoBars());
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.error().message.find("cannot be read back: zstd"), std::string::npos)
      << corrupt.error().message;
}

std::vector<core::CorporateAction> threeActions() {
  core::CorporateAction dividend;
  dividend.kind = core::CorporateActionKind::kDividend;
  dividend.timestamp = 1704205800;  // 2024-01-02T14:30:00Z
  dividend.day = "2024-01-02";
  dividend.amount = "0.24";
  dividend.currency = "USD";
  core::CorporateAction split;
  split.kind = core::CorporateActionKind::kSplit;
  split.timestamp = 1704205800;
  split.day = "2024-01-02";
  split.numerator = "3";
  split.denominator = "2";
  split.ratio = "3:2";
  core::CorporateAction later = dividend;
  later.timestamp = 1704292200;  // 2024-01-03T14:30:00Z
  later.day = "2024-01-03";
  return {dividend, split, later};
}

TEST(ObjectWriterActionsTest, OneObjectPerDayInTheActionsTableCreateOnly) {
  LabelRecordingStore store;
  ObjectWriter writer(store);
  ObjectLayout layout = layoutWith(Compression::kGzip, 6, "csv");
  layout.actions_table = "corporate_actions";
  const auto first = writer.writeActions(layout, "BRK-B", threeActions());
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_EQ(first->size(), 2u);
  const std::string root =
      "customer-data/corporate_actions/interval=1d/data_source=yahoo_finance/year=2024/month=01/";
  const std::string key2 = root + "day=02/BRK-B.csv.gz";
  EXPECT_EQ((*first)[0].key, key2);
  EXPECT_EQ((*first)[0].table, "corporate_actions");
  EXPECT_EQ((*first)[0].day, "2024-01-02");
  EXPECT_EQ((*first)[0].records, 2);
  EXPECT_TRUE((*first)[0].written);
  EXPECT_EQ((*first)[1].key, root + "day=03/BRK-B.csv.gz");
  EXPECT_EQ((*first)[1].records, 1);
  EXPECT_EQ(store.label(key2).content_type, "text/csv");
  EXPECT_EQ(store.label(key2).content_encoding, "gzip");
  const auto csv = lake::decompress(store.objects().objects().at(key2), Compression::kGzip);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv,
            "symbol,date,timestamp,type,amount,currency,numerator,denominator,split_ratio\n"
            "BRK-B,2024-01-02,2024-01-02T14:30:00Z,dividend,0.24,USD,,,\n"
            "BRK-B,2024-01-02,2024-01-02T14:30:00Z,split,,,3,2,3:2\n");

  const auto again = writer.writeActions(layout, "BRK-B", threeActions());
  ASSERT_TRUE(again.ok()) << again.error().describe();
  ASSERT_EQ(again->size(), 2u);
  EXPECT_FALSE((*again)[0].written);
  EXPECT_EQ((*again)[0].records, 2) << "described from the stored bytes";
  EXPECT_EQ((*again)[0].sha256, (*first)[0].sha256);

  layout.actions_table.clear();
  const auto none = writer.writeActions(layout, "BRK-B", threeActions());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(ObjectWriterActionsTest, AnActionWithABadDayWritesNothing) {
  LabelRecordingStore store;
  ObjectWriter writer(store);
  ObjectLayout layout = layoutWith(Compression::kNone, 0);
  layout.actions_table = "corporate_actions";
  auto actions = threeActions();
  actions[2].day = "2024-13-01";
  const auto written = writer.writeActions(layout, "X", actions);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, core::ErrorCode::kInternal);
  EXPECT_TRUE(store.objects().objects().empty());
}

}  // namespace
}  // namespace rawfeed::pipeline
