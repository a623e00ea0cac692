#include "pipeline/batch_finalizer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <latch>
#include <map>
#include <thread>

#include "contract/temp_dir.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/forwarding_tracker.h"
#include "support/fakes/in_memory_object_store.h"
#include "tracker/lake/lake_batch_tracker.h"
#include "tracker/lake/watermark_document.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"
#include "unit/pipeline/fakes.h"

namespace rawfeed::pipeline {
namespace {

using namespace std::chrono_literals;
using tracker::ChunkResult;
using tracker::ClaimOutcome;
using tracker::EventStatus;

// A tracker backend: each open() is another instance over the same storage, as another process
// (SQLite: another connection to the file) or host (lake: another tracker over the store).
struct Backend {
  std::string name;
  std::function<std::unique_ptr<tracker::BatchTracker>(const std::filesystem::path& dir,
                                                       store::ObjectStore& lake)>
      open;
};

void PrintTo(const Backend& backend, std::ostream* out) {
  *out << backend.name;
}

std::unique_ptr<tracker::BatchTracker> openSqlite(const std::filesystem::path& dir,
                                                  store::ObjectStore& /*lake*/) {
  auto opened = tracker::sqlite::SqliteBatchTracker::open({dir / "tracker.db"});
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

std::unique_ptr<tracker::BatchTracker> openLake(const std::filesystem::path& /*dir*/,
                                                store::ObjectStore& lake) {
  return std::make_unique<tracker::lake::LakeBatchTracker>(lake);
}

const core::SystemTime kT0{fakes::FakeClock::kStart};

ChunkResult ok(int index) {
  ChunkResult chunk;
  chunk.chunk_index = index;
  const std::string symbol = "S" + std::to_string(index);
  chunk.objects.push_back({symbol,
                           "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/"
                           "month=01/day=05/" +
                               symbol + ".json",
                           "2024-01-05", 1, 100, std::string(64, 'a'), true});
  chunk.ok_symbols = {symbol};
  chunk.records = 1;
  return chunk;
}

// The chunk's message ended in the DLQ after the source kept timing out (a 429 storm, a full
// disk): the batch completes partial.
ChunkResult dead(int index) {
  ChunkResult chunk;
  chunk.chunk_index = index;
  chunk.failed.push_back({"S" + std::to_string(index), "transient", "timed out"});
  chunk.dead_lettered = true;
  return chunk;
}

class BatchFinalizerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    tracker_ = open();
    ASSERT_NE(tracker_, nullptr);
  }

  std::unique_ptr<tracker::BatchTracker> open() { return GetParam().open(dir_.path(), store_); }

  BatchFinalizer finalizerOn(tracker::BatchTracker& tracker) {
    return BatchFinalizer(store_, tracker, events_, "test", clock_);
  }

  static tracker::BatchPlan planOf(int chunks) {
    tracker::BatchPlan plan;
    plan.batch_id = "b1";
    plan.batch_ds = "2024-01-05";
    plan.domain = "customer-data";
    plan.table_name = "prices";
    plan.data_source = "yahoo_finance";
    plan.interval = "1d";
    plan.file_format = "json";
    plan.total_chunks = chunks;
    plan.fingerprint = "f";
    return plan;
  }

  void registerBatch(int chunks) { ASSERT_TRUE(tracker_->registerBatch(planOf(chunks), kT0).ok()); }

  void record(const ChunkResult& chunk) {
    auto recorded = tracker_->recordChunk("b1", chunk, clock_.now());
    ASSERT_TRUE(recorded.ok()) << recorded.error().describe();
  }

  FinalizeOutcome finalizeOk(tracker::BatchTracker& tracker) {
    auto finalized = finalizerOn(tracker).finalize("b1");
    EXPECT_TRUE(finalized.ok()) << finalized.error().describe();
    return finalized.ok() ? *finalized : FinalizeOutcome::kClaimedElsewhere;
  }

  // The status of each event published, in order.
  std::vector<std::string> statuses() {
    std::vector<std::string> out;
    for (const auto& event : events_.events()) {
      if (event.find("\"status\":\"complete\"") != std::string::npos) {
        out.push_back("complete");
      } else if (event.find("\"status\":\"partial\"") != std::string::npos) {
        out.push_back("partial");
      } else {
        out.push_back("?");
      }
    }
    return out;
  }

