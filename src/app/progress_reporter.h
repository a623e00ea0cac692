#pragma once

#include <atomic>
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
  ProgressReporter(const observe::DomainMetrics& metrics, std::int64_t total_symbols,
                   bool terminal);
  ~ProgressReporter();

  void stop();
  // Writes a line on stderr without tearing the bar (used for console log lines).
  void printLine(const std::string& line);

  static std::string formatBar(std::int64_t done, std::int64_t total, double per_second,
                               std::int64_t errors, int width);

 private:
  void loop();
  void draw(bool final);

  const observe::DomainMetrics& metrics_;
  std::int64_t total_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;  // guards stderr output and stopped_
  std::condition_variable changed_;
  bool stopped_ = false;
  bool bar_visible_ = false;
  std::thread thread_;
};

}  // namespace rawfeed::app
