#include "pipeline/instrumented_queue.h"

namespace rawfeed::pipeline {

InstrumentedQueue::InstrumentedQueue(std::unique_ptr<queue::Queue> inner,
                                     observe::DomainMetrics metrics)
    : inner_(std::move(inner)), metrics_(std::move(metrics)) {}

core::Result<queue::SendBatchResult> InstrumentedQueue::sendBatch(
    std::span<const queue::OutgoingMessage> messages) {
  auto result = inner_->sendBatch(messages);
  if (result.ok())
    metrics_.messages_sent.inc(static_cast<std::int64_t>(result->sent_ids.size()));
  return result;
}

core::Result<queue::SendBatchResult> InstrumentedQueue::sendMany(
    std::span<const queue::OutgoingMessage> messages, int batch_size) {
  auto result = inner_->sendMany(messages, batch_size);
  if (result.ok())
    metrics_.messages_sent.inc(static_cast<std::int64_t>(result->sent_ids.size()));
  return result;
}

core::Result<std::vector<queue::ReceivedMessage>> InstrumentedQueue::receive(
    const queue::ReceiveOptions& options) {
  auto result = inner_->receive(options);
  if (result.ok())
    metrics_.messages_received.inc(static_cast<std::int64_t>(result->size()));
  return result;
}

void InstrumentedQueue::interruptReceives() {
  inner_->interruptReceives();
}

core::Result<std::vector<queue::EntryFailure>> InstrumentedQueue::deleteBatch(
    std::span<const std::string> receipt_handles) {
  auto result = inner_->deleteBatch(receipt_handles);
  if (result.ok()) {
    metrics_.messages_deleted.inc(
        static_cast<std::int64_t>(receipt_handles.size() - result->size()));
  }
  return result;
}

core::Status InstrumentedQueue::changeVisibility(const std::string& receipt_handle,
                                                 std::chrono::seconds timeout) {
  return inner_->changeVisibility(receipt_handle, timeout);
}

core::Result<queue::QueueStats> InstrumentedQueue::stats() {
  return inner_->stats();
}

core::Result<std::vector<queue::DeadLetter>> InstrumentedQueue::listDeadLetters(int limit) {
  return inner_->listDeadLetters(limit);
}

core::Result<int> InstrumentedQueue::redrive(std::span<const std::string> message_ids) {
  return inner_->redrive(message_ids);
}

core::Result<int> InstrumentedQueue::purgeDeadLetters(std::span<const std::string> message_ids) {
  return inner_->purgeDeadLetters(message_ids);
}

}  // namespace rawfeed::pipeline
