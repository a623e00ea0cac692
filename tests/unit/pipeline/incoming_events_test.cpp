#include "pipeline/incoming_events.h"

#include <gtest/gtest.h>

namespace rawfeed::pipeline {
namespace {

TEST(IncomingEventsTest, AnEventBridgeShapedEvent) {
  auto events = parseIncomingEvents(
      R"({"source":"crm","detail-type":"Symbol Added","detail":{"symbols":["PG"]}})");
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].source, "crm");
  EXPECT_EQ((*events)[0].detail_type, "Symbol Added");
  EXPECT_EQ((*events)[0].detail, R"({"symbols":["PG"]})");
  EXPECT_TRUE((*events)[0].error.empty());
}

TEST(IncomingEventsTest, PutEventsEntriesInOrderWithTheirOwnErrors) {
  auto events = parseIncomingEvents(R"({"Entries":[
      {"Source":"crm","DetailType":"Symbol Added","Detail":"{\"symbols\":[\"PG\"]}"},
      {"Source":"crm","Detail":{"symbols":["KO"]}},
      7,
      {"Source":"crm"}]})");
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].detail, R"({"symbols":["PG"]})");
  EXPECT_EQ((*events)[1].detail_type, "");
  EXPECT_EQ((*events)[1].detail, R"({"symbols":["KO"]})");
  EXPECT_EQ((*events)[2].error, "entry is not an object");
  EXPECT_EQ((*events)[3].error, "entry has no Detail");
}

// Found while writing fuzz/targets/trigger_event.cpp: json::value("Source", "") throws when
// Source is there but not a string, so one such entry turned the whole POST /v1/events into a
// 500 instead of rejecting that entry.
TEST(IncomingEventsTest, ANameThatIsNotAStringRejectsOnlyItsEntry) {
  auto entries = parseIncomingEvents(R"({"Entries":[
      {"Source":7,"DetailType":"d","Detail":"{}"},
      {"Source":"crm","DetailType":["d"],"Detail":"{}"},
      {"Source":"crm","DetailType":null,"Detail":"{}"}]})");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].error, "entry's 'Source' is not a string");
  EXPECT_EQ((*entries)[1].error, "entry's 'DetailType' is not a string");
  EXPECT_TRUE((*entries)[2].error.empty()) << "null reads as absent";

  auto event = parseIncomingEvents(R"({"source":{"x":1},"detail-type":"d","detail":{}})");
  ASSERT_TRUE(event.ok()) << event.error().message;
  ASSERT_EQ(event->size(), 1u);
  EXPECT_EQ((*event)[0].error, "event's 'source' is not a string");
}

TEST(IncomingEventsTest, ABodyOfNeitherShapeIsRefusedWhole) {
  for (auto [body, part] : std::initializer_list<std::pair<const char*, const char*>>{
           {"not json", "must be a JSON object"},
           {"[]", "must be a JSON object"},
           {R"({"Entries":[]})", "non-empty array"},
           {R"({"Entries":{}})", "non-empty array"},
           {R"({"Entries":[1,2,3,4,5,6,7,8,9,10,11]})", "at most 10 entries"}}) {
    auto events = parseIncomingEvents(body);
    ASSERT_FALSE(events.ok()) << body;
    EXPECT_EQ(events.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(events.error().message.find(part), std::string::npos) << events.error().message;
  }
  auto no_detail = parseIncomingEvents(R"({"source":"crm","detail":"text"})");
  ASSERT_TRUE(no_detail.ok());
  EXPECT_EQ((*no_detail)[0].error, "event has no 'detail' object");
}

}  // namespace
}  // namespace rawfeed::pipeline
