#pragma once

#include <atomic>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tracker/batch_tracker.h"

namespace rawfeed::fakes {

// A BatchTracker that passes every call to another: the base of the tests' trackers that watch
// or change one call and leave the rest alone.
class ForwardingTracker : public tracker::BatchTracker {
 public:
  explicit ForwardingTracker(tracker::BatchTracker& inner) : inner_(inner) {}

  core::Result<tracker::RegisterOutcome> registerBatch(const tracker::BatchPlan& plan,
                                                       core::SystemTime now) override {
    return inner_.registerBatch(plan, now);
  }
  core::Status markSent(const std::string& batch_id, std::span<const int> chunks) override {
    return inner_.markSent(batch_id, chunks);
  }
  core::Result<std::vector<tracker::RecordOutcome>> recordChunks(
      std::span<const tracker::ChunkRecord> records, core::SystemTime now) override {
    return inner_.recordChunks(records, now);
  }
  core::Result<tracker::BatchSnapshot> snapshot(const std::string& batch_id) override {
    return inner_.snapshot(batch_id);
  }
  core::Result<tracker::EventClaim> claimEvent(const std::string& batch_id,
                                               tracker::EventStatus status, core::SystemTime now,
                                               std::chrono::milliseconds lease) override {
    return inner_.claimEvent(batch_id, status, now, lease);
  }
  core::Status releaseEventClaim(const std::string& batch_id, tracker::EventStatus status,
                                 std::int64_t claim_id) override {
    return inner_.releaseEventClaim(batch_id, status, claim_id);
  }
  core::Status markEventPublished(const std::string& batch_id,
                                  tracker::EventStatus status) override {
    return inner_.markEventPublished(batch_id, status);
  }
  core::Result<tracker::BatchOutline> readBatch(const std::string& batch_id,
                                                const tracker::ChunkVisitor& visit) override {
    return inner_.readBatch(batch_id, visit);
  }
  core::Result<std::optional<std::int64_t>> revision(const std::string& batch_id) override {
    return inner_.revision(batch_id);
  }
  core::Result<std::optional<tracker::BatchOutline>> outlineOfRecorded(
      const std::string& batch_id, std::int64_t since, const tracker::ChunkTally& tally) override {
    return inner_.outlineOfRecorded(batch_id, since, tally);
  }
  core::Result<std::vector<tracker::BatchSnapshot>> recentBatches(int limit) override {
    return inner_.recentBatches(limit);
  }
  core::Result<std::vector<tracker::BatchSummary>> recentSummaries(
      int limit, const std::string& domain) override {
    return inner_.recentSummaries(limit, domain);
  }
  core::Result<std::vector<tracker::PartitionStats>> partitionStats(const std::string& domain,
                                                                    int limit_days) override {
    return inner_.partitionStats(domain, limit_days);
  }
  core::Status saveChunkProgress(const std::string& batch_id, const tracker::ChunkResult& progress,
                                 core::SystemTime now) override {
    return inner_.saveChunkProgress(batch_id, progress, now);
  }
  core::Result<std::optional<tracker::ChunkResult>> chunkProgress(const std::string& batch_id,
                                                                  int chunk_index) override {
    return inner_.chunkProgress(batch_id, chunk_index);
  }

 protected:
  tracker::BatchTracker& inner_;
};

// Counts the batch readings (readBatch) and passes every call through.
class ReadCountingTracker final : public ForwardingTracker {
 public:
  using ForwardingTracker::ForwardingTracker;
  int readings() const { return readings_.load(); }

  core::Result<tracker::BatchOutline> readBatch(const std::string& batch_id,
                                                const tracker::ChunkVisitor& visit) override {
    ++readings_;
    return ForwardingTracker::readBatch(batch_id, visit);
  }

 private:
  std::atomic<int> readings_{0};
};

}  // namespace rawfeed::fakes
