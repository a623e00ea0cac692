#include "lake/record_writer.h"

#include <gtest/gtest.h>

namespace rawfeed::lake {
namespace {

core::Record fullRecord() {
  core::Record r;
  r.timestamp = 1704205800;  // 2024-01-02T14:30:00Z
  r.open = "187.14999389648438";
  r.high = "188.44000244140625";
  r.low = "183.88999938964844";
  r.close = "185.63999938964844";
  r.adjusted_close = "184.9387969970703";
  r.volume = "82488700";
  return r;
}

TEST(FormatTest, ParseFormat) {
  EXPECT_EQ(parseFormat("json").value(), Format::kJsonLines);
  EXPECT_EQ(parseFormat("csv").value(), Format::kCsv);
  for (const char* bad : {"", "JSON", "jsonl", "parquet", "csv "}) {
    const auto parsed = parseFormat(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(parsed.error().message.find("file_format"), std::string::npos);
    EXPECT_NE(parsed.error().message.find(std::string("'") + bad + "'"), std::string::npos);
  }
  EXPECT_EQ(formatName(Format::kJsonLines), "json");
  EXPECT_EQ(formatName(Format::kCsv), "csv");
  EXPECT_EQ(contentType(Format::kJsonLines), "application/x-ndjson");
  EXPECT_EQ(contentType(Format::kCsv), "text/csv");
}

TEST(RecordWriterTest, JsonLinesExactBytes) {
  core::Record nulls;
  nulls.timestamp = 1704292200;  // 2024-01-03T14:30:00Z
  nulls.close = "0";
  nulls.volume = "0";
  EXPECT_EQ(serialize("AAPL", {fullRecord(), nulls}, Format::kJsonLines),
            "{\"symbol\":\"AAPL\",\"timestamp\":\"2024-01-02T14:30:00Z\","
            "\"open\":187.14999389648438,\"high\":188.44000244140625,"
            "\"low\":183.88999938964844,\"close\":185.63999938964844,"
            "\"adjusted_close\":184.9387969970703,\"volume\":82488700}\n"
            "{\"symbol\":\"AAPL\",\"timestamp\":\"2024-01-03T14:30:00Z\",\"open\":null,"
            "\"high\":null,\"low\":null,\"close\":0,\"adjusted_close\":null,\"volume\":0}\n");
}

TEST(RecordWriterTest, CsvExactBytes) {
  core::Record nulls;
  nulls.timestamp = 0;
  nulls.open = "0.0";
  EXPECT_EQ(serialize("^GSPC", {fullRecord(), nulls}, Format::kCsv),
            "symbol,timestamp,open,high,low,close,adjusted_close,volume\n"
            "^GSPC,2024-01-02T14:30:00Z,187.14999389648438,188.44000244140625,"
            "183.88999938964844,185.63999938964844,184.9387969970703,82488700\n"
            "^GSPC,1970-01-01T00:00:00Z,0.0,,,,,\n");
}

TEST(RecordWriterTest, NumbersKeepTheSourceTextExactly) {
  core::Record r;
  r.timestamp = 1704205800;
  r.open = "0.00001234567890123456789";
  r.high = "1.7976931348623157e308";
  r.low = "123456789012345678901234567890.5";
  r.close = "75.08750152587891";
  r.volume = "9223372036854775807";
  const std::string line = serialize("X", {r}, Format::kJsonLines);
  EXPECT_EQ(line,
            "{\"symbol\":\"X\",\"timestamp\":\"2024-01-02T14:30:00Z\","
            "\"open\":0.00001234567890123456789,\"high\":1.7976931348623157e308,"
            "\"low\":123456789012345678901234567890.5,\"close\":75.08750152587891,"
            "\"adjusted_close\":null,\"volume\":9223372036854775807}\n");
  EXPECT_EQ(serialize("X", {r}, Format::kCsv),
            std::string(kCsvHeader) +
                "X,2024-01-02T14:30:00Z,0.00001234567890123456789,1.7976931348623157e308,"
                "123456789012345678901234567890.5,75.08750152587891,,9223372036854775807\n");
}

TEST(RecordWriterTest, SymbolIsEscapedForEachFormat) {
  core::Record r;
  r.timestamp = 0;
  EXPECT_EQ(serialize("A\"B\\C\n\x01", {r}, Format::kJsonLines),
            "{\"symbol\":\"A\\\"B\\\\C\\n\\u0001\",\"timestamp\":\"1970-01-01T00:00:00Z\","
            "\"open\":null,\"high\":null,\"low\":null,\"close\":null,\"adjusted_close\":null,"
            "\"volume\":null}\n");
  EXPECT_EQ(serialize("A,\"B\"", {r}, Format::kCsv),
            std::string(kCsvHeader) + "\"A,\"\"B\"\"\",1970-01-01T00:00:00Z,,,,,,\n");
  EXPECT_EQ(serialize("EURUSD=X", {r}, Format::kCsv),
            std::string(kCsvHeader) + "EURUSD=X,1970-01-01T00:00:00Z,,,,,,\n");
}

TEST(RecordWriterTest, NoRecords) {
  EXPECT_EQ(serialize("AAPL", {}, Format::kJsonLines), "");
  EXPECT_EQ(serialize("AAPL", {}, Format::kCsv), kCsvHeader);
}

}  // namespace
}  // namespace rawfeed::lake
