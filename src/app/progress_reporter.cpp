#include "app/progress_reporter.h"

#include <fmt/format.h>

#include <cstdio>

namespace rawfeed::app {

ProgressReporter::ProgressReporter(const observe::DomainMetrics& metrics,
                                   std::int64_t total_symbols, bool terminal,
                                   std::function<std::chrono::milliseconds()> source_pause)
    : metrics_(metrics),
      total_(total_symbols),
      terminal_(terminal),
      source_pause_(std::move(source_pause)),
      started_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { loop(); });
}

ProgressReporter::~ProgressReporter() {
  stop();
}

void ProgressReporter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_)
      return;
    stopped_ = true;
  }
  changed_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  draw(true);
}

std::string ProgressReporter::formatPause(std::chrono::milliseconds remaining) {
  if (remaining <= std::chrono::milliseconds(0))
    return "";
  return fmt::format(", paused by source, {} s left", (remaining.count() + 999) / 1000);
}

std::string ProgressReporter::formatBar(std::int64_t done, std::int64_t total, double per_second,
                                        std::int64_t errors, int width) {
  const double fraction = total > 0 ? std::min(1.0, static_cast<double>(done) / total) : 0.0;
  const int filled = static_cast<int>(fraction * width);
  return fmt::format("[{}{}] {}/{} symbols {:5.1f}%  {:.0f}/s  errors {}",
                     std::string(static_cast<std::size_t>(filled), '#'),
                     std::string(static_cast<std::size_t>(width - filled), '.'), done, total,
                     fraction * 100, per_second, errors);
}

void ProgressReporter::draw(bool final) {
  using observe::SymbolOutcome;
  auto count = [this](SymbolOutcome outcome) { return metrics_.symbols(outcome).value(); };
  const std::int64_t permanent =
      count(SymbolOutcome::kNotFound) + count(SymbolOutcome::kBadRequest);
  const std::int64_t done = count(SymbolOutcome::kOk) + count(SymbolOutcome::kEmpty) + permanent;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const std::int64_t errors = permanent + count(SymbolOutcome::kThrottled) +
                              count(SymbolOutcome::kTransient) +
                              count(SymbolOutcome::kWriteFailed) + count(SymbolOutcome::kBlocked);
  const std::string pause = source_pause_ && !final ? formatPause(source_pause_()) : std::string();
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s%s%s", formatBar(done, total_, rate, errors, 30).c_str(),
                 pause.c_str(), final ? "\n" : "");
    bar_visible_ = !final;
  } else {
    std::fprintf(stderr,
                 "progress: %lld/%lld symbols, %.0f/s, %lld errors, %lld objects written%s\n",
                 static_cast<long long>(done), static_cast<long long>(total_), rate,
                 static_cast<long long>(errors),
                 static_cast<long long>(metrics_.objects_written.value()), pause.c_str());
  }
  std::fflush(stderr);
}

void ProgressReporter::printLine(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (bar_visible_)
    std::fputs("\r\033[K", stderr);
  std::fputs(line.c_str(), stderr);
  if (bar_visible_)
    draw(false);
}

void ProgressReporter::loop() {
  const auto period = terminal_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    changed_.wait_for(lock, period, [this] { return stopped_; });
    if (!stopped_)
      draw(false);
  }
}

}  // namespace rawfeed::app
