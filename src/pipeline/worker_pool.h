#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "observe/logger.h"
#include "pipeline/worker.h"
#include "queue/queue.h"

namespace rawfeed::pipeline {

struct WorkerPoolOptions {
  int concurrency = 4;             // deliveries in progress at once
  int messages_per_delivery = 10;  // 1..10
  std::chrono::seconds visibility_timeout{720};
  int max_receives = 5;
  bool until_drained = true;  // stop once the queue holds nothing visible, in flight or delayed
  // Short when draining: the last consumer to find the queue empty waits at most this long, and
  // a run ends at most this long after its last delivery. An idle poll of the SQLite queue is
  // one read; SQS counts whole seconds (one at least), so there it changes nothing.
  std::chrono::milliseconds poll_wait{25};
  // A failed message comes back after base × 2^(receive_count−1), at most the visibility
  // timeout, rather than after the whole visibility timeout.
  std::chrono::seconds redelivery_backoff{2};
  // Draining only: this many storage failures in a row (the queue, the tracker or the lake
  // cannot be written: a full or read-only disk) stop the pool with fatalError() set, instead of
  // retrying forever or dead-lettering messages that are fine. A pool that works forever keeps
  // retrying (a daemon outlives a full disk).
  int storage_failures_to_stop = 3;
};

// How long a failed (not dead-lettering) message stays hidden before it comes again:
// base × 2^(receive_count−1), at most `cap` (the visibility timeout). Shared by every consumer of
// Worker reports, so a message backs off the same way under the pool and under Lambda.
std::chrono::seconds redeliveryDelay(int receive_count, std::chrono::seconds base,
                                     std::chrono::seconds cap);

// Sends the report's throttled chunks back to the queue as fresh, delayed messages; returns the
// ids of the originals whose replacement is in the queue (acknowledge those: deleting them loses
// nothing). One that could not be sent stays failed and comes back the usual way.
std::set<std::string> sendRequeues(queue::Queue& queue, const DeliveryReport& report,
                                   observe::Logger& logger);

// The process's consumers: `concurrency` threads that receive deliveries, hand them to the
// Worker and act on its reply (delete the done, delay the failed, release the dead-lettering at
// once so the queue moves them to the DLQ), plus a heartbeat that extends the visibility of
// deliveries still running after half the timeout. requestStop() is idempotent: no new delivery
// is taken and the ones in progress finish.
class WorkerPool {
 public:
  WorkerPool(queue::Queue& queue, Worker& worker, const core::Clock& clock, observe::Logger& logger,
             WorkerPoolOptions options);
  ~WorkerPool();

  void start();
  void requestStop();
  void join();
  bool drained() const { return drained_; }
  // Why the pool stopped by itself before draining (storage that cannot be written); nullopt
  // when it drained or was asked to stop. Unacknowledged messages stay on the queue.
  std::optional<core::Error> fatalError() const;
  int activeDeliveries() const;

 private:
  struct Active {
    std::vector<std::string> receipts;
    core::SteadyTime extended_at;
  };
  void consume();
  void heartbeat();
  void acknowledge(std::span<const queue::ReceivedMessage> messages, const DeliveryReport& report);
  bool queueIsEmpty();
  // Counts a storage failure (or clears the count on success) and stops the draining pool when
  // they keep coming.
  void noteStorage(const std::optional<core::Error>& failure);

  queue::Queue& queue_;
  Worker& worker_;
  const core::Clock& clock_;
  observe::Logger& logger_;
  WorkerPoolOptions options_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> drained_{false};
  std::vector<std::thread> threads_;
  std::thread heartbeat_thread_;
  mutable std::mutex mutex_;  // guards active_, next_id_ and wakes the heartbeat
  std::condition_variable stop_changed_;
  std::map<int, Active> active_;
  int next_id_ = 0;
  int storage_failures_ = 0;          // in a row; guarded by mutex_
  std::optional<core::Error> fatal_;  // guarded by mutex_
};

}  // namespace rawfeed::pipeline
