// `rawfeed serve` as a process: the scheduled pattern. The fire due at start runs once; a
// restart in the same period does not run it again.
#include <set>

#include "integration/serve/serve_domains.h"

namespace rawfeed::serve_test {
namespace {

using nlohmann::json;

int countLines(const fs::path& file, const std::string& needle) {
  std::ifstream in(file);
  std::string line;
  int count = 0;
  while (std::getline(in, line))
    count += line.find(needle) != std::string::npos ? 1 : 0;
  return count;
}

TEST_F(ServeTest, ScheduledFireRunsOnceAtStartAndNotAgainAfterARestart) {
  waitClearOfNextFire();
  const auto fire = lastWholeHour();
  const std::string batch_id = scheduledBatchId(kScheduled, fire);
  const fs::path config = writeServeConfig(dir_.path(), twoDomains());

  auto first = startServe(config, "serve-1");
  ASSERT_TRUE(first);
  const json batch = waitComplete(*first, kScheduled, batch_id);
  ASSERT_TRUE(batch.is_object()) << "no batch " << batch_id << "; stderr:\n"
                                 << first->process().err();
  ASSERT_EQ(batch["status"], "complete") << batch.dump();
  EXPECT_EQ(batch["trigger_type"], "schedule");
  EXPECT_EQ(batch["symbols"], 3);
  EXPECT_TRUE(batch["failed_symbols"].empty()) << batch.dump();
  const int written = batch["objects_written"];
  EXPECT_GT(written, 0);

  // /v1/status shows the fire's batch complete and the next fire one period on.
  const json status = statusOf(*first, kScheduled);
  ASSERT_TRUE(status.is_object());
  ASSERT_FALSE(status["recent_batches"].empty());
  EXPECT_EQ(status["recent_batches"][0]["batch_id"], batch_id);
  EXPECT_EQ(status["recent_batches"][0]["status"], "complete");
  EXPECT_EQ(status["schedule"]["expression"], kSchedule);
  EXPECT_EQ(status["schedule"]["time_zone"], "UTC");
  EXPECT_EQ(status["schedule"]["next_fire"],
            utcText(fire + std::chrono::hours(1), "%Y-%m-%dT%H:%M:%SZ"));
  EXPECT_TRUE(statusOf(*first, kEvents)["schedule"].is_null());

  const std::string metrics = first->get("/metrics").body;
  EXPECT_EQ(metricValue(metrics, domainSeries("rawfeed_schedule_fires_total", kScheduled)), 1.0)
      << metrics;
  EXPECT_EQ(metricValue(metrics, domainSeries("rawfeed_schedule_fires_total", kEvents)), 0.0);
  EXPECT_EQ(metricValue(metrics, domainSeries("rawfeed_schedule_misfires_total", kScheduled)), 0.0);

  // The lake holds the domain's universe, every object listed by the batch's manifests.
  const auto objects = domainObjects(lake(), kScheduled);
  EXPECT_EQ(static_cast<int>(objects.size()), written);
  std::set<std::string> symbols;
  for (const auto& [key, bytes] : objects)
    symbols.insert(symbolOfKey(key));
  EXPECT_EQ(symbols, (std::set<std::string>{"AAPL", "MSFT", "SPY"}));
  int listed = 0;
  for (const auto& key : batch["manifest_keys"]) {
    const fs::path manifest = lake() / key.get<std::string>();
    ASSERT_TRUE(fs::exists(manifest)) << manifest;
    const json document = json::parse(e2e::readFile(manifest));
    EXPECT_EQ(document["batch_id"], batch_id);
    for (const auto& object : document["objects"]) {
      ++listed;
      EXPECT_TRUE(objects.count(object["key"])) << object["key"];
    }
  }
  EXPECT_EQ(listed, written);
  EXPECT_EQ(completionEventsFor(state(), batch_id), 1);

  const Exit stopped = first->stop();
  ASSERT_FALSE(stopped.timed_out) << "serve did not stop within the limit";
  ASSERT_EQ(stopped.status, 0) << first->process().err();

  // A restart in the same hour: the fire log says the fire ran, so nothing fires or is sent.
  auto second = startServe(config, "serve-2");
  ASSERT_TRUE(second);
  const std::string fires = domainSeries("rawfeed_schedule_fires_total", kScheduled);
  const bool fired_again = pollUntil(seconds(1), [&] {
    return metricValue(second->get("/metrics").body, fires).value_or(-1) != 0.0;
  });
  const std::string restarted = second->get("/metrics").body;
  EXPECT_FALSE(fired_again) << restarted;
  EXPECT_EQ(metricValue(restarted, fires), 0.0);
  EXPECT_EQ(metricValue(restarted, domainSeries("rawfeed_messages_sent_total", kScheduled)), 0.0);
  const Reply batches = second->get("/v1/domains/scheduled/batches");
  ASSERT_EQ(batches.status, 200);
  ASSERT_EQ(batches.json()["batches"].size(), 1u) << batches.body;
  EXPECT_EQ(batches.json()["batches"][0]["batch_id"], batch_id);
  EXPECT_EQ(batches.json()["batches"][0]["status"], "complete");

  const Exit stopped_again = second->stop();
  ASSERT_FALSE(stopped_again.timed_out);
  EXPECT_EQ(stopped_again.status, 0) << second->process().err();
  EXPECT_EQ(completionEventsFor(state(), batch_id), 1);
  EXPECT_EQ(e2e::readEvents(state()).size(), 1u);
  // Both processes log to the same file: one fire between them.
  EXPECT_EQ(countLines(state() / "logs" / "rawfeed.jsonl", "\"schedule_fired\""), 1);
  EXPECT_EQ(domainObjects(lake(), kScheduled), objects);
}

}  // namespace
}  // namespace rawfeed::serve_test
