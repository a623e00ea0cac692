#include "http/governor/governed_http_client.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "core/ascii.h"
#include "http/governor/fleet_merge.h"
#include "http/retry_after.h"

namespace rawfeed::http::governor {
namespace {

std::string defaultMemberId() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0)
    host[0] = '\0';
  std::random_device device;
  return fmt::format("{}-{}-{:08x}", host[0] ? host : "host", ::getpid(), device());
}

// Where a member resumes under a ceiling the fleet's sends proved: the climb's start below the
// proven hold (HostGovernor's kHoldProven less its kCutBelowHold).
constexpr double kResumeProven = 0.94;

std::chrono::milliseconds untilMs(core::SteadyTime until, core::SteadyTime now) {
  if (until <= now)
    return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(until - now);
}

}  // namespace

std::optional<std::string> originOf(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos || scheme == 0)
    return std::nullopt;
  const auto end = url.find_first_of("/?#", scheme + 3);
  std::string origin = url.substr(0, end);
  if (origin.size() == scheme + 3)
    return std::nullopt;
  return core::asciiLower(origin);
}

Signal classifyAnswer(const core::Result<HttpResponse>& answer) {
  if (!answer.ok())
    return Signal::kNeutral;
  const int status = answer->status;
  if (status == 429 || (status == 503 && answer->header("retry-after")))
    return Signal::kThrottled;
  if (status == 401 || status == 403 || status >= 500)
    return Signal::kNeutral;
  return Signal::kSuccess;
}

class GovernedHttpClient::Dispatcher {
 public:
  Dispatcher(HttpClient& inner, const core::Clock& clock, GovernedHttpClientOptions options)
      : inner_(inner), clock_(clock), options_(std::move(options)) {
    if (options_.member_id.empty())
      options_.member_id = defaultMemberId();
    thread_ = std::thread([this] { run(); });
  }
  ~Dispatcher() { stop(); }

  void send(HttpRequest request, Callback done);
  void stop();
  std::vector<HostStatus> status() const;
  std::chrono::milliseconds pauseRemaining(const std::string& url) const;

 private:
  struct Waiting {
    HttpRequest request;
    Callback done;
  };
  // Retries go after the retries already waiting and before every first attempt.
  static void enqueue(std::deque<Waiting>& queue, Waiting waiting) {
    if (waiting.request.attempt <= 1) {
      queue.push_back(std::move(waiting));
      return;
    }
    auto it = std::find_if(queue.begin(), queue.end(),
                           [](const Waiting& w) { return w.request.attempt <= 1; });
    queue.insert(it, std::move(waiting));
  }
  struct Host {
    Host(std::string name, const GovernorSettings& settings, core::SteadyTime now)
        : origin(std::move(name)), governor(settings, now) {}
    std::string origin;
    HostGovernor governor;
    std::deque<Waiting> waiting;
    // Fleet bookkeeping.
    bool seeded = false;
    std::uint64_t synced_events = 0;
    std::uint64_t synced_ceiling_updates = 0;
    std::uint64_t reported_throttled = 0;
    core::SystemTime adopted_ceiling_at{};
    core::SteadyTime synced_at{};
    int live_members = 1;
    double fleet_rate = 0;
    double fleet_ceiling = 0;
    std::string fleet_error;
  };
  struct Failure {
    Waiting waiting;
    core::Error error;
  };
  struct Grant {
    Waiting waiting;
    Host* host;
    Ticket ticket;
  };

  void run();
  Host& hostFor(const std::string& origin, core::SteadyTime now);
  void admit(Host& host, core::SteadyTime now, std::vector<Grant>& grants,
             std::vector<Failure>& failures, std::optional<core::SteadyTime>& wake);
  void forward(Grant grant);
  void onAnswer(Host* host, const Ticket& ticket, const core::Result<HttpResponse>& answer);
  // Meets the fleet for every host due (all when `all`); `leaving` removes this member.
  void sync(bool all, bool leaving);
  // sync_interval ± 20 %: members that synced at the same moment (all throttled at once) drift
  // apart again, so that on a store without compare-and-swap (the lake) their read-modify-writes
  // stop landing on each other every time.
  std::chrono::milliseconds jitteredSyncInterval();
  void syncHost(Host& host, bool leaving);

