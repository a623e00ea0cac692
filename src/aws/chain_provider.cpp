#include "aws/chain_provider.h"

namespace rawfeed::aws {

core::Result<Credentials> ChainProvider::credentials() {
  std::string reasons;
  bool transient = false;
  for (const auto& provider : providers_) {
    auto found = provider->credentials();
    if (found)
      return found;
    transient = transient || found.error().code == core::ErrorCode::kTransient;
    reasons += reasons.empty() ? "" : "; ";
    reasons += provider->describe();
    reasons += ": ";
    reasons += found.error().message;
  }
  std::string message = "no AWS credentials";
  if (!reasons.empty()) {
    message += ": ";
    message += reasons;
  }
  return core::makeError(
      transient ? core::ErrorCode::kTransient : core::ErrorCode::kUnauthenticated, message);
}

std::string ChainProvider::describe() const {
  std::string out = "chain(";
  for (std::size_t i = 0; i < providers_.size(); ++i) {
    if (i > 0)
      out += ", ";
    out += providers_[i]->describe();
  }
  out += ')';
  return out;
}

}  // namespace rawfeed::aws