  std::string manifest() {
    return store_.objects()
        ["customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=01/day=05/"
         "_batch.manifest.json"];
  }

  // Finalizes b1 (S0 and S1 recorded, nothing failed in the end) through `ahead`'s finalizer: the
  // batch read `readings` times, both objects in the manifest, the complete event.
  template <class Counting>
  void expectFinalizedComplete(Counting& ahead, int readings) {
    auto finalized = ahead.finalizer.finalize("b1");
    ASSERT_TRUE(finalized.ok()) << finalized.error().describe();
    EXPECT_EQ(ahead.tracker.readings(), readings);
    const auto document = nlohmann::json::parse(manifest());
    EXPECT_EQ(document.at("objects").size(), 2u);
    EXPECT_TRUE(document.at("failed_symbols").empty()) << document.dump();
    EXPECT_EQ(statuses(), (std::vector<std::string>{"complete"}));
  }

  contract::TempDir dir_;
  fakes::FakeClock clock_;
  fakes::InMemoryObjectStore store_;
  testing::RecordingEventSink events_;
  std::unique_ptr<tracker::BatchTracker> tracker_;
};

// Finalizers on threads, on two tracker instances (two processes on one SQLite file, two hosts
// on one lake), all at once on one complete batch.
TEST_P(BatchFinalizerTest, FinalizersRunningAtOncePublishOneEvent) {
  constexpr int kFinalizers = 8;
  registerBatch(3);
  for (int i = 0; i < 3; ++i)
    record(ok(i));
  auto other = open();
  ASSERT_NE(other, nullptr);
  std::latch start(kFinalizers);
  std::atomic<int> published{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int f = 0; f < kFinalizers; ++f) {
    threads.emplace_back([&, t = f % 2 == 0 ? tracker_.get() : other.get()] {
      BatchFinalizer finalizer = finalizerOn(*t);
      start.arrive_and_wait();
      auto finalized = finalizer.finalize("b1");
      errors += finalized.ok() ? 0 : 1;
      published += finalized.ok() && *finalized == FinalizeOutcome::kPublished ? 1 : 0;
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(published.load(), 1);
  EXPECT_EQ(statuses(), (std::vector<std::string>{"complete"}));
}

// The window that made duplicates publish: other finalizers run while the first one publishes,
// before it marks the event published. Deterministic: they run inside the first publish.
TEST_P(BatchFinalizerTest, FinalizersRunningWhileOnePublishesDoNotPublishAgain) {
  constexpr int kOthers = 4;
  registerBatch(2);
  record(ok(0));
  record(ok(1));
  auto other = open();
  ASSERT_NE(other, nullptr);
  std::vector<FinalizeOutcome> outcomes(kOthers);
  events_.duringFirstPublish([&] {
    std::vector<std::thread> threads;
    for (int f = 0; f < kOthers; ++f) {
      threads.emplace_back([&, f] { outcomes[f] = finalizeOk(f % 2 == 0 ? *other : *tracker_); });
    }
    for (auto& thread : threads)
      thread.join();
  });
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  for (const auto outcome : outcomes) {
    EXPECT_EQ(outcome, FinalizeOutcome::kClaimedElsewhere) << finalizeOutcomeName(outcome);
  }
  EXPECT_EQ(statuses(), (std::vector<std::string>{"complete"}));
  EXPECT_EQ(finalizeOk(*other), FinalizeOutcome::kAlreadyPublished) << "once it is marked";
  EXPECT_EQ(events_.events().size(), 1u);
}

TEST_P(BatchFinalizerTest, ABatchCleanTheFirstTimeAnnouncesOnlyComplete) {
  registerBatch(2);
  record(ok(0));
  record(ok(1));
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  record(ok(1));  // a duplicate message of the last chunk
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kAlreadyPublished);
  EXPECT_EQ(finalizeOk(*open()), FinalizeOutcome::kAlreadyPublished);
  EXPECT_EQ(statuses(), (std::vector<std::string>{"complete"}));
}

// The decision recorded in the README: one partial event, then one complete event once the
// redrives land every failed symbol; nothing for a redrive that leaves the batch partial.
TEST_P(BatchFinalizerTest, PartialOnceThenCompleteOnceWhateverTheRedrives) {
  registerBatch(3);
  record(ok(0));
  record(dead(1));
  record(dead(2));
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  EXPECT_EQ(statuses(), (std::vector<std::string>{"partial"}));
  record(dead(2));  // the last chunk's message delivered again
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kAlreadyPublished);

  record(ok(1));  // a redrive lands chunk 1; chunk 2 still failed
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kAlreadyPublished);
  EXPECT_EQ(statuses(), (std::vector<std::string>{"partial"})) << "still partial: no new event";
  EXPECT_NE(manifest().find("S1.json"), std::string::npos) << "the manifests are rewritten";
  EXPECT_NE(manifest().find("\"symbol\":\"S2\""), std::string::npos);

  record(ok(2));  // the second redrive lands the rest
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  EXPECT_EQ(finalizeOk(*open()), FinalizeOutcome::kAlreadyPublished);
  EXPECT_EQ(statuses(), (std::vector<std::string>{"partial", "complete"}));
  EXPECT_NE(manifest().find("\"failed_symbols\":[]"), std::string::npos) << manifest();
}

// The manifest is written entry by entry, not as one JSON tree: its bytes must still be exactly
// one ordered_json document's, every object listed in key order, with the failures after them.
TEST_P(BatchFinalizerTest, AStreamedManifestIsOneJsonDocumentWithEveryObjectInKeyOrder) {
  registerBatch(3);
  record(ok(2));
  record(ok(0));
  record(dead(1));
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  const std::string text = manifest();
  const auto document = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(document.dump(), text);
  ASSERT_EQ(document["objects"].size(), 2u);
  EXPECT_EQ(document["objects"][0]["symbol"], "S0");
  EXPECT_EQ(document["objects"][1]["symbol"], "S2");
  EXPECT_EQ(document["objects"][0]["records"], 1);
  EXPECT_EQ(document["objects"][0]["bytes"], 100);
  EXPECT_EQ(document["objects"][0]["sha256"], std::string(64, 'a'));
  ASSERT_EQ(document["failed_symbols"].size(), 1u);
  EXPECT_EQ(document["failed_symbols"][0]["symbol"], "S1");
  std::vector<std::string> keys;
  for (const auto& [key, value] : document.items())
    keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"schema", "environment", "domain", "table_name",
                                            "data_source", "interval", "ds", "batch_id",
                                            "generated_at", "objects", "failed_symbols"}));
}

