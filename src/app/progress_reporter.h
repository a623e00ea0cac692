#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "observe/domain_metrics.h"

namespace rawfeed::app {

// Shows how a run is going: on a terminal a bar redrawn a few times a second (symbols done of
// total, throughput, errors); otherwise one plain line every few seconds, fit for a log.
class ProgressReporter {
 public:
  // `source_pause` (optional): how long the source host stays paused by its rate limit, shown
  // as "paused by source, 42 s left" while it is.
  ProgressReporter(const observe::DomainMetrics& metrics, std::int64_t total_symbols, bool terminal,
                   std::function<std::chrono::milliseconds()> source_pause = {});
  ~ProgressReporter();

  void stop();
  // Writes a line on stderr without tearing the bar (used for console log lines).
  void printLine(const std::string& line);

  static std::string formatBar(std::int64_t done, std::int64_t total, double per_second,
                               std::int64_t errors, int width);
  // "" when not paused; otherwise ", paused by source, 42 s left".
  static std::string formatPause(std::chrono::milliseconds remaining);

 private:
  void loop();
  void draw(bool final);

  const observe::DomainMetrics& metrics_;
  std::int64_t total_;
  bool terminal_;
  std::function<std::chrono::milliseconds()> source_pause_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;  // guards stderr output and stopped_
  std::condition_variable changed_;
  bool stopped_ = false;
  bool bar_visible_ = false;
  std::thread thread_;
};

}  // namespace rawfeed::app
