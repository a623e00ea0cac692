// The governor against simulated sources, on simulated time (1 ms steps): deterministic, fast,
// and exactly the shapes of limit that matter (a token bucket with a burst, a cap on requests at
// once, bans after any excess, a ban imposed from outside). What it prints is what tuning looks
// at; what it asserts is the bar: everything done, few 429s, few extra requests.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <vector>

#include "http/governor/host_governor.h"

namespace rawfeed::http::governor {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct SourceShape {
  double rate = 100;   // token bucket refill, requests/s
  double burst = 100;  // bucket size (starts full)
  int max_concurrent = 16;
  milliseconds ban{10000};   // after any excess
  milliseconds latency{50};  // every answer, admitted or refused
  // A ban imposed from outside at this moment for this long (0: none).
  milliseconds outside_ban_at{0};
  milliseconds outside_ban{0};
};

struct Outcome {
  double seconds = 0;
  int requests = 0;
  int refused = 0;
  int bans = 0;
  int sent_during_outside_ban = 0;
  GovernorSnapshot last;
};

class SimulatedSource {
 public:
  explicit SimulatedSource(SourceShape shape) : shape_(shape), tokens_(shape.burst) {}

  // Decides at arrival; an admitted request holds a slot until release().
  bool admit(milliseconds now) {
    refill(now);
    const bool outside = shape_.outside_ban.count() > 0 && now >= shape_.outside_ban_at &&
                         now < shape_.outside_ban_at + shape_.outside_ban;
    if (outside || now < banned_until_)
      return false;
    if (active_ >= shape_.max_concurrent || tokens_ < 1) {
      banned_until_ = now + shape_.ban;
      ++bans;
      return false;
    }
    tokens_ -= 1;
    ++active_;
    return true;
  }
  void release() { --active_; }
  int bans = 0;

