// `compression` beside the older `gzip` in trigger events and chunk messages: what each reader
// makes of what old and new writers send.
#include <gtest/gtest.h>

#include <string>

#include "pipeline/batch_request.h"
#include "pipeline/chunk_message.h"
#include "support/fakes/batch_request_builder.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::pipeline {
namespace {

using core::Compression;

config::DomainConfig domainWith(Compression compression, int level) {
  config::DomainConfig domain;
  domain.name = "customer-data";
  domain.symbols = {"AAPL"};
  domain.compression = compression;
  domain.compression_level = level;
  return domain;
}

core::Result<BatchRequest> resolve(std::string_view json, const config::DomainConfig& domain) {
  static fakes::FakeClock clock;
  static core::SystemRandom random;
  auto trigger = parseTriggerEvent(json);
  if (!trigger.ok())
    return trigger.error();
  return resolveTrigger(*trigger, domain, clock, random);
}

TEST(TriggerCompressionTest, CompressionWinsOverTheDomainAndGzipMeansGzip) {
  struct Case {
    const char* json;
    Compression domain;
    int domain_level;
    Compression expected;
    int expected_level;
  };
  const Case cases[] = {
      {"{}", Compression::kNone, 0, Compression::kNone, 0},
      {"{}", Compression::kZstd, 9, Compression::kZstd, 9},
      {R"({"compression":"zstd"})", Compression::kNone, 0, Compression::kZstd, 3},
      {R"({"compression":"zstd"})", Compression::kZstd, 9, Compression::kZstd, 9},
      {R"({"compression":"gzip"})", Compression::kZstd, 9, Compression::kGzip, 6},
      {R"({"compression":"none"})", Compression::kGzip, 9, Compression::kNone, 0},
      {R"({"gzip":true})", Compression::kNone, 0, Compression::kGzip, 6},
      {R"({"gzip":true})", Compression::kGzip, 1, Compression::kGzip, 1},
      {R"({"gzip":false})", Compression::kZstd, 9, Compression::kNone, 0},
      {R"({"gzip":false,"compression":"zstd"})", Compression::kNone, 0, Compression::kZstd, 3},
      {R"({"gzip":true,"compression":"gzip"})", Compression::kNone, 0, Compression::kGzip, 6},
  };
  for (const Case& c : cases) {
    auto request = resolve(c.json, domainWith(c.domain, c.domain_level));
    ASSERT_TRUE(request.ok()) << c.json << ": " << request.error().message;
    EXPECT_EQ(request->compression, c.expected) << c.json;
    EXPECT_EQ(request->compression_level, c.expected_level) << c.json;
  }
}

TEST(TriggerCompressionTest, BadOrContradictingFieldsAreRejected) {
  for (auto [json, message] : std::initializer_list<std::pair<const char*, const char*>>{
           {R"({"compression":"lz4"})",
            "trigger field 'compression': unknown compression 'lz4' (one of none, gzip, zstd)"},
           {R"({"compression":true})", "trigger field 'compression' must be a string"},
           {R"({"gzip":true,"compression":"zstd"})",
            "trigger fields 'gzip' (true) and 'compression' ('zstd') contradict each other"},
           {R"({"gzip":false,"compression":"gzip"})",
            "trigger fields 'gzip' (false) and 'compression' ('gzip') contradict each other"}}) {
    auto request = resolve(json, domainWith(Compression::kNone, 0));
    ASSERT_FALSE(request.ok()) << json;
    EXPECT_EQ(request.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(request.error().message, message);
  }
}

ChunkMessage messageWith(Compression compression, std::optional<int> level = {}) {
  ChunkMessage message;
  message.request =
      fakes::BatchRequestBuilder("b", "2024-01-02").compression(compression, level).build();
  message.symbols = {"AAPL"};
  message.batch_total_chunks = 1;
  return message;
}

TEST(ChunkMessageCompressionTest, NewMessagesCarryGzipForOlderWorkersAndCompression) {
  struct Case {
    Compression compression;
    int level;
    const char* fields;
  };
  const Case cases[] = {
      {Compression::kNone, 0, R"("gzip":false,"compression":"none","compression_level":0,)"},
      {Compression::kGzip, 9, R"("gzip":true,"compression":"gzip","compression_level":9,)"},
      {Compression::kZstd, 7, R"("gzip":false,"compression":"zstd","compression_level":7,)"},
  };
  for (const Case& c : cases) {
    const std::string body = encodeChunkMessage(messageWith(c.compression, c.level));
    EXPECT_NE(body.find(c.fields), std::string::npos) << body;
    auto decoded = decodeChunkMessage(body);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->request.compression, c.compression) << body;
    EXPECT_EQ(decoded->request.compression_level, c.level) << body;
  }
}

// A body of the contract's fields with the given compression fields (a JSON fragment).
std::string oldBody(const std::string& fields) {
  return R"({"data_source":"y","domain":"d","table_name":"t","interval":"1d",)"
         R"("file_format":"json","batch_id":"b","batch_ds":"2024-01-01","period":"5d",)"
         R"("symbols":["A"],"batch_total_chunks":1,"chunk_index":0)" +
         fields + "}";
}

TEST(ChunkMessageCompressionTest, CompressionWinsWhenPresentElseGzip) {
  struct Case {
    const char* fields;
    Compression expected;
    int expected_level;
  };
  const Case cases[] = {
      // Older orchestrators: gzip only (or nothing), objects written at the codec's default.
      {"", Compression::kNone, 0},
      {R"(,"gzip":false)", Compression::kNone, 0},
      {R"(,"gzip":true)", Compression::kGzip, 6},
      {R"(,"gzip":"yes")", Compression::kNone, 0},
      // Newer ones: compression wins, whatever gzip says.
      {R"(,"gzip":false,"compression":"zstd")", Compression::kZstd, 3},
      {R"(,"gzip":true,"compression":"zstd","compression_level":19)", Compression::kZstd, 19},
      {R"(,"compression":"gzip")", Compression::kGzip, 6},
      {R"(,"gzip":true,"compression":"none")", Compression::kNone, 0},
      {R"(,"compression":null,"gzip":true)", Compression::kGzip, 6},
  };
  for (const Case& c : cases) {
    auto decoded = decodeChunkMessage(oldBody(c.fields));
    ASSERT_TRUE(decoded.ok()) << c.fields << ": " << decoded.error().message;
    EXPECT_EQ(decoded->request.compression, c.expected) << c.fields;
    EXPECT_EQ(decoded->request.compression_level, c.expected_level) << c.fields;
  }
}

TEST(ChunkMessageCompressionTest, ACodecOrLevelThisWorkerCannotHonourIsPoison) {
  for (auto [fields, message] : std::initializer_list<std::pair<const char*, const char*>>{
           {R"(,"compression":"brotli")",
            "not a chunk message: field 'compression': unknown compression 'brotli' (one of "
            "none, gzip, zstd)"},
           {R"(,"compression":1)", "not a chunk message: field 'compression' is not a string"},
           {R"(,"compression":"zstd","compression_level":22)",
            "not a chunk message: field 'compression_level': 22 is outside 1-19 for zstd"},
           {R"(,"compression":"gzip","compression_level":"6")",
            "not a chunk message: field 'compression_level' is not an integer"}}) {
    auto decoded = decodeChunkMessage(oldBody(fields));
    ASSERT_FALSE(decoded.ok()) << fields;
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(decoded.error().message, message);
  }
}

}  // namespace
}  // namespace rawfeed::pipeline
