#include "tracker/event_claim_rules.h"

namespace rawfeed::tracker {

core::Result<ClaimOutcome> decideEventClaim(const std::string& batch_id, EventStatus wanted,
                                            std::optional<EventStatus> current,
                                            const EventLedger& ledger) {
  if (!current) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "claimEvent: batch " + batch_id + " still has unrecorded chunks");
  }
  if (wanted == EventStatus::kComplete && *current == EventStatus::kPartial) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "claimEvent: batch " + batch_id + " is partial, not complete");
  }
  // Before the published check: a finalizer that read the batch while it was partial must read
  // it again (and rewrite the manifests) rather than stop, whatever became of the partial event.
  if (wanted == EventStatus::kPartial && *current == EventStatus::kComplete)
    return ClaimOutcome::kSuperseded;
  if (ledger.published(wanted))
    return ClaimOutcome::kPublished;
  if (ledger.claim_live)
    return ClaimOutcome::kHeld;
  return ClaimOutcome::kGranted;
}

}  // namespace rawfeed::tracker
