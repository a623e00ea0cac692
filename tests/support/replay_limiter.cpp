#include "support/replay_limiter.h"

#include <algorithm>
#include <utility>

namespace rawfeed::testing {
namespace {

// Refill arithmetic in doubles: 200 ms at 5/s must make a whole token, not 0.9999999.
constexpr double kWholeToken = 1.0 - 1e-9;

double capacityOf(const ReplayLimits& limits) {
  return limits.burst > 0 ? limits.burst : std::max(1.0, limits.rate);
}

}  // namespace

ReplayLimiter::ReplayLimiter(ReplayLimits limits) {
  setLimits(std::move(limits));
}

void ReplayLimiter::setLimits(ReplayLimits limits) {
  std::lock_guard<std::mutex> lock(mutex_);
  limits_ = std::move(limits);
  capacity_ = capacityOf(limits_);
  tokens_ = capacity_;
  refilled_at_.reset();
  banned_until_.reset();
}

ReplayLimits ReplayLimiter::limits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return limits_;
}

void ReplayLimiter::refill(core::SteadyTime now) {
  if (!refilled_at_) {
    tokens_ = capacity_;
  } else if (now > *refilled_at_) {
    const std::chrono::duration<double> elapsed = now - *refilled_at_;
    tokens_ = std::min(capacity_, tokens_ + elapsed.count() * limits_.rate);
  }
  // Never moved backwards: threads may pass times taken just before they got the lock.
  if (!refilled_at_ || now > *refilled_at_) {
    refilled_at_ = now;
  }
}

void ReplayLimiter::startBan(core::SteadyTime now) {
  const auto until = now + limits_.ban;
  const bool in_force = banned_until_ && now < *banned_until_;
  if (in_force) {
    if (until > *banned_until_) {
      banned_total_ += until - *banned_until_;
    }
  } else {
    ++counters_.bans_started;
    banned_total_ += limits_.ban;
  }
  if (!in_force || until > *banned_until_) {
    banned_until_ = until;
  }
}

Admission ReplayLimiter::admit(core::SteadyTime now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (banned_until_ && now < *banned_until_) {
    ++counters_.refused;
    ++counters_.refused_during_ban;
    if (limits_.ban_extends) {
      startBan(now);
    }
    return Admission::kBanned;
  }
  Admission verdict = Admission::kAdmitted;
  if (limits_.max_concurrent > 0 && active_ >= limits_.max_concurrent) {
    verdict = Admission::kTooConcurrent;
  } else if (limits_.rate > 0) {
    refill(now);
    if (tokens_ < kWholeToken) {
      verdict = Admission::kNoToken;
    } else {
      tokens_ = std::max(0.0, tokens_ - 1);
    }
  }
  if (verdict != Admission::kAdmitted) {
    ++counters_.refused;
    if (limits_.ban.count() > 0) {
      startBan(now);
    }
    return verdict;
  }
  ++active_;
  ++counters_.admitted;
  admitted_at_.push_back(now);
  return verdict;
}

void ReplayLimiter::release() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (active_ > 0) {
    --active_;
  }
}

LimiterCounters ReplayLimiter::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

std::uint64_t ReplayLimiter::maxAdmittedInWindow(std::chrono::milliseconds window) const {
  std::vector<core::SteadyTime> times;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    times = admitted_at_;
  }
  if (window.count() <= 0) {
    return 0;  // a window of no length holds nothing
  }
  // Concurrent arrivals may be recorded slightly out of order.
  std::sort(times.begin(), times.end());
  std::size_t best = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < times.size(); ++last) {
    while (times[last] - times[first] >= window) {
      ++first;
    }
    best = std::max(best, last - first + 1);
  }
  return best;
}

std::chrono::milliseconds ReplayLimiter::bannedFor() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::chrono::duration_cast<std::chrono::milliseconds>(banned_total_);
}

void ReplayLimiter::resetCounters() {
  std::lock_guard<std::mutex> lock(mutex_);
  counters_ = {};
  banned_total_ = {};
  admitted_at_.clear();
}

}  // namespace rawfeed::testing
