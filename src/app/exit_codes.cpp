#include "app/exit_codes.h"

#include <iostream>

namespace rawfeed::app {

int exitCodeFor(const core::Error& error) {
  switch (error.code) {
    case core::ErrorCode::kInvalidInput:
    case core::ErrorCode::kNotFound:
      return kExitUsage;
    default:
      return kExitInternal;
  }
}

int reportFailure(const core::Error& error) {
  std::cerr << "rawfeed: " << error.message << "\n";
  return exitCodeFor(error);
}

}  // namespace rawfeed::app
