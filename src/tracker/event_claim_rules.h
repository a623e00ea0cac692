#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::tracker {

// What a backend read of a batch's completion events, at the instant a claim is asked for.
struct EventLedger {
  bool partial_published = false;
  bool complete_published = false;
  bool claim_live = false;  // a claim (of either status) neither published nor released, in lease

  bool published(EventStatus status) const {
    return status == EventStatus::kComplete ? complete_published : partial_published;
  }
};

// The rules of BatchTracker::claimEvent, shared by the backends: kGranted means the caller may
// try to take the claim, and the backend's atomic write then decides between racing callers.
// `current` is the batch's status as the backend reads it (nullopt: still open).
core::Result<ClaimOutcome> decideEventClaim(const std::string& batch_id, EventStatus wanted,
                                            std::optional<EventStatus> current,
                                            const EventLedger& ledger);

}  // namespace rawfeed::tracker
