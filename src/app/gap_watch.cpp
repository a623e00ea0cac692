#include "app/gap_watch.h"

#include <vector>

namespace rawfeed::app {

GapWatch::GapWatch(const core::Clock& clock, std::chrono::seconds max_age, observe::Logger& logger)
    : clock_(clock), max_age_(max_age), logger_(logger) {}

GapWatch::~GapWatch() {
  stop();
}

void GapWatch::addDomain(const std::string& name, Audit audit) {
  std::lock_guard lock(mutex_);
  Domain& domain = domains_[name];
  domain.audit = std::move(audit);
  domain.view.refresh_seconds = max_age_.count();
}

std::optional<server::GapsView> GapWatch::view(const std::string& name) {
  std::lock_guard lock(mutex_);
  const auto found = domains_.find(name);
  if (found == domains_.end())
    return std::nullopt;
  Domain& domain = found->second;
  const auto& checked = domain.view.checked_at;
  const bool stale = !checked || clock_.now() - *checked >= max_age_;
  // A failed check counts as a check: it is tried again after max_age too, not at every poll.
  if (stale && !domain.view.checking && !domain.requested) {
    domain.requested = true;
    domain.view.checking = true;
    wake_.notify_all();
  }
  return domain.view;
}

void GapWatch::runRequested() {
  std::vector<std::pair<std::string, Audit>> due;
  {
    std::lock_guard lock(mutex_);
    for (auto& [name, domain] : domains_) {
      if (domain.requested) {
        domain.requested = false;
        due.emplace_back(name, domain.audit);
      }
    }
  }
  for (const auto& [name, audit] : due) {
    const auto started = clock_.steadyNow();
    auto report = audit();
    const double seconds = std::chrono::duration<double>(clock_.steadyNow() - started).count();
    std::lock_guard lock(mutex_);
    server::GapsView& view = domains_[name].view;
    view.checking = false;
    view.checked_at = clock_.now();
    if (!report.ok()) {
      view.error = report.error().describe();
      logger_.warn("gaps_check_failed",
                   {{"domain", name}, {"error", *view.error}, {"seconds", seconds}});
      continue;
    }
    view.error.reset();
    view.symbols = static_cast<std::int64_t>(report->symbols.size());
    view.symbols_with_gaps = report->symbolsWithGaps();
    view.missing_days = report->missingDays();
    view.never_landed = static_cast<std::int64_t>(report->never_landed.size());
    logger_.info("gaps_checked", {{"domain", name},
                                  {"objects", report->objects},
                                  {"symbols_with_gaps", view.symbols_with_gaps},
                                  {"missing_days", view.missing_days},
                                  {"seconds", seconds}});
  }
}

void GapWatch::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_)
    return;
  started_ = true;
  thread_ = std::thread([this] { loop(); });
}

void GapWatch::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable())
    thread_.join();
}

void GapWatch::loop() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] {
        if (stopping_)
          return true;
        for (const auto& [name, domain] : domains_) {
          if (domain.requested)
            return true;
        }
        return false;
      });
      if (stopping_)
        return;
    }
    runRequested();
  }
}

}  // namespace rawfeed::app
