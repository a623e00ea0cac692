#include "tracker/batch_tracker.h"

namespace rawfeed::tracker {

const char* batchStateName(BatchState state) {
  switch (state) {
    case BatchState::kOpen: return "open";
    case BatchState::kComplete: return "complete";
    case BatchState::kPartial: return "partial";
  }
  return "open";
}

}  // namespace rawfeed::tracker
