#include "pipeline/dead_letters.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "pipeline/chunk_message.h"

namespace rawfeed::pipeline {

namespace {

// The class of the first retryable failure the chunk recorded on its last delivery.
void explainFromTracker(tracker::BatchTracker& tracker, DeadLetterView& view,
                        std::map<std::string, tracker::BatchSnapshot>& cache) {
  auto cached = cache.find(view.batch_id);
  if (cached == cache.end()) {
    auto snapshot = tracker.snapshot(view.batch_id);
    if (!snapshot.ok()) {
      view.error_class = "unknown";
      view.reason = "batch not in the tracker: " + snapshot.error().message;
      return;
    }
    cached = cache.emplace(view.batch_id, std::move(snapshot).value()).first;
  }
  for (const auto& chunk : cached->second.chunks) {
    if (chunk.chunk_index != view.chunk_index)
      continue;
    for (const auto& failure : chunk.failed) {
      if (tracker::isRetryableFailure(failure.outcome)) {
        view.error_class = failure.outcome;
        view.reason = failure.symbol + ": " + failure.reason;
        return;
      }
    }
  }
  view.error_class = "unknown";
  view.reason = "no failure recorded: the worker was stopped or timed out on every delivery";
}

}  // namespace

core::Result<std::vector<DeadLetterView>> findDeadLetters(queue::Queue& queue,
                                                          tracker::BatchTracker& tracker,
                                                          const DeadLetterFilter& filter,
                                                          core::SystemTime now) {
  auto letters = queue.listDeadLetters(std::max(1, filter.limit));
  if (!letters.ok())
    return letters.error();
  std::map<std::string, tracker::BatchSnapshot> snapshots;
  std::vector<DeadLetterView> views;
  for (auto& letter : *letters) {
    DeadLetterView view;
    view.message_id = letter.message_id;
    view.receive_count = letter.receive_count;
    view.sent_at = letter.sent_at;
    view.dead_lettered_at = letter.dead_lettered_at;
    view.age_seconds = std::chrono::duration<double>(now - letter.sent_at).count();
    view.body = letter.body;
    auto message = decodeChunkMessage(letter.body);
    if (!message.ok()) {
      view.error_class = "poison";
      view.reason = message.error().message;
    } else {
      view.batch_id = message->request.batch_id;
      view.chunk_index = message->chunk_index;
      view.symbols = message->symbols;
      explainFromTracker(tracker, view, snapshots);
    }
    if (filter.symbol &&
        std::find(view.symbols.begin(), view.symbols.end(), *filter.symbol) == view.symbols.end()) {
      continue;
    }
    if (filter.error_class && view.error_class != *filter.error_class)
      continue;
    if (filter.min_age_seconds && view.age_seconds < *filter.min_age_seconds)
      continue;
    views.push_back(std::move(view));
  }
  return views;
}

std::vector<std::string> messageIds(const std::vector<DeadLetterView>& letters) {
  std::vector<std::string> ids;
  ids.reserve(letters.size());
  for (const auto& letter : letters)
    ids.push_back(letter.message_id);
  return ids;
}

}  // namespace rawfeed::pipeline