// The spool keeps entries compactly (a file name under its manifest's directory, a SHA-256 as 32
// bytes); what does not fit that shape — a key in another directory, a digest that is not
// lower-case hex — still comes out exactly as recorded.
TEST_P(BatchFinalizerTest, EntriesOfEveryShapeComeOutAsRecorded) {
  registerBatch(1);
  ChunkResult chunk = ok(0);
  const std::string dir =
      "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=01/day=05/";
  const std::string hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  chunk.objects[0].sha256 = hex;
  chunk.objects.push_back({"Z\"q", dir + "Z%22q.json", "2024-01-05", 7, 9, "NOT-HEX", true});
  chunk.objects.push_back(
      {"A", "elsewhere/A.json", "2024-01-05", 2, 3, hex.substr(0, 63) + "G", false});
  chunk.objects.push_back({"B", dir + "B.json", "2024-01-05", 4, 5, "", true});
  chunk.ok_symbols = {"S0", "Z\"q", "A", "B"};
  record(chunk);
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  const auto document = nlohmann::ordered_json::parse(manifest());
  ASSERT_EQ(document["objects"].size(), 4u) << document.dump();
  // The key outside the partition's directory first, then the rest in key order.
  const auto& objects = document["objects"];
  EXPECT_EQ(objects[0]["key"], "elsewhere/A.json");
  EXPECT_EQ(objects[0]["sha256"], hex.substr(0, 63) + "G");
  EXPECT_EQ(objects[1]["key"], dir + "B.json");
  EXPECT_EQ(objects[1]["sha256"], "");
  EXPECT_EQ(objects[2]["key"], dir + "S0.json");
  EXPECT_EQ(objects[2]["sha256"], hex);
  EXPECT_EQ(objects[3]["key"], dir + "Z%22q.json");
  EXPECT_EQ(objects[3]["symbol"], "Z\"q");
  EXPECT_EQ(objects[3]["records"], 7);
  EXPECT_EQ(objects[3]["bytes"], 9);
  EXPECT_EQ(objects[3]["sha256"], "NOT-HEX");
}

