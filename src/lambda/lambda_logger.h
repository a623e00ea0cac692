#pragma once

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "observe/logger.h"

namespace rawfeed::lambda {

// Logs as Lambda wants them: JSON lines on one stream (stdout; CloudWatch Logs takes each line
// as an event), each with the current invocation's request id, flushed line by line so nothing
// waits in a buffer when the environment is frozen. Thread-safe.
class LambdaLogger final : public observe::Logger {
 public:
  LambdaLogger(const core::Clock& clock, std::FILE* out, observe::Level level);
  void log(observe::Level level, std::string_view event,
           std::initializer_list<observe::Field> fields) override;

  // The invocation the lines that follow belong to ("" between invocations).
  void setRequestId(std::string request_id);
  void setLevel(observe::Level level) { level_ = level; }
  // Writes a line as is (EMF documents), flushed.
  void writeRaw(const std::string& line);

 private:
  const core::Clock& clock_;
  std::mutex mutex_;  // guards out_ and request_id_
  std::FILE* out_;
  std::atomic<observe::Level> level_;
  std::string request_id_;
};

// `line` (a JSON object) with "request_id" as its first member; unchanged when `request_id` is
// empty. Exposed for tests.
std::string withRequestId(const std::string& line, const std::string& request_id);

}  // namespace rawfeed::lambda
