#include "lake/compression.h"

#include <gtest/gtest.h>

#include <string>

#include "lake/zstd.h"
#include "unit/lake/sample_text.h"

namespace rawfeed::lake {
namespace {

constexpr Compression kAll[] = {Compression::kNone, Compression::kGzip, Compression::kZstd};

TEST(CompressionTest, ParsesTheThreeNamesAndNamesThemBack) {
  for (const Compression compression : kAll) {
    const auto parsed = core::parseCompression(core::compressionName(compression));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, compression);
  }
  EXPECT_EQ(core::compressionName(Compression::kNone), "none");
  EXPECT_EQ(core::compressionName(Compression::kGzip), "gzip");
  EXPECT_EQ(core::compressionName(Compression::kZstd), "zstd");
}

TEST(CompressionTest, RefusesOtherNamesNamingTheValueAndTheChoices) {
  for (const char* bad : {"", "GZIP", "Zstd", "lz4", "zstd ", "gz", "zst", "true"}) {
    const auto parsed = core::parseCompression(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(parsed.error().message,
              "unknown compression '" + std::string(bad) + "' (one of none, gzip, zstd)");
  }
}

TEST(CompressionTest, SuffixesEncodingsAndLevels) {
  EXPECT_EQ(core::keySuffix(Compression::kNone), "");
  EXPECT_EQ(core::keySuffix(Compression::kGzip), ".gz");
  EXPECT_EQ(core::keySuffix(Compression::kZstd), ".zst");
  EXPECT_EQ(core::contentEncoding(Compression::kNone), "");
  EXPECT_EQ(core::contentEncoding(Compression::kGzip), "gzip");
  EXPECT_EQ(core::contentEncoding(Compression::kZstd), "zstd");

  const auto gzip = core::compressionLevels(Compression::kGzip);
  EXPECT_EQ(std::tuple(gzip.min, gzip.max, gzip.default_level), std::tuple(0, 9, 6));
  const auto zstd = core::compressionLevels(Compression::kZstd);
  EXPECT_EQ(std::tuple(zstd.min, zstd.max, zstd.default_level), std::tuple(1, 19, 3));
  EXPECT_EQ(core::validateCompressionLevel(Compression::kZstd, 20).error().message,
            "zstd level 20 is outside 1-19");
  EXPECT_EQ(core::validateCompressionLevel(Compression::kGzip, -1).error().message,
            "gzip level -1 is outside 0-9");
  EXPECT_TRUE(core::validateCompressionLevel(Compression::kNone, 0).ok());
  EXPECT_FALSE(core::validateCompressionLevel(Compression::kNone, 3).ok());
}

TEST(CompressionTest, RoundTripsEveryCodecSizeAndLevel) {
  for (const Compression compression : kAll) {
    const auto levels = core::compressionLevels(compression);
    for (const std::size_t size : {0u, 1u, 100u, 70000u, 1000000u}) {
      for (const int level : {levels.min, levels.default_level, levels.max}) {
        if (level > 9 && size > 100000)
          continue;  // zstd 19 on a megabyte is slow and proves nothing more
        const std::string input = testing::sampleJsonLines(size);
        const auto compressed = compress(input, compression, level);
        ASSERT_TRUE(compressed.ok()) << compressed.error().describe();
        if (compression != Compression::kNone && level > 0 && size >= 1000) {
          EXPECT_LT(compressed->size(), input.size() / 2);
        }
        const auto restored = decompress(*compressed, compression);
        ASSERT_TRUE(restored.ok()) << restored.error().describe();
        EXPECT_EQ(*restored, input)
            << core::compressionName(compression) << " " << size << " at level " << level;
      }
    }
  }
}

TEST(CompressionTest, SameInputGivesTheSameBytes) {
  const std::string input = testing::sampleJsonLines(50000);
  for (const Compression compression : kAll) {
    const int level = core::compressionLevels(compression).default_level;
    const std::string first = compress(input, compression, level).value();
    EXPECT_EQ(compress(input, compression, level).value(), first);
    EXPECT_EQ(compress(std::string(input), compression, level).value(), first);
  }
}

// RFC 8878 §3.1.1: the frame pins what the writer promised — content size present, a checksum,
// no dictionary id.
TEST(CompressionTest, ZstdFrameCarriesContentSizeAndChecksum) {
  const std::string input = testing::sampleJsonLines(5000);
  const std::string frame = zstdCompress(input).value();
  ASSERT_GE(frame.size(), 9u);
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(frame[i]); };
  EXPECT_EQ(std::tuple(byte(0), byte(1), byte(2), byte(3)), std::tuple(0x28, 0xB5, 0x2F, 0xFD));
  const unsigned descriptor = byte(4);
  EXPECT_NE(descriptor & 0x04u, 0u) << "content checksum flag";
  EXPECT_EQ(descriptor & 0x03u, 0u) << "no dictionary id";
  const unsigned fcs_flag = descriptor >> 6;
  ASSERT_EQ(fcs_flag, 1u) << "a 2-byte content size for 256..65791 bytes";
  const bool single_segment = (descriptor & 0x20u) != 0;
  const std::size_t at = single_segment ? 5 : 6;  // after the window descriptor, if any
  EXPECT_EQ(byte(at) + 256u * byte(at + 1) + 256u, input.size());
}

TEST(CompressionTest, ZstdReadsConcatenatedAndSkippableFrames) {
  // A skippable frame (magic 0x184D2A50, 4-byte little-endian length, then the bytes).
  const std::string skippable = std::string("\x50\x2A\x4D\x18\x03\x00\x00\x00xyz", 11);
  const std::string joined = zstdCompress("hello ").value() + skippable +
                             zstdCompress("big ").value() + zstdCompress("world", 19).value();
  EXPECT_EQ(decompress(joined, Compression::kZstd).value(), "hello big world");
}

TEST(CompressionTest, RejectsCorruptAndTruncatedInput) {
  for (const Compression compression : {Compression::kGzip, Compression::kZstd}) {
    const std::string name(core::compressionName(compression));
    const std::string good = compress(testing::sampleJsonLines(10000), compression, 6).value();
    std::string corrupt = good;
    corrupt[corrupt.size() / 2] ^= 0x55;
    std::string bad_checksum = good;
    bad_checksum[bad_checksum.size() - 2] ^= 0x55;  // gzip's ISIZE, zstd's XXH64 bytes
    const std::string cases[] = {std::string(),
                                 std::string("not compressed at all"),
                                 good.substr(0, 4),
                                 good.substr(0, good.size() / 2),
                                 good.substr(0, good.size() - 1),
                                 good + good.substr(0, 7),  // a second member/frame cut short
                                 corrupt,
                                 bad_checksum};
    for (const std::string& bad : cases) {
      const auto result = decompress(bad, compression);
      ASSERT_FALSE(result.ok()) << name << " " << bad.size() << " bytes";
      EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
      EXPECT_NE(result.error().message.find(name), std::string::npos) << result.error().message;
    }
  }
}

TEST(CompressionTest, DecompressionIsBounded) {
  const std::string zeros(1 << 20, '\0');
  for (const Compression compression : kAll) {
    const int level = core::compressionLevels(compression).default_level;
    const std::string packed = compress(zeros, compression, level).value();
    const auto capped = decompress(packed, compression, 4096);
    ASSERT_FALSE(capped.ok()) << core::compressionName(compression);
    EXPECT_EQ(capped.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(capped.error().message.find("exceeds"), std::string::npos) << capped.error().message;
    EXPECT_EQ(decompress(packed, compression, zeros.size()).value(), zeros);
  }
}

TEST(CompressionTest, RefusesALevelOutsideTheCodecsRange) {
  for (const auto& [compression, level] :
       {std::pair{Compression::kGzip, -1}, std::pair{Compression::kGzip, 10},
        std::pair{Compression::kZstd, 0}, std::pair{Compression::kZstd, 20},
        std::pair{Compression::kZstd, -5}}) {
    const auto result = compress("x", compression, level);
    ASSERT_FALSE(result.ok()) << level;
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
  }
  EXPECT_EQ(compress("as is", Compression::kNone, 42).value(), "as is");
}

}  // namespace
}  // namespace rawfeed::lake