 private:
  void refill(milliseconds now) {
    tokens_ = std::min(shape_.burst, tokens_ + shape_.rate * (now - refilled_).count() / 1000.0);
    refilled_ = now;
  }
  SourceShape shape_;
  double tokens_;
  milliseconds refilled_{0};
  milliseconds banned_until_{0};
  int active_ = 0;
};

// N requests through the governor (a 429 is retried, ahead of new ones), 50 ms each.
Outcome simulate(HostGovernor& governor, SourceShape shape, int n, core::SteadyTime epoch) {
  SimulatedSource source(shape);
  struct Flight {
    milliseconds done;
    Ticket ticket;
    bool admitted;
  };
  std::deque<Flight> flights;
  int remaining = n;  // not yet answered ok
  int fresh = n;      // never sent
  int retries = 0;    // refused, to be sent again
  Outcome out;
  milliseconds now{0};
  for (; remaining > 0 && now < seconds(3600); now += milliseconds(1)) {
    const core::SteadyTime t = epoch + now;
    while (!flights.empty() && flights.front().done <= now) {
      const Flight flight = flights.front();
      flights.pop_front();
      if (flight.admitted) {
        source.release();
        governor.onAnswer(flight.ticket, Signal::kSuccess, t);
        --remaining;
      } else {
        ++out.refused;
        governor.onAnswer(flight.ticket, Signal::kThrottled, t);
        if (std::getenv("GOVERNOR_SIM_TRACE") != nullptr) {
          const auto s = governor.snapshot(t);
          std::printf(
              "  t=%.3f 429 window %.0f rate@send %.1f slot %d token %d probe %d -> rate %.1f "
              "ceiling %.1f circuit %s\n",
              now.count() / 1000.0, flight.ticket.window_rate, flight.ticket.rate_at_send,
              flight.ticket.waited_for_slot, flight.ticket.waited_for_token, flight.ticket.probe,
              s.rate, s.ceiling, circuitStateName(s.circuit));
        }
        ++retries;
      }
    }
    while (fresh + retries > 0) {
      auto decision = governor.tryAcquire(t);
      if (!decision.ticket)
        break;
      (retries > 0 ? retries : fresh) -= 1;
      ++out.requests;
      if (shape.outside_ban.count() > 0 && now >= shape.outside_ban_at &&
          now < shape.outside_ban_at + shape.outside_ban) {
        ++out.sent_during_outside_ban;
      }
      flights.push_back({now + shape.latency, *decision.ticket, source.admit(now)});
    }
  }
  out.seconds = static_cast<double>(now.count()) / 1000.0;
  out.bans = source.bans;
  out.last = governor.snapshot(epoch + now);
  return out;
}

void report(const char* name, const Outcome& o, double floor) {
  std::printf(
      "%-44s %7.1f s (floor %5.1f s, %.2fx) requests %d refused %d bans %d rate %.1f ceiling %.1f "
      "in flight %d\n",
      name, o.seconds, floor, o.seconds / floor, o.requests, o.refused, o.bans, o.last.rate,
      o.last.ceiling, o.last.in_flight_limit);
}

constexpr int kSymbols = 7979;
const core::SteadyTime kEpoch{seconds(1000)};

void expectGentle(const Outcome& o, int n) {
  EXPECT_LE(o.requests, static_cast<int>(1.15 * n));
  EXPECT_LE(o.refused, 0.05 * o.requests);
}

TEST(GovernorSimulation, TokenBucketWithBurstAndBansColdThenWarm) {
  GovernorSettings settings;
  HostGovernor cold(settings, kEpoch);
  const Outcome first = simulate(cold, SourceShape{}, kSymbols, kEpoch);
  report("100/s burst 100, 16 at once, 10 s ban: cold", first, kSymbols / 100.0);
  expectGentle(first, kSymbols);
  // The next run starts from what this one learned (the fleet record's rate and ceiling).
  HostGovernor warm(settings, kEpoch);
  warm.adoptLearned(first.last.rate, first.last.ceiling, first.last.in_flight_limit, kEpoch);
  const Outcome second = simulate(warm, SourceShape{}, kSymbols, kEpoch);
  report("100/s burst 100, 16 at once, 10 s ban: warm", second, kSymbols / 100.0);
  expectGentle(second, kSymbols);
  EXPECT_EQ(second.bans, 0);
}

TEST(GovernorSimulation, StrictPacingSourceWithBans) {
  SourceShape strict;
  strict.burst = 2;  // hardly any burst: excess shows at once
  HostGovernor governor(GovernorSettings{}, kEpoch);
  const Outcome o = simulate(governor, strict, kSymbols, kEpoch);
  report("100/s burst 2, 16 at once, 10 s ban", o, kSymbols / 100.0);
  expectGentle(o, kSymbols);
}

// Other shapes of the same "100 per second": bursts from none to two seconds' worth, a slower
// source, fewer requests at once. Whatever the shape, everything lands gently and the bans stay
// few; the printed ratios are what tuning watches.
TEST(GovernorSimulation, OtherShapesOfTheLimit) {
  struct Case {
    const char* name;
    double burst;
    int max_concurrent;
    int latency_ms;
  };
  const Case cases[] = {
      {"100/s burst 25, 16 at once, 50 ms", 25, 16, 50},
      {"100/s burst 50, 16 at once, 50 ms", 50, 16, 50},
      {"100/s burst 100, 16 at once, 75 ms", 100, 16, 75},
      {"100/s burst 200, 16 at once, 50 ms", 200, 16, 50},
      {"100/s burst 100, 8 at once, 50 ms", 100, 8, 50},
      {"100/s burst 2, 16 at once, 75 ms", 2, 16, 75},
  };
  for (const Case& c : cases) {
    SourceShape shape;
    shape.burst = c.burst;
    shape.max_concurrent = c.max_concurrent;
    shape.latency = milliseconds(c.latency_ms);
    HostGovernor governor(GovernorSettings{}, kEpoch);
    const Outcome o = simulate(governor, shape, kSymbols, kEpoch);
    report(c.name, o, kSymbols / 100.0);
    expectGentle(o, kSymbols);
    EXPECT_LE(o.bans, 3) << c.name;
  }
}

TEST(GovernorSimulation, ConcurrencyLimitOnly) {
  SourceShape shape;
  shape.rate = 100000;
  shape.burst = 100000;
  shape.max_concurrent = 4;
  shape.ban = milliseconds(0);
  HostGovernor governor(GovernorSettings{}, kEpoch);
  const Outcome o = simulate(governor, shape, 2000, kEpoch);
  report("4 at once, no ban", o, 2000 / 80.0);
  expectGentle(o, 2000);
}

TEST(GovernorSimulation, AThreeMinuteBanCostsFewRequests) {
  SourceShape shape;
  shape.outside_ban_at = seconds(30);
  shape.outside_ban = seconds(180);
  GovernorSettings settings;
  HostGovernor governor(settings, kEpoch);
  governor.adoptLearned(95, 100, 6, kEpoch);  // a warm run: the limit is known
  const Outcome o = simulate(governor, shape, kSymbols, kEpoch);
  report("3-minute ban at 30 s (warm)", o, kSymbols / 100.0 + 180);
  std::printf("sent during the ban: %d\n", o.sent_during_outside_ban);
  EXPECT_LE(o.sent_during_outside_ban, 12);
}

}  // namespace
}  // namespace rawfeed::http::governor
