#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace rawfeed::config {
namespace {

using core::Compression;

// The domain "x" of a config made of the given [defaults] and [domains.x] lines.
core::Result<DomainConfig> domainOf(const std::string& defaults, const std::string& domain) {
  auto config = parseConfig(
      "[defaults]\n" + defaults + "\n[domains.x]\nsymbols = [\"AAPL\"]\n" + domain + "\n",
      "c.toml");
  if (!config.ok())
    return config.error();
  return *config->domain("x");
}

TEST(CompressionConfigTest, CodecAndLevelFromEitherTable) {
  struct Case {
    const char* defaults;
    const char* domain;
    Compression expected;
    int expected_level;
  };
  const Case cases[] = {
      {"", "", Compression::kNone, 0},
      {"", "gzip = true", Compression::kGzip, 6},
      {"", "gzip = false", Compression::kNone, 0},
      {"", "compression = \"none\"", Compression::kNone, 0},
      {"", "compression = \"gzip\"", Compression::kGzip, 6},
      {"", "compression = \"zstd\"", Compression::kZstd, 3},
      {"", "compression = \"zstd\"\ncompression_level = 19", Compression::kZstd, 19},
      {"", "compression = \"gzip\"\ncompression_level = 0", Compression::kGzip, 0},
      {"", "gzip = true\ncompression = \"gzip\"\ncompression_level = 9", Compression::kGzip, 9},
      {"", "gzip = false\ncompression = \"zstd\"", Compression::kZstd, 3},
      {"compression = \"zstd\"\ncompression_level = 12", "", Compression::kZstd, 12},
      // A domain's level applies to the codec it inherits.
      {"compression = \"zstd\"", "compression_level = 1", Compression::kZstd, 1},
      // A domain that picks a codec starts from that codec's default level.
      {"compression = \"zstd\"\ncompression_level = 19", "compression = \"gzip\"",
       Compression::kGzip, 6},
      {"compression = \"zstd\"\ncompression_level = 19", "gzip = false", Compression::kNone, 0},
      {"gzip = true", "compression = \"zstd\"", Compression::kZstd, 3},
  };
  for (const Case& c : cases) {
    auto domain = domainOf(c.defaults, c.domain);
    ASSERT_TRUE(domain.ok()) << c.defaults << " | " << c.domain << ": " << domain.error().message;
    EXPECT_EQ(domain->compression, c.expected) << c.defaults << " | " << c.domain;
    EXPECT_EQ(domain->compression_level, c.expected_level) << c.defaults << " | " << c.domain;
  }
}

TEST(CompressionConfigTest, ErrorsNameTheKeyAndTheRule) {
  struct Case {
    const char* domain;
    const char* message;
  };
  const Case cases[] = {
      {"compression = \"lz4\"",
       "c.toml:5: domains.x.compression: unknown compression 'lz4' (one of none, gzip, zstd)"},
      {"compression = true", "c.toml:5: domains.x.compression: must be a string"},
      {"gzip = true\ncompression = \"zstd\"",
       "c.toml:5: domains.x.gzip: gzip = true contradicts compression = \"zstd\" (compression "
       "replaces gzip: keep only compression)"},
      {"gzip = false\ncompression = \"gzip\"",
       "c.toml:5: domains.x.gzip: gzip = false contradicts compression = \"gzip\""},
      {"compression = \"zstd\"\ncompression_level = 0",
       "c.toml:6: domains.x.compression_level: zstd level 0 is outside 1-19"},
      {"compression = \"zstd\"\ncompression_level = 22",
       "c.toml:6: domains.x.compression_level: zstd level 22 is outside 1-19"},
      {"gzip = true\ncompression_level = 10",
       "c.toml:6: domains.x.compression_level: gzip level 10 is outside 0-9"},
      {"compression_level = 5",
       "c.toml:5: domains.x.compression_level: compression level 5 given without a compression "
       "(gzip or zstd)"},
      {"compression = \"gzip\"\ncompression_level = \"high\"",
       "c.toml:6: domains.x.compression_level: must be an integer"},
  };
  for (const Case& c : cases) {
    auto domain = domainOf("", c.domain);
    ASSERT_FALSE(domain.ok()) << c.domain;
    EXPECT_NE(domain.error().message.find(c.message), std::string::npos)
        << "missing: " << c.message << "\nin:\n"
        << domain.error().message;
  }
}

TEST(CompressionConfigTest, ALevelInDefaultsIsCheckedAgainstTheDefaultsCodec) {
  auto domain = domainOf("compression = \"gzip\"\ncompression_level = 15", "");
  ASSERT_FALSE(domain.ok());
  EXPECT_NE(domain.error().message.find(
                "c.toml:3: defaults.compression_level: gzip level 15 is outside 0-9"),
            std::string::npos)
      << domain.error().message;
}

}  // namespace
}  // namespace rawfeed::config
