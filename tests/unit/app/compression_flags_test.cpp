#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "app/cli_overrides.h"

namespace rawfeed::app {
namespace {

using core::Compression;

TEST(CompressionFlagsTest, FlagsReplaceTheEventDocumentsFields) {
  struct Case {
    std::optional<bool> gzip;
    std::optional<std::string> compression;
    std::optional<Compression> expected;
  };
  const Case cases[] = {
      {std::nullopt, std::nullopt, std::nullopt}, {true, std::nullopt, Compression::kGzip},
      {false, std::nullopt, Compression::kNone},  {std::nullopt, "zstd", Compression::kZstd},
      {std::nullopt, "none", Compression::kNone}, {true, "gzip", Compression::kGzip},
      {false, "zstd", Compression::kZstd},
  };
  for (const Case& c : cases) {
    CommandOptions options;
    options.gzip = c.gzip;
    options.compression = c.compression;
    pipeline::TriggerEvent trigger;  // as an --event document left it
    trigger.gzip = true;
    ASSERT_TRUE(applyCompressionFlags(options, trigger).ok());
    if (!c.expected) {
      EXPECT_EQ(trigger.gzip, true) << "untouched without flags";
      EXPECT_FALSE(trigger.compression.has_value());
      continue;
    }
    EXPECT_EQ(trigger.compression, c.expected) << c.compression.value_or("-");
    EXPECT_FALSE(trigger.gzip.has_value());
  }
}

TEST(CompressionFlagsTest, UnknownOrContradictingFlagsAreRefused) {
  struct Case {
    std::optional<bool> gzip;
    const char* compression;
    const char* message;
  };
  const Case cases[] = {
      {std::nullopt, "lz4", "--compression: unknown compression 'lz4' (one of none, gzip, zstd)"},
      {true, "zstd", "--gzip contradicts --compression zstd"},
      {false, "gzip", "--no-gzip contradicts --compression gzip"},
  };
  for (const Case& c : cases) {
    CommandOptions options;
    options.gzip = c.gzip;
    options.compression = c.compression;
    pipeline::TriggerEvent trigger;
    const auto status = applyCompressionFlags(options, trigger);
    ASSERT_FALSE(status.ok()) << c.compression;
    EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(status.error().message, c.message);
  }
}

}  // namespace
}  // namespace rawfeed::app