// A finalizer that claimed the event and crashed before marking it: nobody publishes until its
// lease ends, then one does.
TEST_P(BatchFinalizerTest, AClaimWhoseHolderCrashedIsTakenOverAfterTheLease) {
  registerBatch(1);
  record(ok(0));
  auto crashed = tracker_->claimEvent("b1", EventStatus::kComplete, clock_.now(), 60s);
  ASSERT_TRUE(crashed.ok());
  ASSERT_EQ(crashed->outcome, ClaimOutcome::kGranted);
  clock_.advance(59s);
  EXPECT_EQ(finalizeOk(*open()), FinalizeOutcome::kClaimedElsewhere);
  EXPECT_TRUE(events_.events().empty());
  clock_.advance(1s);
  EXPECT_EQ(finalizeOk(*open()), FinalizeOutcome::kPublished);
  EXPECT_EQ(statuses(), (std::vector<std::string>{"complete"}));
}

TEST_P(BatchFinalizerTest, AFailedPublishLeavesTheEventToTheNextFinalizeAtOnce) {
  registerBatch(1);
  record(ok(0));
  events_.fail(1);
  auto failed = finalizerOn(*tracker_).finalize("b1");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::kTransient);
  EXPECT_TRUE(events_.events().empty());
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished) << "the claim was released";
  EXPECT_EQ(statuses(), (std::vector<std::string>{"complete"}));
}

