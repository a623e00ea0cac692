#include "lake/object_description.h"

#include <gtest/gtest.h>

#include "digest/sha256.h"
#include "lake/raw_object.h"
#include "lake/record_writer.h"

namespace rawfeed::lake {
namespace {

using core::Compression;

std::vector<core::Record> records(std::size_t count) {
  std::vector<core::Record> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    out[i].timestamp = 1704205800 + static_cast<std::int64_t>(i) * 60;
    out[i].close = std::to_string(100 + i) + ".5";
    out[i].volume = std::to_string(1000 * i);
  }
  return out;
}

TEST(ObjectDescriptionTest, CountsWhatSerializeWrote) {
  for (const std::size_t count : {0u, 1u, 390u}) {
    for (const Format format : {Format::kJsonLines, Format::kCsv}) {
      for (const Compression compression :
           {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
        const int level = core::compressionLevels(compression).default_level;
        const auto encoded = encodeObject("^GSPC", records(count), format, compression, level);
        ASSERT_TRUE(encoded.ok()) << encoded.error().describe();
        const auto described = describeObject(encoded->bytes, format, compression);
        ASSERT_TRUE(described.ok()) << described.error().describe();
        EXPECT_EQ(described->records, count);
        EXPECT_EQ(described->bytes, encoded->bytes.size());
        EXPECT_EQ(described->sha256, digest::sha256Hex(encoded->bytes));
        EXPECT_EQ(*described, encoded->description);
        EXPECT_EQ(encoded->content_type, contentType(format));
        EXPECT_EQ(encoded->content_encoding, compression == Compression::kNone   ? ""
                                             : compression == Compression::kGzip ? "gzip"
                                                                                 : "zstd");
      }
    }
  }
}

TEST(ObjectDescriptionTest, ForeignShapes) {
  EXPECT_EQ(
      describeObject("{\"a\":1}\n\n{\"a\":2}", Format::kJsonLines, Compression::kNone)->records,
      2u);
  EXPECT_EQ(
      describeObject("{\"a\":1}\r\n{\"a\":2}\r\n", Format::kJsonLines, Compression::kNone)->records,
      2u);
  // A quoted newline does not end a row; a CRLF file counts the same as an LF one.
  EXPECT_EQ(
      describeObject("h1,h2\r\n\"a\nb\",1\r\n\"c\"\"d\",2\r\n", Format::kCsv, Compression::kNone)
          ->records,
      2u);
  EXPECT_EQ(describeObject("h1,h2", Format::kCsv, Compression::kNone)->records, 0u);
}

TEST(ObjectDescriptionTest, Errors) {
  const auto empty_csv = describeObject("", Format::kCsv, Compression::kNone);
  ASSERT_FALSE(empty_csv.ok());
  EXPECT_EQ(empty_csv.error().code, core::ErrorCode::kInvalidInput);
  for (const Compression compression : {Compression::kGzip, Compression::kZstd}) {
    const auto not_compressed = describeObject("{}\n", Format::kJsonLines, compression);
    ASSERT_FALSE(not_compressed.ok());
    EXPECT_EQ(not_compressed.error().code, core::ErrorCode::kInvalidInput);
  }
}

TEST(ObjectDescriptionTest, EncodeRejectsALevelOutsideTheCodecsRange) {
  EXPECT_FALSE(encodeObject("A", records(1), Format::kCsv, Compression::kGzip, 42).ok());
  EXPECT_FALSE(encodeObject("A", records(1), Format::kCsv, Compression::kZstd, 0).ok());
  EXPECT_FALSE(encodeObject("A", records(1), Format::kCsv, Compression::kZstd, 20).ok());
  EXPECT_TRUE(encodeObject("A", records(1), Format::kCsv, Compression::kZstd, 19).ok());
  EXPECT_TRUE(encodeObject("A", records(1), Format::kCsv, Compression::kNone, 42).ok());
}

}  // namespace
}  // namespace rawfeed::lake