  HttpClient& inner_;
  const core::Clock& clock_;
  GovernedHttpClientOptions options_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  bool dirty_ = false;
  bool sync_requested_ = false;  // a host waits for its seed, or throttling news should spread
  bool stopping_ = false;
  bool stopped_ = false;
  std::map<std::string, std::unique_ptr<Host>> hosts_;
  std::multimap<core::SteadyTime, std::pair<std::string, Waiting>> delayed_;
  std::thread thread_;
  std::mutex stop_mutex_;                            // one stop() at a time
  std::minstd_rand jitter_{std::random_device{}()};  // the dispatcher thread's alone
};

std::chrono::milliseconds GovernedHttpClient::Dispatcher::jitteredSyncInterval() {
  std::uniform_real_distribution<double> factor(0.8, 1.2);
  return std::chrono::milliseconds(static_cast<std::int64_t>(
      static_cast<double>(options_.sync_interval.count()) * factor(jitter_)));
}

void GovernedHttpClient::Dispatcher::send(HttpRequest request, Callback done) {
  auto origin = originOf(request.url);
  if (!origin) {
    done(core::makeError(core::ErrorCode::kInvalidInput, "not an absolute URL: " + request.url));
    return;
  }
  std::optional<Grant> direct;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      // falls through to the cancellation below, outside the lock
    } else if (const auto now = clock_.steadyNow(); request.not_before > now) {
      const auto due = request.not_before;
      delayed_.emplace(due, std::pair{*origin, Waiting{std::move(request), std::move(done)}});
      dirty_ = true;
      changed_.notify_all();
      return;
    } else {
      Host& host = hostFor(*origin, now);
      // Nothing waits ahead of it and the governor admits it now: it leaves from this thread,
      // without a hop through the dispatcher (the common case of an unthrottled source).
      const bool late = request.start_by != core::SteadyTime{} && now > request.start_by;
      if (host.waiting.empty() && !late && (options_.fleet == nullptr || host.seeded)) {
        Decision decision = host.governor.tryAcquire(now);
        if (decision.ticket)
          direct = Grant{Waiting{std::move(request), std::move(done)}, &host, *decision.ticket};
      }
      if (!direct) {
        enqueue(host.waiting, Waiting{std::move(request), std::move(done)});
        dirty_ = true;
        changed_.notify_all();
        return;
      }
    }
  }
  if (direct) {
    forward(std::move(*direct));
    return;
  }
  done(core::makeError(core::ErrorCode::kCancelled, "HTTP client stopped (" + *origin + ")"));
}

GovernedHttpClient::Dispatcher::Host& GovernedHttpClient::Dispatcher::hostFor(
    const std::string& origin, core::SteadyTime now) {
  auto& slot = hosts_[origin];
  if (!slot)
    slot = std::make_unique<Host>(origin, options_.settings, now);
  return *slot;
}

void GovernedHttpClient::Dispatcher::admit(Host& host, core::SteadyTime now,
                                           std::vector<Grant>& grants,
                                           std::vector<Failure>& failures,
                                           std::optional<core::SteadyTime>& wake) {
  if (options_.fleet != nullptr && !host.seeded) {
    sync_requested_ = true;  // what the fleet learned decides how this host starts
    return;
  }
  const auto paused = host.governor.pausedUntil();
  for (auto it = host.waiting.begin(); it != host.waiting.end();) {
    const auto start_by = it->request.start_by;
    const auto horizon = it->request.pause_horizon;
    const bool too_late =
        start_by != core::SteadyTime{} && (now > start_by || (paused && *paused > start_by));
    const bool paused_too_long = horizon != core::SteadyTime{} && paused && *paused > horizon;
    if (!too_late && !paused_too_long) {
      ++it;
      continue;
    }
    std::string message =
        paused ? fmt::format("source {} paused by its rate limit for {} s more", host.origin,
                             (untilMs(*paused, now).count() + 999) / 1000)
               : fmt::format("source {} rate limit: not started before its deadline", host.origin);
    failures.push_back({std::move(*it), core::makeError(core::ErrorCode::kThrottled, message)});
    it = host.waiting.erase(it);
  }
  while (!host.waiting.empty()) {
    Decision decision = host.governor.tryAcquire(now);
    if (!decision.ticket) {
      if (decision.retry_at && (!wake || *decision.retry_at < *wake))
        wake = decision.retry_at;
      return;
    }
    grants.push_back({std::move(host.waiting.front()), &host, *decision.ticket});
    host.waiting.pop_front();
  }
}

