#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "http/governor/file_fleet_store.h"
#include "http/governor/fleet_store.h"

namespace rawfeed::http::governor {
namespace {

std::filesystem::path freshFleetDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("rawfeed-fleet-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(FleetStoreTest, RecordRoundTripsThroughJson) {
  HostRecord record;
  record.rate = 47.5;
  record.ceiling = 50;
  record.ceiling_at = core::SystemTime(std::chrono::milliseconds(1700000000123));
  record.in_flight_limit = 6;
  record.paused_until = core::SystemTime(std::chrono::milliseconds(1700000042000));
  record.pause_length = std::chrono::seconds(40);
  record.throttled = 17;
  record.episode_refused_at = core::SystemTime(std::chrono::milliseconds(1700000000100));
  record.ceiling_measured = true;
  record.members["a"].seen_at = core::SystemTime(std::chrono::milliseconds(1700000000000));
  record.members["a"].rate = 20;
  auto& b = record.members["b"];
  b.seen_at = core::SystemTime(std::chrono::milliseconds(1700000000500));
  b.rate = 27.5;
  b.sent = 26;
  b.history = {0, 3, 2, 7};
  b.history_end = core::SystemTime(std::chrono::milliseconds(1700000000500));
  const HostRecord back = decodeHostRecord(encodeHostRecord(record));
  EXPECT_EQ(back.rate, 47.5);
  EXPECT_EQ(back.ceiling, 50);
  EXPECT_EQ(back.ceiling_at, record.ceiling_at);
  EXPECT_EQ(back.in_flight_limit, 6);
  EXPECT_EQ(back.paused_until, record.paused_until);
  EXPECT_EQ(back.pause_length, std::chrono::seconds(40));
  EXPECT_EQ(back.throttled, 17u);
  ASSERT_EQ(back.members.size(), 2u);
  EXPECT_EQ(back.members.at("b").rate, 27.5);
  EXPECT_EQ(back.members.at("b").sent, 26);
  EXPECT_EQ(back.members.at("a").sent, 0);  // older records carry no pace
  EXPECT_EQ(back.members.at("a").seen_at, record.members["a"].seen_at);
  EXPECT_EQ(back.episode_refused_at, record.episode_refused_at);
  EXPECT_TRUE(back.ceiling_measured);
  EXPECT_EQ(back.members.at("b").history, (std::vector<int>{0, 3, 2, 7}));
  EXPECT_EQ(back.members.at("b").history_end, b.history_end);
  EXPECT_TRUE(back.members.at("a").history.empty());
}

TEST(FleetStoreTest, AHostileHistoryIsDroppedWhole) {
  for (const char* history : {R"([1,-2,3])", R"([1,"x"])", R"([1.5])", R"([1,2000000])", R"(7)"}) {
    const HostRecord record = decodeHostRecord(
        std::string(R"({"members":{"a":{"rate":3,"history_end_ms":1700000000000,"history":)") +
        history + "}}}");
    ASSERT_EQ(record.members.count("a"), 1u) << history;
    EXPECT_TRUE(record.members.at("a").history.empty()) << history;
    EXPECT_EQ(record.members.at("a").history_end, core::SystemTime{}) << history;
    EXPECT_EQ(record.members.at("a").rate, 3) << history;
  }
  std::string long_history = "[";
  for (int i = 0; i <= kHistorySlots; ++i)
    long_history += i == 0 ? "1" : ",1";
  long_history += "]";
  const HostRecord too_long = decodeHostRecord(
      R"({"members":{"a":{"history_end_ms":1700000000000,"history":)" + long_history + "}}}");
  EXPECT_TRUE(too_long.members.at("a").history.empty());
}

TEST(FleetStoreTest, UnreadableOrHostileRecordsReadAsEmptyOrClamped) {
  for (const char* text : {"", "not json", "[1,2]", "{\"rate\":\"fast\"}"}) {
    const HostRecord record = decodeHostRecord(text);
    EXPECT_EQ(record.rate, 0) << text;
    EXPECT_TRUE(record.members.empty()) << text;
  }
  const HostRecord negative =
      decodeHostRecord(R"({"rate":-5,"ceiling":-1,"pause_length_ms":-3,"in_flight_limit":-2})");
  EXPECT_EQ(negative.rate, 0);
  EXPECT_EQ(negative.ceiling, 0);
  EXPECT_EQ(negative.pause_length.count(), 0);
  EXPECT_EQ(negative.in_flight_limit, 0);
  // Instants beyond what the clock holds (found by review: the conversion overflowed) read as
  // absent, not as a pause in force for centuries or a wrapped-around date.
  const HostRecord far = decodeHostRecord(
      R"({"paused_until_ms":9223372036854775807,"ceiling_at_ms":-9223372036854775807,)"
      R"("updated_at_ms":9000000000000000,"members":{"a":{"seen_at_ms":9223372036854775807}}})");
  EXPECT_EQ(far.paused_until, core::SystemTime{});
  EXPECT_EQ(far.ceiling_at, core::SystemTime{});
  EXPECT_EQ(far.updated_at, core::SystemTime{});
  ASSERT_EQ(far.members.count("a"), 1u);
  EXPECT_EQ(far.members.at("a").seen_at, core::SystemTime{});
}

TEST(FleetStoreTest, HostFileNamesAreSafe) {
  EXPECT_EQ(hostFileName("https://query2.finance.yahoo.com"), "query2.finance.yahoo.com");
  EXPECT_EQ(hostFileName("http://127.0.0.1:8080"), "127.0.0.1_8080");
  EXPECT_EQ(hostFileName("http://../../etc"), ".._.._etc");
}

TEST(FileFleetStoreTest, ConcurrentUpdatesLoseNothing) {
  const auto dir = freshFleetDir("concurrent");
  FileFleetStore a(dir);
  FileFleetStore b(dir);
  auto bump = [](FileFleetStore& store) {
    for (int i = 0; i < 100; ++i) {
      auto result = store.update("http://host", [](HostRecord& record) { ++record.throttled; });
      ASSERT_TRUE(result.ok()) << result.error().describe();
    }
  };
  std::thread one(bump, std::ref(a));
  std::thread two(bump, std::ref(b));
  one.join();
  two.join();
  auto final_record = a.update("http://host", [](HostRecord&) {});
  ASSERT_TRUE(final_record.ok());
  EXPECT_EQ(final_record->throttled, 200u);
  EXPECT_TRUE(std::filesystem::exists(dir / "host.json"));
  std::filesystem::remove_all(dir);
}

TEST(FileFleetStoreTest, AnUnwritableDirectoryIsAClearError) {
  const auto dir = freshFleetDir("blocked");
  std::filesystem::create_directories(dir.parent_path());
  { std::ofstream(dir) << "a file, not a directory"; }
  FileFleetStore store(dir);
  auto result = store.update("http://host", [](HostRecord&) {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find(dir.string()), std::string::npos);
  std::filesystem::remove(dir);
}

}  // namespace
}  // namespace rawfeed::http::governor
