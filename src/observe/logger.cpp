#include "observe/logger.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/time_format.h"

namespace rawfeed::observe {

const char* levelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

bool parseLevel(std::string_view text, Level& out) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == levelName(level)) {
      out = level;
      return true;
    }
  }
  return false;
}

std::string formatLogLine(core::SystemTime time, Level level, std::string_view event,
                          std::initializer_list<Field> fields) {
  nlohmann::ordered_json line;
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::string stamp = core::formatIsoUtc(millis / 1000);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis % 1000));
  stamp.replace(stamp.size() - 1, 1, fraction);
  line["time"] = stamp;
  line["level"] = levelName(level);
  line["event"] = std::string(event);
  for (const auto& field : fields) {
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::string_view>) {
            line[std::string(field.key)] = std::string(value);
          } else {
            line[std::string(field.key)] = value;
          }
        },
        field.value);
  }
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

JsonLinesLogger::JsonLinesLogger(const core::Clock& clock, std::FILE* file, Level file_level,
                                 bool console, Level console_level)
    : clock_(clock),
      file_(file),
      file_level_(file_level),
      console_(console),
      console_level_(console_level) {}

JsonLinesLogger::~JsonLinesLogger() {
  if (file_ != nullptr)
    std::fclose(file_);
}

void JsonLinesLogger::setConsoleWriter(std::function<void(const std::string&)> writer) {
  std::lock_guard lock(mutex_);
  console_writer_ = std::move(writer);
}

void JsonLinesLogger::log(Level level, std::string_view event,
                          std::initializer_list<Field> fields) {
  const bool to_file = file_ != nullptr && level >= file_level_;
  const bool to_console = console_ && level >= console_level_;
  if (!to_file && !to_console)
    return;
  const std::string line = formatLogLine(clock_.now(), level, event, fields) + "\n";
  std::lock_guard lock(mutex_);
  if (to_file) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
  if (to_console) {
    if (console_writer_) {
      console_writer_(line);
    } else {
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
  }
}

}  // namespace rawfeed::observe