void GovernedHttpClient::Dispatcher::run() {
  std::unique_lock lock(mutex_);
  core::SteadyTime next_sync{};
  while (!stopping_) {
    dirty_ = false;
    const auto now = clock_.steadyNow();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      auto node = delayed_.extract(delayed_.begin());
      enqueue(hostFor(node.mapped().first, now).waiting, std::move(node.mapped().second));
    }
    std::vector<Grant> grants;
    std::vector<Failure> failures;
    std::optional<core::SteadyTime> wake;
    if (!delayed_.empty())
      wake = delayed_.begin()->first;
    for (auto& [origin, host] : hosts_)
      admit(*host, now, grants, failures, wake);
    const bool sync_due = options_.fleet != nullptr && (now >= next_sync || sync_requested_);
    sync_requested_ = false;
    if (!grants.empty() || !failures.empty() || sync_due) {
      lock.unlock();
      for (auto& grant : grants)
        forward(std::move(grant));
      for (auto& failure : failures)
        failure.waiting.done(std::move(failure.error));
      if (sync_due)
        sync(false, false);
      lock.lock();
      if (sync_due)
        next_sync = clock_.steadyNow() + jitteredSyncInterval();
      continue;  // what happened meanwhile may admit more
    }
    if (options_.fleet != nullptr && (!wake || next_sync < *wake))
      wake = next_sync;
    // Waits on the real clock even under a fake one: a test moves its clock and sends or
    // answers something, which wakes this at once.
    const auto limit = std::chrono::milliseconds(200);
    const auto wait =
        wake ? std::min<std::chrono::milliseconds>(untilMs(*wake, now), limit) : limit;
    changed_.wait_for(lock, wait, [this] { return dirty_ || sync_requested_ || stopping_; });
  }
}

void GovernedHttpClient::Dispatcher::forward(Grant grant) {
  Host* host = grant.host;
  const Ticket ticket = grant.ticket;
  Callback done = std::move(grant.waiting.done);
  inner_.send(std::move(grant.waiting.request),
              [this, host, ticket, done = std::move(done)](core::Result<HttpResponse> answer) {
                onAnswer(host, ticket, answer);
                done(std::move(answer));
              });
}

void GovernedHttpClient::Dispatcher::onAnswer(Host* host, const Ticket& ticket,
                                              const core::Result<HttpResponse>& answer) {
  const Signal signal = classifyAnswer(answer);
  std::optional<std::chrono::milliseconds> retry_after;
  if (answer.ok() && signal == Signal::kThrottled) {
    if (auto header = answer->header("retry-after"))
      retry_after = parseRetryAfter(*header, clock_.now());
  }
  bool throttled_now = false;
  bool anyone_waiting = false;
  std::vector<Grant> grants;
  std::vector<Failure> failures;
  // Set while this thread hands out the slot an answer freed: a request that fails at once
  // inside forward() (a stopped client) answers here again, and must not recurse.
  thread_local bool handing_over = false;
  {
    std::lock_guard lock(mutex_);
    const auto now = clock_.steadyNow();
    const auto events = host->governor.throttleEvents();
    host->governor.onAnswer(ticket, signal, now, retry_after);
    throttled_now = host->governor.throttleEvents() != events;
    // The freed slot goes to the oldest waiter from this thread, as send() does for a newcomer:
    // a hop through the dispatcher thread per answer kept slots empty for a scheduling delay.
    if (!handing_over && !stopping_ && !throttled_now) {
      std::optional<core::SteadyTime> wake;
      admit(*host, now, grants, failures, wake);
    }
    anyone_waiting = !host->waiting.empty();
    dirty_ = true;
  }
  // Requests still waiting wait for the rate or a pause: the dispatcher times those.
  if (anyone_waiting)
    changed_.notify_all();
  if (!grants.empty() || !failures.empty()) {
    handing_over = true;
    for (auto& grant : grants)
      forward(std::move(grant));
    for (auto& failure : failures)
      failure.waiting.done(std::move(failure.error));
    handing_over = false;
  }
  if (throttled_now && options_.fleet != nullptr) {
    // The rest of the fleet should hear of a cut or a pause before its next regular sync.
    std::lock_guard lock(mutex_);
    sync_requested_ = true;
    dirty_ = true;
    changed_.notify_all();
  }
}

