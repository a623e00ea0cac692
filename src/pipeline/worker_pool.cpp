#include "pipeline/worker_pool.h"

#include <algorithm>
#include <set>

namespace rawfeed::pipeline {

std::chrono::seconds redeliveryDelay(int receive_count, std::chrono::seconds base,
                                     std::chrono::seconds cap) {
  const int exponent = std::clamp(receive_count, 1, 17) - 1;  // a count of INT_MIN: no overflow
  return std::min(cap, base * (1 << exponent));
}

std::set<std::string> sendRequeues(queue::Queue& queue, const DeliveryReport& report,
                                   observe::Logger& logger) {
  std::set<std::string> sent;
  if (report.requeues.empty())
    return sent;
  std::vector<queue::OutgoingMessage> outgoing;
  for (const auto& requeue : report.requeues)
    outgoing.push_back({requeue.message_id, requeue.body, requeue.delay});
  auto result = queue.sendMany(outgoing, queue::kMaxBatchEntries);
  if (!result.ok()) {
    logger.warn("throttled_requeue_failed", {{"error", result.error().describe()}});
    return sent;
  }
  for (const auto& failure : result->failed) {
    logger.warn("throttled_requeue_failed",
                {{"message_id", failure.id}, {"error", failure.error.describe()}});
  }
  sent.insert(result->sent_ids.begin(), result->sent_ids.end());
  return sent;
}

WorkerPool::WorkerPool(queue::Queue& queue, Worker& worker, const core::Clock& clock,
                       observe::Logger& logger, WorkerPoolOptions options)
    : queue_(queue), worker_(worker), clock_(clock), logger_(logger), options_(options) {
  options_.concurrency = std::max(1, options_.concurrency);
  options_.messages_per_delivery =
      std::clamp(options_.messages_per_delivery, 1, queue::kMaxBatchEntries);
}

WorkerPool::~WorkerPool() {
  requestStop();
  join();
}

void WorkerPool::start() {
  for (int i = 0; i < options_.concurrency; ++i)
    threads_.emplace_back([this] { consume(); });
  heartbeat_thread_ = std::thread([this] { heartbeat(); });
}

void WorkerPool::requestStop() {
  {
    // Under the lock: the heartbeat checks stop_ and then waits, and a notification sent between
    // the two would be lost, holding join() for a whole heartbeat interval.
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_changed_.notify_all();
  // The other consumers may be in a long poll: cut it short, so that join() does not wait it out.
  queue_.interruptReceives();
}

void WorkerPool::join() {
  for (auto& thread : threads_) {
    if (thread.joinable())
      thread.join();
  }
  requestStop();  // the heartbeat outlives the consumers only until they are gone
  if (heartbeat_thread_.joinable())
    heartbeat_thread_.join();
}

int WorkerPool::activeDeliveries() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(active_.size());
}

bool WorkerPool::queueIsEmpty() {
  auto stats = queue_.stats();
  if (!stats.ok())
    return false;
  return stats->visible == 0 && stats->in_flight == 0 && stats->delayed == 0;
}

void WorkerPool::consume() {
  queue::ReceiveOptions receive;
  receive.max_messages = options_.messages_per_delivery;
  receive.wait = options_.poll_wait;
  receive.visibility = options_.visibility_timeout;
  while (!stop_) {
    auto messages = queue_.receive(receive);
    if (!messages.ok()) {
      logger_.error("queue_receive_failed", {{"error", messages.error().describe()}});
      if (isStorageFailure(messages.error())) {
        noteStorage(core::makeError(messages.error().code,
                                    "the queue cannot be written: " + messages.error().message));
      }
      std::unique_lock lock(mutex_);
      stop_changed_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_.load(); });
      continue;
    }
    if (messages->empty()) {
      if (options_.until_drained && activeDeliveries() == 0 && queueIsEmpty()) {
        drained_ = true;
        requestStop();
      }
      continue;
    }
    int id = 0;
    {
      std::lock_guard lock(mutex_);
      id = next_id_++;
      Active& active = active_[id];
      active.extended_at = clock_.steadyNow();
      for (const auto& message : *messages)
        active.receipts.push_back(message.receipt_handle);
    }
    const DeliveryReport report = worker_.handle(*messages);
    {
      std::lock_guard lock(mutex_);
      active_.erase(id);
    }
    acknowledge(*messages, report);
    noteStorage(report.storage_failure);
    // A delivery short of the maximum means the queue ran low: if this was the last one, the run
    // ends now rather than when an idle consumer's poll comes back empty.
    if (options_.until_drained && static_cast<int>(messages->size()) < receive.max_messages &&
        activeDeliveries() == 0 && queueIsEmpty()) {
      drained_ = true;
      requestStop();
    }
  }
}