TEST_P(BatchFinalizerTest, AnOpenBatchIsNotFinalized) {
  registerBatch(2);
  record(ok(0));
  auto finalized = finalizerOn(*tracker_).finalize("b1");
  ASSERT_FALSE(finalized.ok());
  EXPECT_EQ(finalized.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_TRUE(events_.events().empty());
}

// Forwards to a tracker, running a hook once after the first snapshot: the batch changes
// between the finalizer's read and its claim. Its readBatch is the interface's default, which
// reads through snapshot().
class ChangingTracker final : public fakes::ForwardingTracker {
 public:
  ChangingTracker(tracker::BatchTracker& inner, std::function<void()> after_first_snapshot)
      : ForwardingTracker(inner), after_first_snapshot_(std::move(after_first_snapshot)) {}

  core::Result<tracker::BatchSnapshot> snapshot(const std::string& batch_id) override {
    auto snapshot = inner_.snapshot(batch_id);
    if (auto hook = std::exchange(after_first_snapshot_, nullptr))
      hook();
    return snapshot;
  }
  core::Result<tracker::BatchOutline> readBatch(const std::string& batch_id,
                                                const tracker::ChunkVisitor& visit) override {
    return BatchTracker::readBatch(batch_id, visit);  // the default: through snapshot()
  }

 private:
  std::function<void()> after_first_snapshot_;
};

// A finalizer read the batch partial; the redrive completed it before the claim. The partial
// event is refused and the finalizer starts again: complete manifests, the complete event.
TEST_P(BatchFinalizerTest, AFinalizerThatReadTheBatchPartialTooLateStartsAgain) {
  registerBatch(2);
  record(ok(0));
  record(dead(1));
  auto other = open();
  ASSERT_NE(other, nullptr);
  ChangingTracker changing(*tracker_, [&] {
    auto redriven = other->recordChunk("b1", ok(1), clock_.now());
    ASSERT_TRUE(redriven.ok()) << redriven.error().describe();
  });
  EXPECT_EQ(finalizeOk(changing), FinalizeOutcome::kPublished);
  EXPECT_EQ(statuses(), (std::vector<std::string>{"complete"}));
  EXPECT_NE(manifest().find("\"failed_symbols\":[]"), std::string::npos)
      << "the partial manifest written first was replaced: " << manifest();
}

// The watermarks the workers reported go to the store (both trackers persist them in the chunk
// results), and a plan that left symbols out says how many in the manifest and the event.
TEST_P(BatchFinalizerTest, MergesTheReportedWatermarksAndCountsTheUpToDate) {
  tracker::BatchPlan plan = planOf(2);
  plan.symbols_up_to_date = 7;
  ASSERT_TRUE(tracker_->registerBatch(plan, kT0).ok());
  auto first = ok(0);
  tracker::SymbolWatermark s0;
  s0.symbol = "S0";
  s0.last_day = "2024-01-05";
  s0.checked_at = 1704500000;
  s0.time_zone = "America/New_York";
  s0.session_close_minute = 960;
  first.watermarks.push_back(s0);
  auto second = ok(1);
  tracker::SymbolWatermark s1 = s0;
  s1.symbol = "S1";
  s1.last_day = "2024-01-04";
  s1.weekends = true;
  second.watermarks.push_back(s1);
  // Every field kept through the finalizer's spool: no zone, an unknown close, no day; and one
  // symbol reported by two chunks is merged into one line.
  tracker::SymbolWatermark s2;
  s2.symbol = "BTC-USD";
  s2.checked_at = 1704400000;
  first.watermarks.push_back(s2);
  tracker::SymbolWatermark s2_later = s2;
  s2_later.last_day = "2024-01-06";
  s2_later.checked_at = 1704500000;
  second.watermarks.push_back(s2_later);
  record(first);
  record(second);
  tracker::lake::WatermarkDocumentStore watermarks(store_, "lake");
  BatchFinalizerOptions options;
  options.watermarks = &watermarks;
  auto finalized =
      BatchFinalizer(store_, *tracker_, events_, "test", clock_, options).finalize("b1");
  ASSERT_TRUE(finalized.ok()) << finalized.error().describe();
  auto merged = watermarks.load({"customer-data", "prices", "1d", "yahoo_finance"});
  ASSERT_TRUE(merged.ok()) << merged.error().describe();
  EXPECT_EQ(*merged, (std::vector<tracker::SymbolWatermark>{s2_later, s0, s1}));
  const auto manifest_json = nlohmann::json::parse(manifest());
  EXPECT_EQ(manifest_json.at("symbols_up_to_date"), 7);
  ASSERT_EQ(events_.events().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(events_.events()[0]).at("detail").at("symbols_up_to_date"), 7);
}

// The plan's actions table is listed in the event even when no symbol had an action, and the
// trackers' figures count only the bars' objects (bytes: both tables').
TEST_P(BatchFinalizerTest, TheActionsTableIsListedWithoutActionsAndFiguresAreTheBars) {
  tracker::BatchPlan plan = planOf(2);
  plan.corporate_actions_table = "corporate_actions";
  ASSERT_TRUE(tracker_->registerBatch(plan, kT0).ok());
  record(ok(0));
  auto with_action = ok(1);
  with_action.objects.push_back({"S1",
                                 "customer-data/corporate_actions/interval=1d/"
                                 "data_source=yahoo_finance/year=2024/month=01/day=04/S1.json",
                                 "2024-01-04", 1, 50, std::string(64, 'b'), true,
                                 "corporate_actions"});
  record(with_action);
  auto summaries = tracker_->recentSummaries(10, "customer-data");
  ASSERT_TRUE(summaries.ok()) << summaries.error().describe();
  ASSERT_EQ(summaries->size(), 1u);
  EXPECT_EQ((*summaries)[0].objects_written, 2);
  EXPECT_EQ((*summaries)[0].bytes_written, 250);
  auto days = tracker_->partitionStats("customer-data", 10);
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].day, "2024-01-05");
  EXPECT_EQ((*days)[0].objects, 2);
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  auto tables = nlohmann::json::parse(events_.events()[0]).at("detail").at("tables");
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[1].at("table_name"), "corporate_actions");
  EXPECT_EQ(tables[1].at("objects_written"), 1);
}