void GovernedHttpClient::Dispatcher::sync(bool all, bool leaving) {
  std::vector<Host*> due;
  {
    std::lock_guard lock(mutex_);
    const auto now = clock_.steadyNow();
    for (auto& [origin, host] : hosts_) {
      if (all || !host->seeded || host->synced_events != host->governor.throttleEvents() ||
          now - host->synced_at >= options_.sync_interval) {
        due.push_back(host.get());
      }
    }
  }
  for (Host* host : due)
    syncHost(*host, leaving);
}

void GovernedHttpClient::Dispatcher::syncHost(Host& host, bool leaving) {
  GovernorSnapshot local;
  std::uint64_t events = 0;
  bool cut_here = false;
  bool seeded = false;
  std::optional<core::SteadyTime> paused_until;
  core::SteadyTime steady_now;
  core::SystemTime system_now;
  core::SystemTime history_end;
  std::vector<int> history;
  {
    std::lock_guard lock(mutex_);
    steady_now = clock_.steadyNow();
    system_now = clock_.now();
    local = host.governor.snapshot(steady_now);
    // Whole slots on the wall clock, so that every member's slots line up in the record.
    history_end = historySlotStart(system_now);
    history = host.governor.sendCounts(
        steady_now -
            std::chrono::duration_cast<core::SteadyTime::duration>(system_now - history_end),
        kHistorySlot, kHistorySlots);
    events = host.governor.throttleEvents();
    // Only a ceiling measured here is news for the fleet; a pause copied from the record or a
    // cut without a measurement is not.
    cut_here = local.ceiling_updates != host.synced_ceiling_updates && local.ceiling > 0;
    seeded = host.seeded;
    paused_until = host.governor.pausedUntil();
  }
  const auto to_system = [&](core::SteadyTime t) {
    return system_now + std::chrono::duration_cast<core::SystemTime::duration>(t - steady_now);
  };
  MemberReport report;
  report.member_id = options_.member_id;
  report.now = system_now;
  report.member_ttl = options_.member_ttl;
  report.sync_interval = options_.sync_interval;
  report.leaving = leaving;
  report.seeded = seeded;
  report.cut_here = cut_here;
  report.rate = local.rate;
  report.sent_rate = local.sent_rate;
  report.ceiling = local.ceiling;
  report.in_flight_limit = local.in_flight_limit;
  if (paused_until)
    report.paused_until = to_system(*paused_until);
  report.pause_length = local.pause_length;
  report.new_throttled = local.throttled - host.reported_throttled;
  report.history = std::move(history);
  report.history_end = history_end;
  // Sent with every report, not only the cut's: on the lake a concurrent write can lose the
  // report that opened an episode, and the next one must still say when this process was
  // first refused.
  if (local.refused_sent_at != core::SteadyTime{})
    report.refused_at = to_system(local.refused_sent_at);
  auto record =
      options_.fleet->update(host.origin, [&report](HostRecord& rec) { mergeReport(rec, report); });
  std::lock_guard lock(mutex_);
  host.synced_at = clock_.steadyNow();
  host.synced_events = events;
  host.synced_ceiling_updates = local.ceiling_updates;
  if (!record.ok()) {
    host.fleet_error = record.error().describe();
    host.seeded = true;  // go on alone rather than never start
    return;
  }
  host.fleet_error.clear();
  host.reported_throttled = local.throttled;
  const HostRecord& rec = *record;
  const int live = std::max<int>(1, static_cast<int>(rec.members.size()) +
                                        (rec.members.count(report.member_id) || leaving ? 0 : 1));
  host.live_members = live;
  host.fleet_rate = rec.rate;
  host.fleet_ceiling = rec.ceiling;
  if (leaving)
    return;
  host.governor.setShare(1.0 / live);
  if (!host.seeded) {
    // Start where the fleet (or the last run) left off instead of rediscovering the limit: at
    // the rate it sustained, and with a ceiling no higher than that rate allows for (a ceiling
    // measured in a burst the source allowed once would otherwise be climbed into at once).
    const double ceiling =
        rec.ceiling > 0 && rec.rate > 0 ? std::min(rec.ceiling, rec.rate / 0.95) : rec.ceiling;
    host.governor.adoptLearned(rec.rate / live, ceiling / live, rec.in_flight_limit, steady_now);
    host.adopted_ceiling_at = rec.ceiling_at;
    host.seeded = true;
  } else if (rec.ceiling > 0 && rec.ceiling_at > host.adopted_ceiling_at &&
             rec.ceiling / live != local.ceiling) {
    // The fleet's ceiling (one member's estimate of this episode, perhaps this process's own,
    // or what the fleet's sends proved) replaces whatever this process measured alone: every
    // member paces the same share of it. (This process alone reporting its own measurement has
    // nothing to adopt.) A proved one is where the fleet resumes, whatever the estimate before
    // it left this process at; after an estimate, no faster than this process already was.
    const double share = rec.ceiling / live;
    host.governor.adoptLearned(0, share, 0, steady_now, rec.ceiling_measured);
    host.governor.adoptLearned(
        rec.ceiling_measured ? kResumeProven * share : std::min(local.rate, 0.9 * share), 0, 0,
        steady_now);
  }
  host.adopted_ceiling_at = std::max(host.adopted_ceiling_at, rec.ceiling_at);
  if (rec.paused_until > system_now) {
    const auto until = steady_now + std::chrono::duration_cast<core::SteadyTime::duration>(
                                        rec.paused_until - system_now);
    host.governor.pauseUntil(until, rec.pause_length, steady_now);
  }
  dirty_ = true;
  changed_.notify_all();
}

