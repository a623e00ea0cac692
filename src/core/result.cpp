#include "core/result.h"

namespace rawfeed::core {

const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kThrottled:
      return "throttled";
    case ErrorCode::kTransient:
      return "transient";
    case ErrorCode::kPermanent:
      return "permanent";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Error::describe() const {
  return std::string(errorCodeName(code)) + ": " + message;
}

}  // namespace rawfeed::core
