#include "lake/raw_key.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace rawfeed::lake {
namespace {

using core::Compression;

PartitionKey partition() {
  return PartitionKey{"us_equities", "prices", "1d", "yahoo_finance", "2024-03-07"};
}

TEST(RawKeyTest, ObjectKeyFollowsContractLayout) {
  EXPECT_EQ(objectKey(partition(), "AAPL", Format::kJsonLines, Compression::kNone),
            "us_equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=03/day=07/"
            "AAPL.json");
  EXPECT_EQ(objectKey(partition(), "AAPL", Format::kCsv, Compression::kGzip),
            "us_equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=03/day=07/"
            "AAPL.csv.gz");
  EXPECT_EQ(objectKey(partition(), "AAPL", Format::kJsonLines, Compression::kGzip),
            "us_equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=03/day=07/"
            "AAPL.json.gz");
  EXPECT_EQ(objectKey(partition(), "AAPL", Format::kJsonLines, Compression::kZstd),
            "us_equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=03/day=07/"
            "AAPL.json.zst");
  EXPECT_EQ(objectKey(partition(), "^GSPC", Format::kCsv, Compression::kZstd),
            "us_equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=03/day=07/"
            "%5EGSPC.csv.zst");
}

TEST(RawKeyTest, ManifestAndPrefix) {
  EXPECT_EQ(partitionPrefix(partition()),
            "us_equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=03/day=07/");
  EXPECT_EQ(manifestKey(partition()),
            "us_equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=03/day=07/"
            "_batch.manifest.json");
}

TEST(RawKeyTest, SymbolsAreUpperCasedAndPercentEncoded) {
  struct Case {
    const char* symbol;
    const char* encoded;
  };
  const Case cases[] = {
      {"AAPL", "AAPL"},           {"aapl", "AAPL"},       {"^GSPC", "%5EGSPC"},
      {"^gspc", "%5EGSPC"},       {"BRK.B", "BRK.B"},     {"BRK-B", "BRK-B"},
      {"EURUSD=X", "EURUSD%3DX"}, {"ES=F", "ES%3DF"},     {"A_B", "A_B"},
      {"005930.KS", "005930.KS"}, {"A/B", "A%2FB"},       {"A%B", "A%25B"},
      {"A B", "A%20B"},           {"\xC3\xA9", "%C3%A9"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(encodeKeySymbol(c.symbol), c.encoded) << c.symbol;
  }
}

TEST(RawKeyTest, ParseRoundTripsObjectKeys) {
  for (const char* symbol : {"AAPL", "^GSPC", "EURUSD=X", "BRK.B", "A%B", "005930.KS"}) {
    for (const Format format : {Format::kJsonLines, Format::kCsv}) {
      for (const Compression compression :
           {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
        const std::string key = objectKey(partition(), symbol, format, compression);
        const auto parsed = parseKey(key);
        ASSERT_TRUE(parsed.ok()) << key << ": " << parsed.error().describe();
        EXPECT_EQ(parsed->partition, partition());
        EXPECT_EQ(parsed->kind, KeyKind::kObject);
        EXPECT_EQ(parsed->symbol, symbol);
        EXPECT_EQ(parsed->format, format);
        EXPECT_EQ(parsed->compression, compression);
      }
    }
  }
}

TEST(RawKeyTest, ParseManifestKey) {
  const auto parsed = parseKey(manifestKey(partition()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(parsed->kind, KeyKind::kManifest);
  EXPECT_EQ(parsed->partition, partition());
  EXPECT_EQ(parsed->symbol, "");
}

TEST(RawKeyTest, ParseRejectsMalformedKeysWithAReason) {
  const std::string base = "d/t/interval=1d/data_source=y/year=2024/month=03/day=07/";
  struct Case {
    std::string key;
    const char* reason;
  };
  const Case cases[] = {
      {"", "8 '/'-separated segments"},
      {"d/t/interval=1d/AAPL.json", "found 4"},
      {base + "x/AAPL.json", "found 9"},
      {"d/t/intervl=1d/data_source=y/year=2024/month=03/day=07/A.json", "interval="},
      {"d/t/interval=/data_source=y/year=2024/month=03/day=07/A.json", "interval="},
      {"d/t/interval=1d/source=y/year=2024/month=03/day=07/A.json", "data_source="},
      {"d/t/interval=1d/data_source=y/year=24/month=03/day=07/A.json", "year=YYYY"},
      {"d/t/interval=1d/data_source=y/year=2024/month=3/day=07/A.json", "year=YYYY"},
      {"d/t/interval=1d/data_source=y/year=2023/month=02/day=29/A.json", "calendar date"},
      {"d/t/interval=1d/data_source=y/year=2024/month=13/day=01/A.json", "calendar date"},
      {"/t/interval=1d/data_source=y/year=2024/month=03/day=07/A.json", "domain"},
      {"d/../interval=1d/data_source=y/year=2024/month=03/day=07/A.json", "table_name"},
      {base + "AAPL.txt", "must end in"},
      {base + "AAPL.gz", "must end in"},
      {base + "AAPL.zst", "must end in"},
      {base + "AAPL.json.zstd", "must end in"},
      {base + "AAPL.json.gz.zst", "must end in"},
      {base + "AAPL.json.bz2", "must end in"},
      {base + ".json", "empty symbol"},
      {base + "aapl.json", "canonically"},
      {base + "%5eGSPC.json", "canonically"},
      {base + "%41APL.json", "canonically"},
      {base + "^GSPC.json", "canonically"},
      {base + "A%2.json", "canonically"},
  };
  for (const Case& c : cases) {
    const auto parsed = parseKey(c.key);
    ASSERT_FALSE(parsed.ok()) << c.key;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(parsed.error().message.find(c.reason), std::string::npos)
        << c.key << " -> " << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(c.key), std::string::npos) << "names the key";
  }
}

TEST(RawKeyTest, ValidatePartition) {
  EXPECT_TRUE(validatePartition(partition()).ok());
  auto bad = partition();
  bad.domain = "";
  EXPECT_NE(validatePartition(bad).error().message.find("domain"), std::string::npos);
  bad = partition();
  bad.table_name = "a/b";
  EXPECT_NE(validatePartition(bad).error().message.find("table_name"), std::string::npos);
  bad = partition();
  bad.interval = "..";
  EXPECT_NE(validatePartition(bad).error().message.find("interval"), std::string::npos);
  bad = partition();
  bad.data_source = "a=b";
  EXPECT_NE(validatePartition(bad).error().message.find("data_source"), std::string::npos);
  for (const char* day : {"2024-3-07", "2024-02-30", "20240307", "", "2024-03-07T"}) {
    bad = partition();
    bad.day = day;
    const auto status = validatePartition(bad);
    ASSERT_FALSE(status.ok()) << day;
    EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(status.error().message.find("day"), std::string::npos);
  }
}

TEST(RawKeyTest, AnUnvalidatedDayNeverBecomesDateSegments) {
  // Keys are built from the day's numbers, not sliced from its text: text that is no valid date
  // (the writer refuses it first) gives segments parseKey rejects, never year=-100/month=-1.
  for (const char* day : {"20", "-100-01-01", "1799-12-31", "2201-01-01", "-0001-11-30"}) {
    auto bad = partition();
    bad.day = day;
    EXPECT_EQ(partitionPrefix(bad),
              "us_equities/prices/interval=1d/data_source=yahoo_finance/"
              "year=invalid/month=invalid/day=invalid/")
        << day;
    EXPECT_FALSE(parseKey(objectKey(bad, "AAPL", Format::kJsonLines, Compression::kNone)).ok())
        << day;
    EXPECT_FALSE(validatePartition(bad).ok()) << day;
  }
}

// Property: every day a record may have (1800-01-01 .. 2200-12-31) gives keys that parse back
// to the same day; the days just outside are refused by validation and by the parser.
TEST(RawKeyTest, EveryValidDayRoundTripsThroughItsKeys) {
  auto p = partition();
  for (std::int64_t days = core::kFirstValidDay; days <= core::kLastValidDay; ++days) {
    p.day = core::formatDate(days);
    ASSERT_TRUE(validatePartition(p).ok()) << p.day;
    const auto object = parseKey(objectKey(p, "BRK-B", Format::kCsv, Compression::kZstd));
    ASSERT_TRUE(object.ok()) << p.day;
    ASSERT_EQ(object->partition.day, p.day);
    ASSERT_EQ(core::parseDate(object->partition.day), days);
    const auto manifest = parseKey(manifestKey(p));
    ASSERT_TRUE(manifest.ok()) << p.day;
    ASSERT_EQ(manifest->partition, p);
  }
  for (const std::int64_t outside : {core::kFirstValidDay - 1, core::kLastValidDay + 1}) {
    p.day = core::formatDate(outside);
    EXPECT_FALSE(validatePartition(p).ok()) << p.day;
    EXPECT_FALSE(parseKey("d/t/interval=1d/data_source=s/year=" + p.day.substr(0, 4) +
                          "/month=" + p.day.substr(5, 2) + "/day=" + p.day.substr(8, 2) + "/A.json")
                     .ok())
        << p.day;
  }
}

}  // namespace
}  // namespace rawfeed::lake
