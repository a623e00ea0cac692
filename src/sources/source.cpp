#include "sources/source.h"

namespace rawfeed::sources {

const char* fetchOutcomeName(FetchOutcome outcome) {
  switch (outcome) {
    case FetchOutcome::kOk:
      return "ok";
    case FetchOutcome::kEmpty:
      return "empty";
    case FetchOutcome::kNotFound:
      return "not_found";
    case FetchOutcome::kBadRequest:
      return "bad_request";
    case FetchOutcome::kThrottled:
      return "throttled";
    case FetchOutcome::kTransient:
      return "transient";
    case FetchOutcome::kBlocked:
      return "blocked";
  }
  return "transient";
}

bool isPermanent(FetchOutcome outcome) {
  return outcome == FetchOutcome::kNotFound || outcome == FetchOutcome::kBadRequest;
}

}  // namespace rawfeed::sources
