#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

#include "observe/logger.h"

namespace rawfeed::fakes {

struct LoggedEvent {
  observe::Level level = observe::Level::kInfo;
  std::string event;
  std::map<std::string, std::string> fields;  // every value as text
  std::string line;  // as the JSON lines logger would write it, at time zero
};

// Keeps every event for assertions. Thread-safe (code under test may log from its own threads).
class RecordingLogger final : public observe::Logger {
 public:
  void log(observe::Level level, std::string_view event,
           std::initializer_list<observe::Field> fields) override {
    LoggedEvent logged{level,
                       std::string(event),
                       {},
                       observe::formatLogLine(core::SystemTime{}, level, event, fields)};
    for (const auto& field : fields)
      logged.fields[std::string(field.key)] =
          std::visit([](const auto& value) { return text(value); }, field.value);
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(logged));
  }

  std::vector<LoggedEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  // Only the events of that name.
  std::vector<LoggedEvent> events(std::string_view name) const {
    std::vector<LoggedEvent> out;
    for (auto& e : events()) {
      if (e.event == name)
        out.push_back(std::move(e));
    }
    return out;
  }

  // For work done on a real thread (a reaped child process) only: polls, bounded, until
  // `count` events of that name were logged.
  bool waitFor(std::string_view name, std::size_t count,
               std::chrono::milliseconds limit = std::chrono::seconds(10)) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (events(name).size() < count) {
      if (std::chrono::steady_clock::now() > deadline)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

 private:
  static std::string text(const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, std::string_view>) {
      return std::string(value);
    } else if constexpr (std::is_same_v<T, bool>) {
      return value ? "true" : "false";
    } else {
      return std::to_string(value);
    }
  }

  mutable std::mutex mutex_;  // guards events_
  std::vector<LoggedEvent> events_;
};

}  // namespace rawfeed::fakes