TEST_P(BatchFinalizerTest, ADomainsActionsTableIsListedEvenWithoutAnAction) {
  tracker::BatchPlan plan = planOf(1);
  plan.corporate_actions_table = "corporate_actions";
  ASSERT_TRUE(tracker_->registerBatch(plan, kT0).ok());
  record(ok(0));
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);
  auto tables = nlohmann::json::parse(events_.events()[0]).at("detail").at("tables");
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[1].at("table_name"), "corporate_actions");
  EXPECT_EQ(tables[1].at("objects_written"), 0);
  EXPECT_EQ(tables[1].at("objects_skipped"), 0);
  EXPECT_TRUE(tables[1].at("manifest_keys").empty());
  for (const auto& [key, bytes] : store_.objects())
    EXPECT_EQ(key.find("/corporate_actions/"), std::string::npos) << "no manifest: " << key;
}

// --- A batch digested as its chunks are recorded (digestAhead) ----------------------------------

// Chunks of every part the digest keeps: objects of two days and of the actions table, failures
// (two of one symbol), invalid bars and actions (one symbol and reason twice), watermarks, a dead
// letter.
std::vector<ChunkResult> assortedChunks() {
  const std::string dir = "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/";
  auto first = ok(0);
  first.objects.push_back(
      {"S0", dir + "month=01/day=04/S0.json", "2024-01-04", 3, 300, std::string(64, 'b'), false});
  first.objects.push_back({"S0",
                           "customer-data/corporate_actions/interval=1d/data_source=yahoo_finance/"
                           "year=2024/month=01/day=05/S0.json",
                           "2024-01-05", 1, 50, std::string(64, 'c'), true, "corporate_actions"});
  first.failed = {{"Q", "transient", "timed out"}, {"Q", "not_found", "gone"}};
  first.invalid_bars = {{"S0", "negative", 2}, {"S0", "negative", 1}, {"A", "not_finite", 1}};
  tracker::SymbolWatermark watermark;
  watermark.symbol = "S0";
  watermark.last_day = "2024-01-05";
  watermark.checked_at = 1704500000;
  watermark.time_zone = "America/New_York";
  watermark.session_close_minute = 960;
  first.watermarks = {watermark};
  auto third = ok(2);
  third.failed = {{"P", "not_found", "gone"}};
  third.invalid_actions = {{"S2", "invalid_action", 2}, {"S2", "invalid_action", 1}};
  return {first, dead(1), third};
}

std::map<std::string, std::string> manifestsOf(fakes::InMemoryObjectStore& store) {
  std::map<std::string, std::string> manifests;
  for (const auto& [key, bytes] : store.objects()) {
    if (key.find("_batch.manifest.json") != std::string::npos)
      manifests[key] = bytes;
  }
  return manifests;
}

void recordThrough(BatchFinalizer& finalizer, const ChunkResult& chunk, core::SystemTime now) {
  const std::vector<tracker::ChunkRecord> records{{"b1", chunk}};
  auto recorded = finalizer.recordChunks(records, now);
  ASSERT_TRUE(recorded.ok()) << recorded.error().describe();
}

// The SQLite tracker keeps revisions, so its batch is confirmed without a reading; the lake
// tracker keeps none, and the finalizer reads the batch as always.
int readingsOfAnUnchangedBatch(const Backend& backend) {
  return backend.name == "Sqlite" ? 0 : 1;
}

// The same manifests and event, byte for byte, as a finalizer that reads the batch — with the
// chunks recorded in another order — and the batch not read at all.
TEST_P(BatchFinalizerTest, ABatchDigestedAsItIsRecordedWritesWhatItsReadingWrites) {
  tracker::BatchPlan plan = planOf(3);
  plan.corporate_actions_table = "corporate_actions";
  const auto chunks = assortedChunks();
  ASSERT_TRUE(tracker_->registerBatch(plan, kT0).ok());
  for (const auto& chunk : chunks)
    record(chunk);
  EXPECT_EQ(finalizeOk(*tracker_), FinalizeOutcome::kPublished);

  contract::TempDir dir;
  fakes::InMemoryObjectStore store;
  testing::RecordingEventSink events;
  auto backing = GetParam().open(dir.path(), store);
  ASSERT_NE(backing, nullptr);
  fakes::ReadCountingTracker tracker(*backing);
  ASSERT_TRUE(tracker.registerBatch(plan, kT0).ok());
  BatchFinalizer finalizer(store, tracker, events, "test", clock_);
  ASSERT_TRUE(finalizer.digestAhead("b1").ok());
  for (auto chunk = chunks.rbegin(); chunk != chunks.rend(); ++chunk)
    recordThrough(finalizer, *chunk, clock_.now());
  auto finalized = finalizer.finalize("b1");
  ASSERT_TRUE(finalized.ok()) << finalized.error().describe();
  EXPECT_EQ(*finalized, FinalizeOutcome::kPublished);
  EXPECT_EQ(tracker.readings(), readingsOfAnUnchangedBatch(GetParam()));
  const auto manifests = manifestsOf(store);
  EXPECT_EQ(manifests.size(), 3u);  // the bars' two days, the actions' one
  EXPECT_EQ(manifests, manifestsOf(store_));
  EXPECT_EQ(events.events(), events_.events());
  EXPECT_NE(events.events().at(0).find("\"status\":\"partial\""), std::string::npos);
}

