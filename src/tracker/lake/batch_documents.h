#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tracker/batch_tracker.h"
#include "tracker/chunk_result_json.h"

namespace rawfeed::tracker::lake {

// The JSON documents the tracker keeps in the lake besides chunk results (those are
// tracker/chunk_result_json, shared with the SQLite tracker). Each one's bytes are a pure
// function of its fields (fixed key order, no whitespace), so two writers of the same content
// write the same bytes. Parsers answer kInternal naming what is wrong: a stored document is
// ours, and a bad one is corruption, not the caller's mistake.

struct PlanDocument {
  BatchPlan plan;
  std::int64_t registered_at_ms = 0;
};

std::string planDocumentJson(const PlanDocument& document);
core::Result<PlanDocument> parsePlanDocument(std::string_view text);

// The chunk indexes of one markSent call.
std::string sentDocumentJson(const std::vector<int>& chunks);
core::Result<std::vector<int>> parseSentDocument(std::string_view text);

// A claim on publishing a batch's completion event (BatchTracker::claimEvent).
struct ClaimDocument {
  EventStatus status = EventStatus::kPartial;
  std::int64_t claimed_at_ms = 0;
  std::int64_t lease_until_ms = 0;  // exclusive until then, unless published or released
};

std::string claimDocumentJson(const ClaimDocument& document);
core::Result<ClaimDocument> parseClaimDocument(std::string_view text);

// Milliseconds since the epoch: the precision the documents keep, as the SQLite tracker does.
std::int64_t toMillis(core::SystemTime time);
core::SystemTime fromMillis(std::int64_t millis);

}  // namespace rawfeed::tracker::lake
