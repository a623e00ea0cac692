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

core::CorporateAction dividendAction() {
  core::CorporateAction a;
  a.kind = core::CorporateActionKind::kDividend;
  a.timestamp = 1604673000;  // 2020-11-06T14:30:00Z
  a.day = "2020-11-06";
  a.amount = "0.205";
  a.currency = "USD";
  return a;
}

core::CorporateAction splitAction() {
  core::CorporateAction a;
  a.kind = core::CorporateActionKind::kSplit;
  a.timestamp = -177417000;  // 1964-05-18T13:30:00Z (IBM)
  a.day = "1964-05-18";
  a.numerator = "5.0";
  a.denominator = "4.0";
  a.ratio = "5:4";
  return a;
}

TEST(ActionRecordWriterTest, JsonLinesExactBytes) {
  core::CorporateAction gain = dividendAction();
  gain.kind = core::CorporateActionKind::kCapitalGain;
  gain.currency = "";
  EXPECT_EQ(serializeActions("IBM", {splitAction(), dividendAction(), gain}, Format::kJsonLines),
            "{\"symbol\":\"IBM\",\"date\":\"1964-05-18\",\"timestamp\":\"1964-05-18T13:30:00Z\","
            "\"type\":\"split\",\"amount\":null,\"currency\":null,\"numerator\":5.0,"
            "\"denominator\":4.0,\"split_ratio\":\"5:4\"}\n"
            "{\"symbol\":\"IBM\",\"date\":\"2020-11-06\",\"timestamp\":\"2020-11-06T14:30:00Z\","
            "\"type\":\"dividend\",\"amount\":0.205,\"currency\":\"USD\",\"numerator\":null,"
            "\"denominator\":null,\"split_ratio\":null}\n"
            "{\"symbol\":\"IBM\",\"date\":\"2020-11-06\",\"timestamp\":\"2020-11-06T14:30:00Z\","
            "\"type\":\"capital_gain\",\"amount\":0.205,\"currency\":null,\"numerator\":null,"
            "\"denominator\":null,\"split_ratio\":null}\n");
  EXPECT_EQ(serializeActions("IBM", {}, Format::kJsonLines), "");
}

TEST(ActionRecordWriterTest, JsonEscapesTextFields) {
  core::CorporateAction odd = splitAction();
  odd.ratio = "5\"4\\\n";
  EXPECT_EQ(serializeActions("A\"B", {odd}, Format::kJsonLines),
            "{\"symbol\":\"A\\\"B\",\"date\":\"1964-05-18\",\"timestamp\":"
            "\"1964-05-18T13:30:00Z\",\"type\":\"split\",\"amount\":null,\"currency\":null,"
            "\"numerator\":5.0,\"denominator\":4.0,\"split_ratio\":\"5\\\"4\\\\\\n\"}\n");
}

TEST(ActionRecordWriterTest, CsvExactBytesWithQuoting) {
  core::CorporateAction quoted = splitAction();
  quoted.ratio = "5,4 \"odd\"";
  core::CorporateAction dividend = dividendAction();
  dividend.currency = "U\nSD";
  EXPECT_EQ(serializeActions("BRK,B", {splitAction(), dividend, quoted}, Format::kCsv),
            "symbol,date,timestamp,type,amount,currency,numerator,denominator,split_ratio\n"
            "\"BRK,B\",1964-05-18,1964-05-18T13:30:00Z,split,,,5.0,4.0,5:4\n"
            "\"BRK,B\",2020-11-06,2020-11-06T14:30:00Z,dividend,0.205,\"U\nSD\",,,\n"
            "\"BRK,B\",1964-05-18,1964-05-18T13:30:00Z,split,,,5.0,4.0,\"5,4 \"\"odd\"\"\"\n");
  EXPECT_EQ(serializeActions("X", {}, Format::kCsv), std::string(kActionsCsvHeader));
}

}  // namespace
}  // namespace rawfeed::lake