// A finalizer of the fixture's lake digesting b1 ahead, over a tracker that counts readings.
struct DigestingAhead {
  DigestingAhead(tracker::BatchTracker& inner, store::ObjectStore& store, events::EventSink& events,
                 const core::Clock& clock)
      : tracker(inner), finalizer(store, tracker, events, "test", clock) {}
  fakes::ReadCountingTracker tracker;
  BatchFinalizer finalizer;
};

// A redelivery records nothing new: the digest stands.
TEST_P(BatchFinalizerTest, ARedeliveredChunkLeavesTheDigestStanding) {
  registerBatch(2);
  DigestingAhead ahead(*tracker_, store_, events_, clock_);
  ASSERT_TRUE(ahead.finalizer.digestAhead("b1").ok());
  recordThrough(ahead.finalizer, ok(0), clock_.now());
  recordThrough(ahead.finalizer, ok(0), clock_.now());
  recordThrough(ahead.finalizer, ok(1), clock_.now());
  expectFinalizedComplete(ahead, readingsOfAnUnchangedBatch(GetParam()));
}

// A chunk recorded by another process, and a dead letter replaced, are what the digest cannot
// know or take back: the finalizer reads the batch, and writes what it holds.
TEST_P(BatchFinalizerTest, AChunkRecordedElsewhereMakesTheFinalizerReadTheBatch) {
  registerBatch(2);
  DigestingAhead ahead(*tracker_, store_, events_, clock_);
  ASSERT_TRUE(ahead.finalizer.digestAhead("b1").ok());
  recordThrough(ahead.finalizer, ok(0), clock_.now());
  auto other = open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->recordChunk("b1", ok(1), clock_.now()).ok());
  expectFinalizedComplete(ahead, 1);
}

TEST_P(BatchFinalizerTest, AReplacedDeadLetterMakesTheFinalizerReadTheBatch) {
  registerBatch(2);
  DigestingAhead ahead(*tracker_, store_, events_, clock_);
  ASSERT_TRUE(ahead.finalizer.digestAhead("b1").ok());
  recordThrough(ahead.finalizer, dead(1), clock_.now());
  recordThrough(ahead.finalizer, ok(1), clock_.now());  // the redriven message succeeded
  recordThrough(ahead.finalizer, ok(0), clock_.now());
  expectFinalizedComplete(ahead, 1);
}

// --- Manifests written at once (manifest_writers) ----------------------------------------------

// A batch of many partition days in two tables, with watermarks: what the finalizer leaves.
struct Finalized {
  std::map<std::string, std::string> manifests;
  std::vector<std::string> events;
  std::vector<tracker::SymbolWatermark> watermarks;
};

