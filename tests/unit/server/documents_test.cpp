#include "server/documents.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace rawfeed::server {
namespace {

// 2024-12-06T10:00:00Z
const core::SystemTime kTime = core::SystemTime(std::chrono::seconds(1733479200));

TEST(DocumentsTest, AStartedBatch) {
  BatchStarted started;
  started.domain = "customer-data";
  started.batch_id = "b-1";
  started.batch_ds = "2024-12-06";
  started.trigger_type = "manual";
  started.symbols = 3;
  started.chunks = 1;
  started.published = 1;
  started.already_sent = 0;
  started.rejected = {{"bad!", "invalid characters"}};
  EXPECT_EQ(toJson(started),
            R"({"domain":"customer-data","batch_id":"b-1","batch_ds":"2024-12-06",)"
            R"("trigger_type":"manual","symbols":3,"chunks":1,"published":1,"already_sent":0,)"
            R"("rejected":[{"symbol":"bad!","reason":"invalid characters"}]})");
}

TEST(DocumentsTest, ADryRunHasItsWindowsAndNoAlreadySent) {
  BatchStarted plan;
  plan.domain = "customer-data";
  plan.batch_id = "b-2";
  plan.batch_ds = "2024-12-06";
  plan.trigger_type = "manual";
  plan.symbols = 2;
  plan.chunks = 1;
  plan.dry_run = true;
  plan.windows = {{"2024-01-01", "2024-06-30"}, {"2024-07-01", "2024-12-05"}};
  EXPECT_EQ(toJson(plan),
            R"({"domain":"customer-data","batch_id":"b-2","batch_ds":"2024-12-06",)"
            R"("trigger_type":"manual","symbols":2,"chunks":1,"published":0,"rejected":[],)"
            R"("windows":[{"start":"2024-01-01","end":"2024-06-30"},)"
            R"({"start":"2024-07-01","end":"2024-12-05"}],"dry_run":true})");
}

TEST(DocumentsTest, TheLambdaOrchestratorsFieldsWhenSet) {
  BatchStarted started;
  started.domain = "customer-data";
  started.batch_id = "b-3";
  started.batch_ds = "2024-12-06";
  started.trigger_type = "schedule";
  started.correlation_id = "c-9";
  started.already_sent = 2;
  started.existing_batch = true;
  started.seconds = 0.5;
  EXPECT_EQ(
      toJson(started),
      R"({"domain":"customer-data","batch_id":"b-3","batch_ds":"2024-12-06","trigger_type":"schedule",)"
      R"("correlation_id":"c-9","symbols":0,"chunks":0,"published":0,"already_sent":2,)"
      R"("existing_batch":true,"rejected":[],"seconds":0.5})");
}

TEST(DocumentsTest, EventOutcomes) {
  std::vector<EventOutcome> outcomes(3);
  outcomes[0] = {0, "customer-data", "", "b-1", 2, 1};
  outcomes[1] = {1, "", "no domain has a rule", "", 0, 0};
  outcomes[2] = {2, "product-data", "refused", "", 0, 0};
  EXPECT_EQ(toJson(outcomes),
            R"({"entries":[{"index":0,"domain":"customer-data","batch_id":"b-1","symbols":2,)"
            R"("chunks":1},{"index":1,"error":"no domain has a rule"},)"
            R"({"index":2,"error":"refused","domain":"product-data"}]})");
}

TEST(DocumentsTest, StatusWritesUnknownFiguresAsNull) {
  DomainStatus domain;
  domain.domain = "customer-data";
  domain.queue = {12, 3, 1, 2, std::numeric_limits<double>::quiet_NaN()};
  domain.counters.symbols_ok_total = 1234;
  domain.source.rate = 1.5;
  AlarmView alarm;
  alarm.name = "oldest_message_age";
  alarm.state = "INSUFFICIENT_DATA";
  alarm.threshold = 300;
  alarm.comparison = ">=";
  alarm.period_seconds = 300;
  alarm.reason = "no data";
  alarm.since = kTime;
  domain.alarms.push_back(alarm);
  domain.recent_batches.push_back({"b-1", "2024-12-06", "running", 10, 4});
  DomainStatus scheduled;
  scheduled.domain = "product-data";
  scheduled.queue.oldest_age_seconds = 42.5;
  scheduled.schedule = ScheduleView{"cron(0 22 ? * MON-FRI *)", "America/New_York", kTime};
  DomainStatus not_yet = scheduled;
  not_yet.domain = "z";
  not_yet.schedule->next_fire.reset();
  const std::string json = toJson(StatusDocument{kTime, {domain, scheduled, not_yet}});
  for (const char* expected : {
           R"({"generated_at":"2024-12-06T10:00:00Z","domains":[{"domain":"customer-data",)",
           R"("queue":{"visible":12,"in_flight":3,"delayed":1,"dlq":2,"oldest_age_seconds":null})",
           R"("counters":{"symbols_ok_total":1234,"symbols_empty_total":0,)",
           R"("messages_dead_lettered_total":0})",
           R"("source":{"rate":1.5,"in_flight_limit":0.0,)",
           R"("alarms":[{"name":"oldest_message_age","state":"INSUFFICIENT_DATA","value":null,)"
           R"("threshold":300.0,"comparison":">=","period_seconds":300,"reason":"no data",)"
           R"("since":"2024-12-06T10:00:00Z"}],"schedule":null,)",
           R"("recent_batches":[{"batch_id":"b-1","batch_ds":"2024-12-06","status":"running",)"
           R"("symbols":10,"objects_written":4}])",
           R"("oldest_age_seconds":42.5})",
           R"j("schedule":{"expression":"cron(0 22 ? * MON-FRI *)","time_zone":)j"
           R"("America/New_York","next_fire":"2024-12-06T10:00:00Z"})",
           R"("next_fire":null})",
       }) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << "\nin\n" << json;
  }
}

