#include "http/governor/host_governor.h"

#include <algorithm>
#include <cmath>

namespace rawfeed::http::governor {
namespace {

using Seconds = std::chrono::duration<double>;

// The bucket holds two requests (or 10 ms of a fast rate): requests leave evenly spaced, at most
// two at once, so a strict source sees no burst — not even after a pause or when many requests
// in flight end together — while a dispatcher woken a little late loses no tokens.
constexpr double kBurstSeconds = 0.01;
constexpr double kMinBurst = 2;
// After a cut the rate is this share of the ceiling, climbs to kHold of it at kClimbPerSecond,
// and waits there for probe_after before the ceiling itself is raised by kProbeStep.
constexpr double kCut = 0.90;
constexpr double kHold = 0.95;
// A ceiling our own sends proved (the sustained rate under kAssumedBurst, a lower bound of the
// source's rate) is held nearer: the margin the measured ones need is already in it.
constexpr double kHoldProven = 0.99;
constexpr double kCutBelowHold = 0.05;
constexpr double kClimbPerSecond = 0.005;
constexpr double kProbeStep = 1.10;
// Refused while holding below a ceiling: it was a burst the source allowed once, not its rate.
constexpr double kRefusedWhileHolding = 0.7;
// Evidence of pressure counts for this long: the rate grows only while requests wait for it.
constexpr auto kPressureMemory = std::chrono::seconds(1);
constexpr auto kWindow = std::chrono::seconds(1);
// A 429 is judged against this much of our own sending before it.
constexpr auto kHistory = std::chrono::seconds(30);
// The largest burst a source is assumed to allow on top of its rate: one second of it (a
// "100 per second" limit as a token bucket of 100, or as a 1 s window). Under that assumption
// the sends before a 429 prove a rate of at least sustainedRate(); a token bucket that let a
// full second's burst through makes the last second's count overstate the rate by up to 2 x,
// while the sustained figure is exact for it.
constexpr auto kAssumedBurst = std::chrono::seconds(1);
// The sustained figure is trusted as the ceiling when the sending that proves it lasted at least
// kAssumedBurst and it is at least this share of the last second's count: the pace above it was
// kept for a while, which a bucket's burst explains. A 429 soon after the pace rose (a strict
// source) leaves it far below: the count is the better estimate there.
constexpr double kTrustSustained = 0.6;
// The pace a source that allows no burst to speak of refused: the most sends in any this long
// within the second before the refusal.
constexpr auto kRecent = std::chrono::milliseconds(250);
// Refused at a pace kept this long, with no cut for as long: not the pace (a token bucket never
// refuses a steady rate below its own) but the source changing — a ban from elsewhere, a lower
// limit. The pause finds out which; the ceiling stays and the pace steps down once.
constexpr auto kSettled = std::chrono::seconds(20);
// Two rate-limit answers with no success between them: the source is refusing everything.
constexpr int kBurstOf429 = 2;
// Below this share of the governed rate actually sent, the rate is not reached.
constexpr double kRateReached = 0.97;
// The answers' latency average's weight for a new answer, and how many times rate × latency
// (Little's law) the in-flight limit may reach for that.
constexpr double kLatencyWeight = 0.05;
constexpr double kInFlightRoom = 2.0;
// Fewer requests than this in the second before a 429 say nothing about the rate.
constexpr double kMinEvidence = 5;

}  // namespace

const char* circuitStateName(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed:
      return "closed";
    case CircuitState::kOpen:
      return "open";
    case CircuitState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

HostGovernor::HostGovernor(GovernorSettings settings, core::SteadyTime now)
    : settings_(settings), refilled_at_(now), ramped_at_(now), pause_length_(settings.pause_min) {
  settings_.max_in_flight = std::max(1, settings_.max_in_flight);
  if (settings_.adaptive) {
    rate_ = settings_.initial_rate;
    if (settings_.max_rate > 0)
      rate_ = std::min(rate_, settings_.max_rate);
    rate_ = std::max(rate_, settings_.min_rate);
    in_flight_limit_ = std::clamp(settings_.initial_in_flight, 1, settings_.max_in_flight);
  } else {
    rate_ = std::max(0.0, settings_.max_rate);
    in_flight_limit_ = settings_.max_in_flight;
  }
}

double HostGovernor::cap() const {
  return settings_.max_rate > 0 ? settings_.max_rate * share_ : 0;
}

void HostGovernor::setShare(double share) {
  share = std::clamp(share, 1e-6, 1.0);
  if (share == share_)
    return;
  const double scale = share / share_;
  share_ = share;
  rate_ *= scale;  // 0 (unlimited) stays 0
  ceiling_ *= scale;
  if (settings_.adaptive && rate_ > 0)
    rate_ = std::max(rate_, settings_.min_rate * share_);
}

void HostGovernor::refill(core::SteadyTime now) {
  if (now <= refilled_at_)
    return;
  const double elapsed = Seconds(now - refilled_at_).count();
  refilled_at_ = now;
  if (rate_ <= 0)
    return;
  const double capacity = std::max(kMinBurst, rate_ * kBurstSeconds);
  tokens_ = std::min(capacity, tokens_ + rate_ * elapsed);
}

void HostGovernor::ramp(core::SteadyTime now) {
  const double elapsed = Seconds(now - ramped_at_).count();
  if (elapsed <= 0)
    return;
  ramped_at_ = now;
  if (!settings_.adaptive || circuit_ != CircuitState::kClosed || consecutive_throttled_ > 0)
    return;
  if (!token_waited_ || now - token_wait_at_ > kPressureMemory)
    return;  // nothing waits for the rate: no evidence that more is needed or would be fine
  // Slow start doubles the rate every second, but never beyond twice what was actually sent in
  // the last second: a rate the requests never reached says nothing, and would overshoot at once
  // when they catch up.
  const double reached = std::max(settings_.initial_rate * share_, 2 * windowRate(now) + 1);
  const double before = rate_;
  if (ceiling_ <= 0) {
    rate_ = std::min(rate_ * std::exp2(elapsed), std::max(rate_, reached));
  } else if (rate_ < (hold_ - kCutBelowHold) * ceiling_) {
    // Far below a known ceiling (a reset, a smaller share, an adopted record): slow start up to
    // where a cut would have left it, not a crawl.
    rate_ = std::min(
        {(hold_ - kCutBelowHold) * ceiling_, rate_ * std::exp2(elapsed), std::max(rate_, reached)});
  } else if (rate_ < hold_ * ceiling_) {
    rate_ = std::min(hold_ * ceiling_, rate_ + kClimbPerSecond * ceiling_ * elapsed);
  } else if (now - ceiling_at_ >= settings_.probe_after) {
    ceiling_ *= kProbeStep;  // long enough without a 429: try a little higher
    ceiling_at_ = now;
  }
  if (cap() > 0)
    rate_ = std::min(rate_, cap());
  if (rate_ > before)
    rate_raised_at_ = now;
}

void HostGovernor::forgetHistory(core::SteadyTime now) {
  const auto keep = settings_.adaptive ? std::chrono::steady_clock::duration(kHistory)
                                       : std::chrono::steady_clock::duration(kWindow);
  while (!sent_.empty() && now - sent_.front() >= keep)
    sent_.pop_front();
}

double HostGovernor::windowRate(core::SteadyTime now) {
  forgetHistory(now);
  const auto from = std::lower_bound(sent_.begin(), sent_.end(), now - kWindow,
                                     [](core::SteadyTime a, core::SteadyTime b) { return a <= b; });
  return static_cast<double>(sent_.end() - from);
}

double HostGovernor::recentPace(core::SteadyTime sent_at) const {
  // The most sends in any kRecent within the second before the refused request.
  std::size_t best = 0;
  auto last = sent_.rbegin();
  for (auto first = sent_.rbegin(); first != sent_.rend() && sent_at - *first < kWindow; ++first) {
    if (*first >= sent_at)
      continue;
    if (*last >= sent_at)
      last = first;
    while (*last - *first >= kRecent)
      ++last;
    best = std::max<std::size_t>(best, static_cast<std::size_t>(first - last) + 1);
  }
  return static_cast<double>(best) / Seconds(kRecent).count();
}

HostGovernor::Sustained HostGovernor::sustainedRate(core::SteadyTime sent_at) const {
  // Every window [t, sent_at) of our history was admitted, so (under kAssumedBurst) the source's
  // rate R satisfies n <= R * (window + kAssumedBurst): the best such bound over all windows.
  Sustained best;
  int n = 0;
  for (auto it = sent_.rbegin(); it != sent_.rend(); ++it) {
    if (*it > sent_at)
      continue;  // sent after the refused request
    if (++n == 1)
      continue;  // the refused request itself
    const double span = Seconds(sent_at - *it).count();
    const double rate = (n - 1) / (span + Seconds(kAssumedBurst).count());
    if (rate > best.rate)
      best = {rate, span};
  }
  return best;
}

Decision HostGovernor::tryAcquire(core::SteadyTime now) {
  Decision decision;
  if (circuit_ == CircuitState::kOpen) {
    if (now < paused_until_) {
      decision.retry_at = paused_until_;
      return decision;
    }
    paused_total_ +=
        std::chrono::duration_cast<std::chrono::milliseconds>(paused_until_ - paused_since_);
    circuit_ = CircuitState::kHalfOpen;
    probe_out_ = false;
  }
  Ticket ticket;
  if (circuit_ == CircuitState::kHalfOpen) {
    if (probe_out_)
      return decision;  // the probe's answer decides; until then nothing else goes
    probe_out_ = true;
    ticket.probe = true;
    refill(now);
  } else {
    refill(now);
    ramp(now);
    if (in_flight_ >= static_cast<int>(in_flight_limit_)) {
      slot_waited_ = true;
      slot_wait_at_ = now;
      return decision;
    }
    if (rate_ > 0 && tokens_ < 1) {
      token_waited_ = true;
      token_wait_at_ = now;
      const double wait = (1 - tokens_) / rate_;
      decision.retry_at = now + std::chrono::duration_cast<core::SteadyTime::duration>(
                                    Seconds(wait) + std::chrono::microseconds(50));
      return decision;
    }
    ticket.waited_for_slot = slot_waited_ && now - slot_wait_at_ <= kPressureMemory;
    ticket.waited_for_token = token_waited_ && now - token_wait_at_ <= kPressureMemory;
  }
  if (rate_ > 0)
    tokens_ = std::max(0.0, tokens_ - 1);
  ++in_flight_;
  ++requests_;
  ticket.generation = generation_;
  ticket.rate_at_send = rate_;
  ticket.window_rate = windowRate(now) + 1;
  ticket.in_flight_at_send = in_flight_;
  ticket.sent_at = now;
  sent_.push_back(now);
  decision.ticket = ticket;
  return decision;
}

void HostGovernor::onAnswer(const Ticket& ticket, Signal signal, core::SteadyTime now,
                            std::optional<std::chrono::milliseconds> retry_after) {
  in_flight_ = std::max(0, in_flight_ - 1);
  if (ticket.probe)
    probe_out_ = false;
  switch (signal) {
    case Signal::kSuccess:
      // Only an answer to a request sent after the last cut or pause says the source takes us
      // again; older ones were already on their way when it stopped.
      if (ticket.generation == generation_ || ticket.probe) {
        consecutive_throttled_ = 0;
        accepted_since_cut_ = true;
      }
      if (ticket.probe && circuit_ == CircuitState::kHalfOpen) {
        circuit_ = CircuitState::kClosed;
        // A ban of about this length may come again: start the next pause nearer to it.
        pause_length_ = std::max(settings_.pause_min, pause_length_ / 2);
      }
      if (now > ticket.sent_at) {
        const double latency = Seconds(now - ticket.sent_at).count();
        latency_ = latency_ > 0 ? latency_ + kLatencyWeight * (latency - latency_) : latency;
      }
      // More in flight only where it is what holds requests back: while the rate binds, more
      // concurrency buys nothing and risks a source's limit on requests at once. Where both
      // bind in turn below a known ceiling, one more while the requests sent fall short of the
      // rate (a slot is busy for the answer's latency and for whatever the caller does before
      // its next request), up to twice what the rate needs at the answers' latency. Not in
      // slow start: its rate is a guess, and the concurrency it would ask for could itself be
      // refused.
      if (settings_.adaptive && slot_waited_ && now - slot_wait_at_ <= kPressureMemory &&
          (!(token_waited_ && now - token_wait_at_ <= kPressureMemory) ||
           (ceiling_ > 0 && rate_ > 0 && windowRate(now) < kRateReached * rate_ &&
            in_flight_limit_ < kInFlightRoom * rate_ * latency_ + 1)) &&
          ++successes_since_growth_ >= static_cast<int>(in_flight_limit_)) {
        successes_since_growth_ = 0;
        int limit = settings_.max_in_flight;
        if (in_flight_ceiling_ > 0 && now - ceiling_at_ < settings_.probe_after)
          limit = std::min(limit, std::max(1, in_flight_ceiling_ - 1));
        in_flight_limit_ = std::min<double>(limit, in_flight_limit_ + 1);
      }
      return;
    case Signal::kNeutral:
      return;
    case Signal::kThrottled:
      break;
  }
  ++throttled_;
  ++consecutive_throttled_;
  // One cut per round trip; a refused probe doubles the pause instead (the rate was not tried).
  // A refusal before anything sent after the last cut was accepted is the same episode's
  // aftermath (a ban refuses the cut pace too), not evidence against the new pace: no second cut.
  const bool current = ticket.generation == generation_ && (accepted_since_cut_ || cuts_ == 0);
  if (settings_.adaptive && current && !ticket.probe)
    cut(ticket, now);
  if (ticket.probe && circuit_ == CircuitState::kHalfOpen) {
    openCircuit(now, std::min(settings_.pause_max, pause_length_ * 2));
  } else if (circuit_ == CircuitState::kClosed && retry_after) {
    openCircuit(now, std::max(*retry_after, std::chrono::milliseconds(1)));
  } else if (circuit_ == CircuitState::kClosed && consecutive_throttled_ >= kBurstOf429) {
    openCircuit(now, pause_length_);
  }
  if (retry_after && *retry_after > std::chrono::milliseconds(0) &&
      (circuit_ != CircuitState::kOpen || paused_until_ < now + *retry_after)) {
    pauseUntil(now + *retry_after, pause_length_, now);
  }
}

void HostGovernor::cut(const Ticket& ticket, core::SteadyTime now) {
  ++cuts_;
  ++throttle_events_;
  ++generation_;
  tokens_ = 0;
  accepted_since_cut_ = false;
  if (ticket.waited_for_slot && !ticket.waited_for_token) {
    // Sent at the in-flight limit with tokens to spare: concurrency, not the rate, was too much.
    in_flight_ceiling_ = ticket.in_flight_at_send;
    in_flight_limit_ = std::max(1, in_flight_ceiling_ - 1);
    successes_since_growth_ = 0;
    ceiling_at_ = now;
    return;
  }
  const double floor = settings_.min_rate * share_;
  const bool holding = ceiling_ > 0 && now - ceiling_at_ < settings_.probe_after &&
                       ticket.rate_at_send <= hold_ * ceiling_ * 1.01;
  const bool settled =
      ceiling_ > 0 && ticket.sent_at - rate_raised_at_ >= kSettled && now - ceiling_at_ >= kSettled;
  if (settled && ticket.rate_at_send <= hold_ * ceiling_ * 1.01) {
    rate_ = std::max(floor, kCut * rate_);
    ceiling_at_ = now;
    return;
  }
  if (holding) {
    // Refused again while pacing below a ceiling learned moments ago: that ceiling was a burst
    // the source allowed once (a token bucket full after a pause), not what it sustains. What
    // was sent since still proves a rate; a fixed step down covers a strict source.
    const double proven = std::min(sustainedRate(ticket.sent_at).rate, kHold * ceiling_);
    ceiling_ = std::max({floor, kRefusedWhileHolding * ceiling_, proven});
    hold_ = kHold;  // what was proved did not hold: keep the full margin from now on
    rate_ = std::max(floor, std::min(rate_, kCut * ceiling_));
    ceiling_at_ = now;
    ++ceiling_updates_;
    refused_sent_at_ = ticket.sent_at;
    return;
  }
  // Judged on the fleet's scale: ten processes each sending 3/s are a fleet sending 30/s. A
  // window far below the pace means the pace had not been kept for a second yet (just after a
  // pause): it measures nothing either.
  const bool sparse = ticket.window_rate / share_ < kMinEvidence;
  const bool unsettled = ticket.rate_at_send > 0 && ticket.window_rate < 0.3 * ticket.rate_at_send;
  if (sparse || unsettled) {
    // Refused before our own pace can explain it: a ban from before, or a source refusing at
    // random. No ceiling from that; back to the starting pace (slow start again, up to 90 % of
    // a ceiling already known) and let the pause and the probe find out.
    const double start = settings_.initial_rate * share_;
    rate_ = std::max(floor, std::min(rate_, start));
    return;
  }
  double measured = ticket.window_rate;
  if (ticket.rate_at_send > 0)
    measured = std::min(measured, ticket.rate_at_send);
  const Sustained sustained = sustainedRate(ticket.sent_at);
  hold_ = kHold;
  if (sustained.span >= Seconds(kAssumedBurst).count() &&
      sustained.rate >= kTrustSustained * measured) {
    if (sustained.rate <= measured)
      hold_ = kHoldProven;
    measured = std::min(measured, sustained.rate);
  } else {
    // Refused soon after the pace rose: the source allows little burst, and the pace just
    // before the refusal (not the second's count, which the ramp below it drags down) is
    // where its limit lies.
    double pace = recentPace(ticket.sent_at);
    if (ticket.rate_at_send > 0)
      pace = std::min(pace, ticket.rate_at_send);
    measured = std::max(measured, pace);
  }
  ceiling_ = std::max(floor, measured);
  rate_ = std::max(floor, (hold_ - kCutBelowHold) * ceiling_);
  ceiling_at_ = now;
  ++ceiling_updates_;
  refused_sent_at_ = ticket.sent_at;
}

void HostGovernor::openCircuit(core::SteadyTime now, std::chrono::milliseconds length) {
  if (circuit_ == CircuitState::kClosed)
    outage_since_ = now;
  length = std::clamp(length, std::chrono::milliseconds(1),
                      std::max(settings_.pause_max, std::chrono::milliseconds(1)));
  circuit_ = CircuitState::kOpen;
  probe_out_ = false;
  paused_since_ = now;
  paused_until_ = now + length;
  pause_length_ = length;
  ++pauses_;
  ++throttle_events_;
  ++generation_;
}

void HostGovernor::pauseUntil(core::SteadyTime until, std::chrono::milliseconds length,
                              core::SteadyTime now) {
  if (until <= now)
    return;
  if (circuit_ == CircuitState::kOpen) {
    if (paused_until_ >= until)
      return;
    paused_until_ = until;
    pause_length_ = std::max(pause_length_, length);
    ++throttle_events_;
    return;
  }
  openCircuit(now, std::chrono::duration_cast<std::chrono::milliseconds>(until - now));
  pause_length_ = std::max(pause_length_, length);
}

void HostGovernor::adoptLearned(double rate, double ceiling, int in_flight_limit,
                                core::SteadyTime now, bool proven) {
  if (!settings_.adaptive)
    return;
  const double floor = settings_.min_rate * share_;
  if (ceiling > 0) {
    ceiling_ = std::max(floor, ceiling);
    ceiling_at_ = now;
    // Learned elsewhere (an estimate from one member's view, an earlier run): the full margin;
    // a rate the fleet's own sends proved: as near as one proved here.
    hold_ = proven ? kHoldProven : kHold;
  }
  if (rate > 0) {
    rate_raised_at_ = now;
    rate_ = std::max(floor, rate);
    if (ceiling_ > 0)
      rate_ = std::min(rate_, kHold * ceiling_);
    if (cap() > 0)
      rate_ = std::min(rate_, cap());
  }
  if (in_flight_limit > 0)
    in_flight_limit_ = std::clamp(in_flight_limit, 1, settings_.max_in_flight);
}

std::vector<int> HostGovernor::sendCounts(core::SteadyTime end, std::chrono::milliseconds slot,
                                          int count) const {
  std::vector<int> counts(static_cast<std::size_t>(std::max(0, count)), 0);
  if (counts.empty() || slot.count() <= 0)
    return counts;
  const core::SteadyTime start = end - slot * count;
  for (auto it = std::lower_bound(sent_.begin(), sent_.end(), start);
       it != sent_.end() && *it < end; ++it)
    ++counts[static_cast<std::size_t>((*it - start) / slot)];
  return counts;
}

std::optional<core::SteadyTime> HostGovernor::pausedUntil() const {
  if (circuit_ != CircuitState::kOpen)
    return std::nullopt;
  return paused_until_;
}

GovernorSnapshot HostGovernor::snapshot(core::SteadyTime now) const {
  GovernorSnapshot out;
  out.rate = rate_;
  out.ceiling = ceiling_;
  out.in_flight_limit = static_cast<int>(in_flight_limit_);
  out.in_flight_ceiling = in_flight_ceiling_;
  out.in_flight = in_flight_;
  out.circuit = circuit_;
  out.pause_length = pause_length_;
  out.paused_total = paused_total_;
  if (circuit_ == CircuitState::kOpen) {
    if (paused_until_ > now) {
      out.pause_remaining =
          std::chrono::duration_cast<std::chrono::milliseconds>(paused_until_ - now);
    }
    out.paused_total += std::chrono::duration_cast<std::chrono::milliseconds>(
        std::min(now, paused_until_) - paused_since_);
  }
  if (circuit_ != CircuitState::kClosed && now > outage_since_)
    out.paused_for = std::chrono::duration_cast<std::chrono::milliseconds>(now - outage_since_);
  out.sent_rate = static_cast<double>(
      sent_.end() -
      std::lower_bound(sent_.begin(), sent_.end(), now - kWindow,
                       [](core::SteadyTime a, core::SteadyTime b) { return a <= b; }));
  out.requests = requests_;
  out.throttled = throttled_;
  out.pauses = pauses_;
  out.cuts = cuts_;
  out.ceiling_updates = ceiling_updates_;
  out.refused_sent_at = refused_sent_at_;
  return out;
}

}  // namespace rawfeed::http::governor
