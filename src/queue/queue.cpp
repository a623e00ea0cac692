#include "queue/queue.h"

#include <algorithm>

namespace rawfeed::queue {

core::Result<SendBatchResult> Queue::sendMany(std::span<const OutgoingMessage> messages,
                                              int batch_size) {
  const std::size_t step = static_cast<std::size_t>(std::clamp(batch_size, 1, kMaxBatchEntries));
  SendBatchResult all;
  for (std::size_t offset = 0; offset < messages.size(); offset += step) {
    const auto batch = messages.subspan(offset, std::min(step, messages.size() - offset));
    auto result = sendBatch(batch);
    if (!result.ok()) {
      for (const auto& message : batch)
        all.failed.push_back({message.id, result.error()});
      continue;
    }
    all.sent_ids.insert(all.sent_ids.end(), result->sent_ids.begin(), result->sent_ids.end());
    all.failed.insert(all.failed.end(), result->failed.begin(), result->failed.end());
  }
  return all;
}

}  // namespace rawfeed::queue
