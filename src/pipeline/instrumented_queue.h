#pragma once

#include <memory>

#include "observe/domain_metrics.h"
#include "queue/queue.h"

namespace rawfeed::pipeline {

// A Queue that counts its traffic (messages sent, received, deleted) into the domain's metrics
// and otherwise passes every call through: the same figures whatever the backend.
class InstrumentedQueue final : public queue::Queue {
 public:
  InstrumentedQueue(std::unique_ptr<queue::Queue> inner, observe::DomainMetrics metrics);

  core::Result<queue::SendBatchResult> sendBatch(
      std::span<const queue::OutgoingMessage> messages) override;
  core::Result<queue::SendBatchResult> sendMany(std::span<const queue::OutgoingMessage> messages,
                                                int batch_size) override;
  core::Result<std::vector<queue::ReceivedMessage>> receive(
      const queue::ReceiveOptions& options) override;
  void interruptReceives() override;
  core::Result<std::vector<queue::EntryFailure>> deleteBatch(
      std::span<const std::string> receipt_handles) override;
  core::Status changeVisibility(const std::string& receipt_handle,
                                std::chrono::seconds timeout) override;
  core::Result<queue::QueueStats> stats() override;
  core::Result<std::vector<queue::DeadLetter>> listDeadLetters(int limit) override;
  core::Result<int> redrive(std::span<const std::string> message_ids) override;
  core::Result<int> purgeDeadLetters(std::span<const std::string> message_ids) override;

 private:
  std::unique_ptr<queue::Queue> inner_;
  observe::DomainMetrics metrics_;
};

}  // namespace rawfeed::pipeline
