#include "aws/refreshing_provider.h"

namespace rawfeed::aws {

core::Result<Credentials> RefreshingProvider::credentials() {
  std::lock_guard lock(mutex_);
  const core::SystemTime now = clock_.now();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - margin_))
    return *cached_;
  auto fresh = inner_->credentials();
  if (fresh) {
    cached_ = *fresh;
    return fresh;
  }
  if (cached_ && cached_->expiration && now < *cached_->expiration)
    return *cached_;
  cached_.reset();
  return fresh;
}

}  // namespace rawfeed::aws
