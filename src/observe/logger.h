#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

#include "core/clock.h"

namespace rawfeed::observe {

enum class Level { kDebug, kInfo, kWarn, kError };
const char* levelName(Level level);
// "debug" | "info" | "warn" | "error"; nullopt-like kInfo fallback is the caller's choice.
bool parseLevel(std::string_view text, Level& out);

struct Field {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double, bool> value;

  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

// Structured logs: one JSON object per line with time, level, event and the event's fields
// (domain, batch_id and correlation_id among them where the caller has them). Thread-safe.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(Level level, std::string_view event, std::initializer_list<Field> fields) = 0;

  void info(std::string_view event, std::initializer_list<Field> fields = {}) {
    log(Level::kInfo, event, fields);
  }
  void warn(std::string_view event, std::initializer_list<Field> fields = {}) {
    log(Level::kWarn, event, fields);
  }
  void error(std::string_view event, std::initializer_list<Field> fields = {}) {
    log(Level::kError, event, fields);
  }
};

class NullLogger final : public Logger {
 public:
  void log(Level, std::string_view, std::initializer_list<Field>) override {}
};

// Writes lines at or above `file_level` to a file (appended), and at or above `console_level`
// to stderr. Either destination may be absent.
class JsonLinesLogger final : public Logger {
 public:
  JsonLinesLogger(const core::Clock& clock, std::FILE* file, Level file_level, bool console,
                  Level console_level);
  ~JsonLinesLogger() override;
  void log(Level level, std::string_view event, std::initializer_list<Field> fields) override;

  // Lines for stderr go through this hook when set (a progress bar must clear its line first).
  void setConsoleWriter(std::function<void(const std::string&)> writer);

 private:
  const core::Clock& clock_;
  std::mutex mutex_;  // guards the destinations and console_writer_
  std::FILE* file_;
  Level file_level_;
  bool console_;
  Level console_level_;
  std::function<void(const std::string&)> console_writer_;
};

// A formatted line, exposed for tests.
std::string formatLogLine(core::SystemTime time, Level level, std::string_view event,
                          std::initializer_list<Field> fields);

}  // namespace rawfeed::observe
