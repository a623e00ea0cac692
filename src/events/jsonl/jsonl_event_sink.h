#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "events/event_sink.h"

namespace rawfeed::events::jsonl {

// The default completion-event sink: appends each event as one line of a local JSON Lines file,
// creating the file and its directory. A line is written whole by one write(2) to an O_APPEND
// descriptor under an exclusive flock, then fsynced before publish() returns, so concurrent
// publishers — threads or processes — never interleave or tear lines, and a returned event
// survives a crash. Errors: kInvalidInput for an empty document or one holding a newline
// (nothing is written), kInternal naming the path and errno text. Thread-safe.
class JsonlEventSink final : public EventSink {
 public:
  explicit JsonlEventSink(std::filesystem::path path);

  core::Status publish(std::string_view event_json) override;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path directory() const;
  core::Status ensureDirectory();
  core::Status syncEntryOnce();

  const std::filesystem::path path_;
  std::mutex state_mutex_;  // guards directory_ready_ and entry_durable_
  bool directory_ready_ = false;
  bool entry_durable_ = false;  // the log file's directory entry has been fsynced
};

// Every complete line of an event log, oldest first. A last line without its newline (a write
// cut short by a crash) is left out; a missing file is an empty log. kInternal for I/O errors.
core::Result<std::vector<std::string>> readEvents(const std::filesystem::path& path);

}  // namespace rawfeed::events::jsonl
