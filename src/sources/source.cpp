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

TimeWindow TimeWindow::ofDays(std::int64_t first_day, std::int64_t last_day) {
  return TimeWindow{first_day * 86400, (last_day + 1) * 86400};
}

bool isPermanent(FetchOutcome outcome) {
  return outcome == FetchOutcome::kNotFound || outcome == FetchOutcome::kBadRequest;
}

FetchOutcome outcomeOfHttpStatus(int status) {
  if (status == 404 || status == 410)
    return FetchOutcome::kNotFound;
  if (status == 429)
    return FetchOutcome::kThrottled;
  if (status == 401 || status == 403 || (status >= 300 && status < 400))
    return FetchOutcome::kBlocked;
  if (status >= 400 && status < 500 && status != 408)
    return FetchOutcome::kBadRequest;
  return FetchOutcome::kTransient;
}

}  // namespace rawfeed::sources
