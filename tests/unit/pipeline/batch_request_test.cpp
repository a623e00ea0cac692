#include "pipeline/batch_request.h"

#include <gtest/gtest.h>

#include "pipeline/chunk_message.h"
#include "support/fakes/batch_request_builder.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::pipeline {
namespace {

config::DomainConfig sampleDomain() {
  config::DomainConfig domain;
  domain.name = "customer-data";
  domain.symbols = {"AAPL"};
  domain.period = "5d";
  return domain;
}

core::Result<BatchRequest> resolve(std::string_view json) {
  static fakes::FakeClock clock;
  static core::SystemRandom random;
  auto trigger = parseTriggerEvent(json);
  if (!trigger.ok())
    return trigger.error();
  return resolveTrigger(*trigger, sampleDomain(), clock, random);
}

TEST(TriggerTest, DefaultsComeFromTheDomain) {
  auto request = resolve("{}");
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->data_source, "yahoo_finance");
  EXPECT_EQ(request->table_name, "prices");
  EXPECT_EQ(request->period, "5d");
  EXPECT_EQ(request->interval, "1d");
  EXPECT_EQ(request->file_format, "json");
  EXPECT_EQ(request->trigger_type, "schedule");
  EXPECT_EQ(request->batch_id.size(), 36u);
  // FakeClock starts at 2023-11-14T22:13:20Z, already the 15th in Seoul.
  EXPECT_EQ(request->batch_ds, "2023-11-15");
  EXPECT_FALSE(request->symbols.has_value());
}

TEST(TriggerTest, AcceptsTheEventBridgeEnvelope) {
  auto request = resolve(R"({"detail-type":"Scheduled Event","source":"aws.events",
      "detail":{"symbols":["MSFT"],"start":"2024-01-02","end":"2024-01-05","batch_id":"b-1",
                "batch_ds":"2024-01-05","trigger_type":"event","correlation_id":"c-9"}})");
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->batch_id, "b-1");
  EXPECT_EQ(request->start, "2024-01-02");
  EXPECT_EQ(request->end, "2024-01-05");
  EXPECT_TRUE(request->period.empty());
  EXPECT_EQ(request->trigger_type, "event");
  EXPECT_EQ(request->correlation_id, "c-9");
  EXPECT_EQ(*request->symbols, std::vector<std::string>{"MSFT"});
}

struct BadTrigger {
  const char* json;
  const char* message_part;
};

class BadTriggerTest : public ::testing::TestWithParam<BadTrigger> {};