// `plan`: b1 of 12 chunks, with an actions table.
Finalized finalizeManyDays(const Backend& backend, const fakes::FakeClock& clock,
                           const tracker::BatchPlan& plan, int manifest_writers) {
  contract::TempDir dir;
  fakes::InMemoryObjectStore store;
  testing::RecordingEventSink events;
  auto tracker = backend.open(dir.path(), store);
  Finalized out;
  if (tracker == nullptr)
    return out;
  const int kChunks = plan.total_chunks;
  EXPECT_TRUE(tracker->registerBatch(plan, kT0).ok());
  for (int index = 0; index < kChunks; ++index) {
    ChunkResult chunk;
    chunk.chunk_index = index;
    for (int symbol = 0; symbol < 20; ++symbol) {
      const std::string name = "S" + std::to_string(index * 20 + symbol);
      chunk.ok_symbols.push_back(name);
      for (int day = 1; day <= 15; ++day) {
        const std::string dd = (day < 10 ? "0" : "") + std::to_string(day);
        const std::string table = day % 5 == 0 ? "corporate_actions" : "";
        chunk.objects.push_back({name,
                                 "customer-data/" + (table.empty() ? "prices" : table) +
                                     "/interval=1d/data_source=yahoo_finance/year=2024/"
                                     "month=01/day=" +
                                     dd + "/" + name + ".json",
                                 "2024-01-" + dd, day, 100 + day, std::string(64, 'a'), true,
                                 table});
      }
      tracker::SymbolWatermark watermark;
      watermark.symbol = name;
      watermark.last_day = "2024-01-15";
      watermark.checked_at = 1705400000;
      chunk.watermarks.push_back(watermark);
    }
    chunk.failed = {{"X" + std::to_string(index), "not_found", "gone"}};
    EXPECT_TRUE(tracker->recordChunk("b1", chunk, clock.now()).ok());
  }
  tracker::lake::WatermarkDocumentStore watermarks(store, "lake");
  BatchFinalizerOptions options;
  options.watermarks = &watermarks;
  options.manifest_writers = manifest_writers;
  auto finalized = BatchFinalizer(store, *tracker, events, "test", clock, options).finalize("b1");
  EXPECT_TRUE(finalized.ok()) << finalized.error().describe();
  out.manifests = manifestsOf(store);
  out.events = events.events();
  auto merged = watermarks.load({"customer-data", "prices", "1d", "yahoo_finance"});
  EXPECT_TRUE(merged.ok());
  if (merged.ok())
    out.watermarks = *merged;
  return out;
}

// Manifests written by several writers at once (and the watermarks merged alongside) are the
// bytes written one after another.
TEST_P(BatchFinalizerTest, ManifestsWrittenAtOnceAreTheBytesOfOneAfterAnother) {
  tracker::BatchPlan plan = planOf(12);
  plan.corporate_actions_table = "corporate_actions";
  const Finalized one = finalizeManyDays(GetParam(), clock_, plan, 1);
  const Finalized several = finalizeManyDays(GetParam(), clock_, plan, 2);
  ASSERT_EQ(one.manifests.size(), 15u);  // 12 days of bars, 3 of actions
  EXPECT_EQ(several.manifests, one.manifests);
  ASSERT_EQ(one.events.size(), 1u);
  EXPECT_EQ(several.events, one.events);
  EXPECT_EQ(one.watermarks.size(), 240u);
  EXPECT_EQ(several.watermarks, one.watermarks);
  for (const auto& [key, text] : several.manifests) {
    const auto document = nlohmann::json::parse(text);
    EXPECT_EQ(document.at("objects").size(), 240u) << key;
    EXPECT_EQ(document.at("failed_symbols").size(), 12u) << key;
  }
}

// A manifest that cannot be written fails the finalize, whichever writer wrote it: no event,
// and a retry writes them all.
TEST_P(BatchFinalizerTest, AManifestAWriterCouldNotWriteFailsTheFinalize) {
  registerBatch(2);
  auto first = ok(0);
  auto second = ok(1);
  second.objects[0].day = "2024-01-04";
  second.objects[0].key =
      "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=01/day=04/"
      "S1.json";
  record(first);
  record(second);
  store_.failPuts("day=04/_batch.manifest.json",
                  core::makeError(core::ErrorCode::kTransient, "disk on fire"));
  auto finalized = finalizerOn(*tracker_).finalize("b1");
  ASSERT_FALSE(finalized.ok());
  EXPECT_NE(finalized.error().message.find("disk on fire"), std::string::npos)
      << finalized.error().describe();
  EXPECT_TRUE(events_.events().empty());
}

INSTANTIATE_TEST_SUITE_P(Trackers, BatchFinalizerTest,
                         ::testing::Values(Backend{"Sqlite", openSqlite},
                                           Backend{"Lake", openLake}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::pipeline