TEST(DocumentsTest, Batches) {
  BatchView batch;
  batch.batch_id = "b-1";
  batch.batch_ds = "2024-12-06";
  batch.status = "partial";
  batch.trigger_type = "event";
  batch.created_at = kTime;
  batch.symbols = 3;
  batch.chunks = 1;
  batch.chunks_done = 1;
  batch.manifest_keys = {"raw/x/_batch.manifest.json"};
  batch.failed_symbols = {{"ZZZZ", "not_found: No data found"}};
  batch.failed_symbols_total = 1;
  EXPECT_EQ(toJson(BatchesDocument{"customer-data", {batch}}),
            R"({"domain":"customer-data","batches":[{"batch_id":"b-1","batch_ds":"2024-12-06",)"
            R"("status":"partial","trigger_type":"event","created_at":"2024-12-06T10:00:00Z",)"
            R"("finished_at":null,"symbols":3,"chunks":1,"chunks_done":1,"objects_written":0,)"
            R"("objects_skipped":0,"manifest_keys":["raw/x/_batch.manifest.json"],)"
            R"("failed_symbols":[{"symbol":"ZZZZ","reason":"not_found: No data found"}],)"
            R"("failed_symbols_total":1}]})");
}

TEST(DocumentsTest, LakeDeadLettersAndRedrive) {
  EXPECT_EQ(toJson(LakeDocument{"d", {{"2024-12-06", 3, 4096}}}),
            R"({"domain":"d","partitions":[{"ds":"2024-12-06","objects":3,"bytes":4096}]})");
  DeadLetterEntry letter{"m-1", 5, kTime, kTime, 60.0, "b-1", 0, {"AAPL"}, "transient", "503"};
  EXPECT_EQ(toJson(DeadLettersDocument{"d", {letter}}),
            R"({"domain":"d","messages":[{"message_id":"m-1","receive_count":5,)"
            R"("sent_at":"2024-12-06T10:00:00Z","dead_lettered_at":"2024-12-06T10:00:00Z",)"
            R"("age_seconds":60.0,"batch_id":"b-1","chunk_index":0,"symbols":["AAPL"],)"
            R"("error_class":"transient","reason":"503"}]})");
  EXPECT_EQ(toJson(RedriveResult{1, 0, true, {"m-1"}}),
            R"({"matched":1,"redriven":0,"dry_run":true,"message_ids":["m-1"]})");
}

}  // namespace
}  // namespace rawfeed::server