TEST_P(BadTriggerTest, IsRejectedNamingFieldAndRule) {
  auto request = resolve(GetParam().json);
  ASSERT_FALSE(request.ok()) << GetParam().json;
  EXPECT_EQ(request.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(request.error().message.find(GetParam().message_part), std::string::npos)
      << request.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadTriggerTest,
    ::testing::Values(
        BadTrigger{"not json", "not valid JSON"}, BadTrigger{"[1]", "must be a JSON object"},
        BadTrigger{R"({"interval":"5h"})", "'interval': unknown interval '5h'"},
        BadTrigger{R"({"period":"2w"})", "'period': unknown period '2w'"},
        BadTrigger{R"({"start":"2024-13-01","end":"2024-12-01"})", "'start': '2024-13-01'"},
        BadTrigger{R"({"start":"2024-02-01","end":"2024-01-01"})", "'end' (2024-01-01) is before"},
        BadTrigger{R"({"start":"2024-02-01"})", "go together"},
        BadTrigger{R"({"period":"1mo","start":"2024-01-01","end":"2024-01-02"})", "exclude"},
        BadTrigger{R"({"file_format":"parquet"})", "'file_format' must be json or csv"},
        BadTrigger{R"({"symbols":[]})", "'symbols' is an empty list"},
        BadTrigger{R"({"symbols":"AAPL"})", "'symbols' must be an array"},
        BadTrigger{R"({"symbols":["A",1]})", "element 1 is not a string"},
        BadTrigger{R"({"batch_ds":"yesterday"})", "'batch_ds': 'yesterday'"},
        BadTrigger{R"({"batch_id":"a/b"})", "'batch_id' must be"},
        BadTrigger{R"({"domain":"other"})", "'domain' is 'other'"},
        BadTrigger{R"({"trigger_type":"cron"})", "'trigger_type' must be"},
        BadTrigger{R"({"intervl":"1d"})", "unknown field 'intervl'"},
        BadTrigger{R"({"gzip":"yes"})", "'gzip' must be true or false"}));

TEST(ChunkMessageTest, RoundTripsContractFields) {
  ChunkMessage message;
  message.request = fakes::BatchRequestBuilder("b", "2024-01-02")
                        .triggerType("")
                        .fileFormat("csv")
                        .correlationId("c")
                        .compression(core::Compression::kGzip)
                        .build();
  message.symbols = {"AAPL", "^GSPC"};
  message.batch_total_chunks = 3;
  message.chunk_index = 2;
  const std::string body = encodeChunkMessage(message);
  for (const char* field :
       {"\"data_source\":\"yahoo_finance\"", "\"batch_total_chunks\":3", "\"chunk_index\":2",
        "\"symbols\":[\"AAPL\",\"^GSPC\"]", "\"period\":\"5d\"", "\"correlation_id\":\"c\""}) {
    EXPECT_NE(body.find(field), std::string::npos) << field << " in " << body;
  }
  auto decoded = decodeChunkMessage(body);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->symbols, message.symbols);
  EXPECT_EQ(decoded->chunk_index, 2);
  EXPECT_EQ(decoded->request.file_format, "csv");
  EXPECT_EQ(decoded->request.compression, core::Compression::kGzip);
  EXPECT_EQ(decoded->request.compression_level, 6);
  EXPECT_FALSE(decoded->request.overwrite);
}

TEST(ChunkMessageTest, CarriesTheCorporateActionsTableOnlyWhenTheDomainHasOne) {
  ChunkMessage message;
  message.request = fakes::BatchRequestBuilder("b", "2024-01-02").build();
  message.symbols = {"AAPL"};
  message.batch_total_chunks = 1;
  const std::string without = encodeChunkMessage(message);
  EXPECT_EQ(without.find("corporate_actions"), std::string::npos) << without;
  auto plain = decodeChunkMessage(without);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->request.corporate_actions_table, "");
  message.request.corporate_actions_table = "corporate_actions";
  const std::string with = encodeChunkMessage(message);
  EXPECT_NE(with.find(",\"corporate_actions_table\":\"corporate_actions\",\"gzip\":"),
            std::string::npos)
      << with;
  auto decoded = decodeChunkMessage(with);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->request.corporate_actions_table, "corporate_actions");
}

TEST(TriggerTest, TheCorporateActionsTableComesFromTheDomain) {
  static fakes::FakeClock clock;
  static core::SystemRandom random;
  config::DomainConfig domain = sampleDomain();
  auto trigger = parseTriggerEvent("{}");
  ASSERT_TRUE(trigger.ok());
  auto on = resolveTrigger(*trigger, domain, clock, random);
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_EQ(on->corporate_actions_table, "corporate_actions");
  domain.corporate_actions = false;
  auto off = resolveTrigger(*trigger, domain, clock, random);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->corporate_actions_table, "");
  // A trigger naming the actions table as the bars' table is refused.
  domain.corporate_actions = true;
  auto clash = parseTriggerEvent(R"({"table_name":"corporate_actions"})");
  ASSERT_TRUE(clash.ok());
  auto refused = resolveTrigger(*clash, domain, clock, random);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("corporate-actions table"), std::string::npos);
}

TEST(ChunkMessageTest, EscapesFreeTextFields) {
  ChunkMessage message;
  message.request = fakes::BatchRequestBuilder("b", "2024-01-02")
                        .domain("d")
                        .tableName("t")
                        .dataType("")
                        .triggerType("")
                        .correlationId("quote\" back\\slash\nnew\x01line")
                        .build();
  message.symbols = {"A"};
  message.batch_total_chunks = 1;
  auto decoded = decodeChunkMessage(encodeChunkMessage(message));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->request.correlation_id, message.request.correlation_id);
}

