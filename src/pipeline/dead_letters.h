#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "queue/queue.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::pipeline {

// A DLQ message explained: which batch and chunk it was, and why it ended there, as far as the
// body and the tracker's stored chunk result can tell. The same for every queue backend.
struct DeadLetterView {
  std::string message_id;
  int receive_count = 0;
  core::SystemTime sent_at{};
  core::SystemTime dead_lettered_at{};
  double age_seconds = 0;  // since it was sent
  std::string batch_id;
  int chunk_index = -1;
  std::vector<std::string> symbols;
  // poison (not a chunk message), throttled, transient, write_failed (from the chunk's recorded
  // failures), or unknown (the worker never recorded it: killed or timed out every time).
  std::string error_class;
  std::string reason;
  std::string body;
};

struct DeadLetterFilter {
  std::optional<std::string> symbol;
  std::optional<std::string> error_class;
  std::optional<double> min_age_seconds;
  int limit = 1000;
};

core::Result<std::vector<DeadLetterView>> findDeadLetters(queue::Queue& queue,
                                                          tracker::BatchTracker& tracker,
                                                          const DeadLetterFilter& filter,
                                                          core::SystemTime now);

std::vector<std::string> messageIds(const std::vector<DeadLetterView>& letters);

}  // namespace rawfeed::pipeline
