#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "aws/credentials.h"
#include "core/clock.h"

namespace rawfeed::aws {

// Caches another provider's credentials and asks again only when they are within `margin`
// (5 minutes, as the SDKs) of their expiration; credentials without one are kept for good.
// If a refresh fails while the cached credentials have not yet expired, those are returned, so a
// metadata blip in the margin does not fail requests. Thread-safe; one refresh at a time.
class RefreshingProvider final : public CredentialsProvider {
 public:
  static constexpr std::chrono::minutes kDefaultMargin{5};

  RefreshingProvider(std::unique_ptr<CredentialsProvider> inner, const core::Clock& clock,
                     std::chrono::seconds margin = kDefaultMargin)
      : inner_(std::move(inner)), clock_(clock), margin_(margin) {}
  core::Result<Credentials> credentials() override;
  std::string describe() const override { return inner_->describe(); }

 private:
  std::unique_ptr<CredentialsProvider> inner_;
  const core::Clock& clock_;
  std::chrono::seconds margin_;
  std::mutex mutex_;  // guards cached_ and serialises refreshes
  std::optional<Credentials> cached_;
};

}  // namespace rawfeed::aws