TEST(ChunkMessageTest, PoisonBodiesAreNamed) {
  for (
      auto [body, part] : std::initializer_list<std::pair<const char*, const char*>>{
          {"{", "not a JSON object"},
          {R"({"data_source":"y"})", "'domain' is missing"},
          {R"({"data_source":"y","domain":"d","table_name":"t","interval":"1d","file_format":"json","batch_id":"b","batch_ds":"2024-01-01","period":"5d","batch_total_chunks":1,"chunk_index":1,"symbols":["A"]})",
           "chunk_index 1 is outside"},
          {R"({"data_source":"y","domain":"d","table_name":"t","interval":"1d","file_format":"json","batch_id":"b","batch_ds":"2024-01-01","period":"5d","batch_total_chunks":1,"chunk_index":0,"symbols":["A B"]})",
           "invalid symbol"}}) {
    auto decoded = decodeChunkMessage(body);
    ASSERT_FALSE(decoded.ok()) << body;
    EXPECT_NE(decoded.error().message.find(part), std::string::npos) << decoded.error().message;
  }
}

// A body of the contract's fields around the given counts (a JSON fragment).
std::string chunkBody(const std::string& counts) {
  return R"({"data_source":"y","domain":"d","table_name":"t","interval":"1d",)"
         R"("file_format":"json","batch_id":"b","batch_ds":"2024-01-01","period":"5d",)"
         R"("symbols":["A"],)" +
         counts + "}";
}

// Found by fuzz/targets/chunk_message.cpp: a batch_total_chunks of -2147483648 overflowed while
// the poison message was written (undefined behaviour), and counts beyond an int were read
// modulo 2^32, so 4294967297 chunks passed as 1.
TEST(ChunkMessageTest, CountsOutsideAnIntOrBelowOneArePoison) {
  for (auto [counts, part] : std::initializer_list<std::pair<const char*, const char*>>{
           {R"("batch_total_chunks":-2147483648,"chunk_index":0)", "is not a count of chunks"},
           {R"("batch_total_chunks":0,"chunk_index":0)", "is not a count of chunks"},
           {R"("batch_total_chunks":4294967297,"chunk_index":0)",
            "'batch_total_chunks' is out of range"},
           {R"("batch_total_chunks":1,"chunk_index":-4294967296)", "'chunk_index' is out of range"},
           {R"("batch_total_chunks":18446744073709551615,"chunk_index":0)",
            "is not a count of chunks"}}) {
    auto decoded = decodeChunkMessage(chunkBody(counts));
    ASSERT_FALSE(decoded.ok()) << counts;
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(decoded.error().message.find(part), std::string::npos) << decoded.error().message;
  }
  auto largest =
      decodeChunkMessage(chunkBody(R"("batch_total_chunks":2147483647,"chunk_index":2147483646)"));
  ASSERT_TRUE(largest.ok()) << largest.error().message;
  EXPECT_EQ(largest->chunk_index, 2147483646);
}

// Found by fuzz/targets/chunk_message.cpp: a throttled_since_ms beyond what the clock's
// nanoseconds hold overflowed the conversion. Like any unreadable optional field it is ignored,
// and requeues with it (they only mean something beside it).
TEST(ChunkMessageTest, ThrottleHistoryBeyondTheClockIsIgnored) {
  auto beyond = decodeChunkMessage(chunkBody(
      R"("batch_total_chunks":1,"chunk_index":0,"throttled_since_ms":11700000000000,"requeues":2)"));
  ASSERT_TRUE(beyond.ok()) << beyond.error().message;
  EXPECT_FALSE(beyond->throttled_since.has_value());
  EXPECT_EQ(beyond->requeues, 0);
  auto kept = decodeChunkMessage(
      chunkBody(R"("batch_total_chunks":1,"chunk_index":0,"throttled_since_ms":1700000000000,)"
                R"("requeues":99999999999)"));
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->throttled_since, core::SystemTime(std::chrono::milliseconds(1700000000000)));
  EXPECT_EQ(kept->requeues, 2147483647);
}

}  // namespace
}  // namespace rawfeed::pipeline
