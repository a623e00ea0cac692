#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "observe/logger.h"

namespace rawfeed::alarms::testing {

struct LoggedEvent {
  observe::Level level = observe::Level::kInfo;
  std::string event;
  std::map<std::string, std::string> fields;  // every value as text
};

// Keeps every line for assertions. Thread-safe (actions log from their own threads).
class RecordingLogger final : public observe::Logger {
 public:
  void log(observe::Level level, std::string_view event,
           std::initializer_list<observe::Field> fields) override {
    LoggedEvent logged{level, std::string(event), {}};
    for (const auto& field : fields) {
      std::string text = std::visit(
          [](const auto& value) -> std::string {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::string_view>) {
              return std::string(value);
            } else if constexpr (std::is_same_v<T, bool>) {
              return value ? "true" : "false";
            } else {
              return std::to_string(value);
            }
          },
          field.value);
      logged.fields[std::string(field.key)] = std::move(text);
    }
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(logged));
  }

  std::vector<LoggedEvent> events(std::string_view name) const {
    std::lock_guard lock(mutex_);
    std::vector<LoggedEvent> out;
    for (const auto& e : events_) {
      if (e.event == name)
        out.push_back(e);
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
  mutable std::mutex mutex_;  // guards events_
  std::vector<LoggedEvent> events_;
};

}  // namespace rawfeed::alarms::testing