void GovernedHttpClient::Dispatcher::stop() {
  std::lock_guard stop_lock(stop_mutex_);
  std::vector<Waiting> cancelled;
  {
    std::lock_guard lock(mutex_);
    if (stopped_)
      return;
    stopping_ = true;
    stopped_ = true;
    for (auto& [origin, host] : hosts_) {
      for (auto& waiting : host->waiting)
        cancelled.push_back(std::move(waiting));
      host->waiting.clear();
    }
    for (auto& [due, entry] : delayed_)
      cancelled.push_back(std::move(entry.second));
    delayed_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable())
    thread_.join();
  for (auto& waiting : cancelled) {
    waiting.done(core::makeError(core::ErrorCode::kCancelled,
                                 "HTTP client stopped (" + waiting.request.url + ")"));
  }
  if (options_.fleet != nullptr)
    sync(true, true);
}

std::vector<HostStatus> GovernedHttpClient::Dispatcher::status() const {
  std::lock_guard lock(mutex_);
  const auto now = clock_.steadyNow();
  std::vector<HostStatus> out;
  for (const auto& [origin, host] : hosts_) {
    HostStatus status;
    status.origin = origin;
    status.governor = host->governor.snapshot(now);
    status.waiting = host->waiting.size();
    status.live_members = host->live_members;
    status.fleet_rate = host->fleet_rate;
    status.fleet_ceiling = host->fleet_ceiling;
    status.fleet_error = host->fleet_error;
    out.push_back(std::move(status));
  }
  return out;
}

std::chrono::milliseconds GovernedHttpClient::Dispatcher::pauseRemaining(
    const std::string& url) const {
  auto origin = originOf(url);
  if (!origin)
    return std::chrono::milliseconds(0);
  std::lock_guard lock(mutex_);
  auto it = hosts_.find(*origin);
  if (it == hosts_.end())
    return std::chrono::milliseconds(0);
  return it->second->governor.snapshot(clock_.steadyNow()).pause_remaining;
}

GovernedHttpClient::GovernedHttpClient(HttpClient& inner, const core::Clock& clock,
                                       GovernedHttpClientOptions options)
    : dispatcher_(std::make_unique<Dispatcher>(inner, clock, std::move(options))) {}

GovernedHttpClient::~GovernedHttpClient() = default;

void GovernedHttpClient::send(HttpRequest request, Callback done) {
  dispatcher_->send(std::move(request), std::move(done));
}

void GovernedHttpClient::stop() {
  dispatcher_->stop();
}

std::vector<HostStatus> GovernedHttpClient::status() const {
  return dispatcher_->status();
}

std::chrono::milliseconds GovernedHttpClient::pauseRemaining(const std::string& url) const {
  return dispatcher_->pauseRemaining(url);
}

}  // namespace rawfeed::http::governor
