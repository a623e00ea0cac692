// `rawfeed serve` as a process: SIGTERM during a slow run drains (deliveries in progress finish
// and are acknowledged, nothing new starts), and a fresh serve finishes the batch with every
// symbol fetched and landed exactly once.
#include <cstdio>
#include <set>

#include "integration/serve/serve_domains.h"

namespace rawfeed::serve_test {
namespace {

using nlohmann::json;

constexpr int kSymbols = 40;
constexpr const char* kBulk = "bulk";
constexpr const char* kBatch = "drain-1";

std::vector<std::string> universe() {
  std::vector<std::string> symbols;
  for (int i = 1; i <= kSymbols; ++i) {
    char name[16];  // room for any int: GCC cannot always see that i is 1..kSymbols
    std::snprintf(name, sizeof(name), "T%02d", i);
    symbols.emplace_back(name);
  }
  return symbols;
}

TEST_F(ServeTest, SigtermDrainsAnInFlightRunAndAFreshServeFinishesIt) {
  // Every symbol answers with the demo's AAPL body, 300 ms late; two deliveries of one chunk
  // (five symbols) at a time, four requests in flight: eight chunks take a few seconds.
  replay_.registry().loadTemplate(fs::path(RAWFEED_SOURCE_DIR) / "demo/responses/AAPL.json");
  testing::ReplayFaults slow;
  slow.latency = milliseconds(300);
  replay_.setFaults(slow);
  const fs::path config = writeServeConfig(
      dir_.path(), {{kBulk, universe(),
                     "worker_concurrency = 2\nmessages_per_delivery = 1\nrequests_in_flight = 4\n"},
                    twoDomains()[1]});

  auto first = startServe(config, "serve-1");
  ASSERT_TRUE(first);
  const Reply run = first->post("/v1/domains/bulk/runs", json{{"batch_id", kBatch}}.dump());
  ASSERT_EQ(run.status, 202) << run.body;
  ASSERT_EQ(run.json()["chunks"], kSymbols / 5);

  // Stop once the run is under way: a chunk recorded, others in flight, most still queued.
  ASSERT_TRUE(pollUntil(seconds(20),
                        [&] {
                          const json batch = findBatch(*first, kBulk, kBatch);
                          return batch.is_object() && batch["chunks_done"].get<int>() >= 1;
                        }))
      << "no chunk was recorded; stderr:\n"
      << first->process().err();
  const Exit stopped = first->stop(seconds(15));
  ASSERT_FALSE(stopped.timed_out) << "serve did not drain within 15 s";
  EXPECT_EQ(stopped.status, 0) << first->process().err();
  std::printf("[ drain ] serve exited %.2f s after SIGTERM\n", stopped.seconds);
  ASSERT_EQ(completionEventsFor(state(), kBatch), 0)
      << "the batch finished before SIGTERM, so the drain was not exercised";
  const auto partial = domainObjects(lake(), kBulk);
  EXPECT_FALSE(partial.empty());
  EXPECT_TRUE(e2e::listLake(lake()).temporaries.empty());

  // A fresh serve picks up the rest at once: the drained deliveries were acknowledged and
  // nothing was left invisible until its visibility timeout (12 minutes here).
  replay_.setFaults({});
  auto second = startServe(config, "serve-2");
  ASSERT_TRUE(second);
  const json batch = waitComplete(*second, kBulk, kBatch, seconds(20));
  ASSERT_TRUE(batch.is_object() && batch["status"] == "complete") << batch.dump();
  EXPECT_EQ(batch["symbols"], kSymbols);
  EXPECT_EQ(batch["chunks_done"], kSymbols / 5);
  EXPECT_EQ(batch["objects_skipped"], 0) << "some chunk was worked twice";
  EXPECT_TRUE(batch["failed_symbols"].empty()) << batch.dump();
  const Exit stopped_again = second->stop();
  ASSERT_FALSE(stopped_again.timed_out);
  EXPECT_EQ(stopped_again.status, 0) << second->process().err();

  // Every symbol fetched once and landed once: the same days for each, each key in exactly one
  // manifest entry, and one completion event.
  const auto objects = domainObjects(lake(), kBulk);
  EXPECT_EQ(static_cast<int>(objects.size()), batch["objects_written"].get<int>());
  std::map<std::string, int> per_symbol;
  for (const auto& [key, bytes] : objects)
    ++per_symbol[symbolOfKey(key)];
  ASSERT_EQ(static_cast<int>(per_symbol.size()), kSymbols);
  const int days = per_symbol.begin()->second;
  EXPECT_GT(days, 0);
  for (const auto& symbol : universe()) {
    EXPECT_EQ(per_symbol[symbol], days) << symbol;
    EXPECT_EQ(replay_.requestsFor(symbol), 1u) << symbol;
  }
  for (const auto& [key, bytes] : partial)
    EXPECT_EQ(objects.at(key), bytes) << key;
  std::map<std::string, int> listed;
  for (const auto& [key, bytes] : e2e::listLake(lake()).manifests) {
    const json manifest = json::parse(bytes);
    if (manifest["batch_id"] != kBatch)
      continue;
    for (const auto& object : manifest["objects"])
      ++listed[object["key"]];
  }
  EXPECT_EQ(listed.size(), objects.size());
  for (const auto& [key, count] : listed) {
    EXPECT_EQ(count, 1) << key;
    EXPECT_TRUE(objects.count(key)) << key;
  }
  EXPECT_EQ(completionEventsFor(state(), kBatch), 1);
  const auto events = e2e::readEvents(state());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["detail"]["status"], "complete");
  EXPECT_EQ(events[0]["detail"]["objects_written"], objects.size());
}

}  // namespace
}  // namespace rawfeed::serve_test