void WorkerPool::noteStorage(const std::optional<core::Error>& failure) {
  std::lock_guard lock(mutex_);
  if (!failure) {
    storage_failures_ = 0;
    return;
  }
  ++storage_failures_;
  if (!options_.until_drained || storage_failures_ < options_.storage_failures_to_stop || fatal_)
    return;
  fatal_ = *failure;
  logger_.error("storage_failed",
                {{"error", failure->describe()}, {"failures_in_a_row", storage_failures_}});
  stop_ = true;
  stop_changed_.notify_all();
  queue_.interruptReceives();
}

std::optional<core::Error> WorkerPool::fatalError() const {
  std::lock_guard lock(mutex_);
  return fatal_;
}

void WorkerPool::acknowledge(std::span<const queue::ReceivedMessage> messages,
                             const DeliveryReport& report) {
  const std::set<std::string> failed(report.failed_message_ids.begin(),
                                     report.failed_message_ids.end());
  const std::set<std::string> dead(report.dead_lettering_ids.begin(),
                                   report.dead_lettering_ids.end());
  // Sent again as fresh messages first: only then may the originals go.
  const std::set<std::string> requeued = sendRequeues(queue_, report, logger_);
  std::vector<std::string> done;
  for (const auto& message : messages) {
    if (!failed.count(message.message_id) || requeued.count(message.message_id)) {
      done.push_back(message.receipt_handle);
      continue;
    }
    std::chrono::seconds delay{0};
    if (!dead.count(message.message_id)) {
      delay = redeliveryDelay(message.receive_count, options_.redelivery_backoff,
                              options_.visibility_timeout);
    }
    if (auto changed = queue_.changeVisibility(message.receipt_handle, delay); !changed.ok()) {
      // Not fatal: the message comes back when its visibility timeout ends anyway.
      logger_.warn("queue_change_visibility_failed",
                   {{"message_id", message.message_id}, {"error", changed.error().describe()}});
    }
  }
  if (done.empty())
    return;
  auto deleted = queue_.deleteBatch(done);
  if (!deleted.ok()) {
    logger_.error("queue_delete_failed", {{"error", deleted.error().describe()}});
  } else {
    for (const auto& failure : *deleted) {
      logger_.error("queue_delete_failed",
                    {{"receipt", failure.id}, {"error", failure.error.describe()}});
    }
  }
}

void WorkerPool::heartbeat() {
  const auto interval = std::max<std::chrono::milliseconds>(
      std::chrono::milliseconds(200),
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.visibility_timeout) / 4);
  std::unique_lock lock(mutex_);
  while (!stop_ || !active_.empty()) {
    stop_changed_.wait_for(lock, interval);
    const auto now = clock_.steadyNow();
    for (auto& [id, active] : active_) {
      if (now - active.extended_at < options_.visibility_timeout / 2)
        continue;
      for (const auto& receipt : active.receipts) {
        if (auto changed = queue_.changeVisibility(receipt, options_.visibility_timeout);
            !changed.ok()) {
          logger_.warn("queue_heartbeat_failed", {{"error", changed.error().describe()}});
        }
      }
      active.extended_at = now;
    }
    if (stop_ && threads_.empty())
      break;
  }
}

}  // namespace rawfeed::pipeline
