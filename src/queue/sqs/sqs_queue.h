#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/http_client.h"
#include "queue/queue.h"
#include "queue/sqs/sqs_queue_names.h"
#include "queue/sqs/sqs_queue_options.h"
#include "queue/sqs/sqs_stats.h"

namespace rawfeed::queue::sqs {

class SqsClient;

// The Queue on Amazon SQS (or any server of its JSON protocol), with the DLQ of the queue's
// RedrivePolicy. Receipt handles and message ids are SQS's own; at-least-once, as SQS.
//
// Where SQS differs from the contract's letter, by design:
// - stats().oldest_age_seconds is unknown whenever the queue holds messages (0 when SQS counts
//   none): SQS has no such attribute (CloudWatch's ApproximateAgeOfOldestMessage is a metric,
//   not an API answer), and estimating it from a peeked message's SentTimestamp would mean
//   receiving it: even with VisibilityTimeout=0 that adds one to its ApproximateReceiveCount, so
//   every look would push messages toward the DLQ. Counts are SQS's approximations.
// - receive() waits whole seconds (WaitTimeSeconds): a wait of 300 ms polls for up to 1 s.
// - listDeadLetters() must receive to look: each listed message's receive count grows by one
//   (the count reported excludes this look, not earlier ones), and dead_lettered_at is the
//   message's sent time, as SQS records no time of the move.
// - redrive() of everything uses StartMessageMoveTask and waits for it (move_task_wait); on a
//   server without it (fauxqs, moto), and for chosen ids, it receives from the DLQ, sends the
//   body to the queue (a new message id, receive count 1) and deletes the original.
// - purgeDeadLetters() of everything is PurgeQueue, which returns the count SQS reported just
//   before it; AWS finishes a purge within 60 s and allows one per 60 s.
//
// Errors: as Queue, plus kUnauthenticated (refused credentials, with SQS's message), kNotFound
// (the queue is gone), kPermanent (a server that does not speak SQS's JSON protocol).
// Thread-safe: state is immutable after open() apart from one atomic flag.
class SqsQueue final : public Queue {
 public:
  // Resolves the queue URL (GetQueueUrl), the DLQ and max_receives (the RedrivePolicy) and both
  // ARNs, so a wrong name, region or credentials fail here rather than in the first worker.
  // `options` must have region and endpoint (resolveFromEnvironment fills them). The references
  // must outlive the queue.
  static core::Result<std::unique_ptr<SqsQueue>> open(SqsQueueOptions options,
                                                      http::HttpClient& http,
                                                      aws::CredentialsProvider& credentials,
                                                      const core::Clock& clock,
                                                      core::Random& random);
  ~SqsQueue() override;

  core::Result<SendBatchResult> sendBatch(std::span<const OutgoingMessage> messages) override;
  core::Result<std::vector<ReceivedMessage>> receive(const ReceiveOptions& options) override;
  core::Result<std::vector<EntryFailure>> deleteBatch(
      std::span<const std::string> receipt_handles) override;
  core::Status changeVisibility(const std::string& receipt_handle,
                                std::chrono::seconds timeout) override;
  core::Result<QueueStats> stats() override;
  core::Result<std::vector<DeadLetter>> listDeadLetters(int limit) override;
  core::Result<int> redrive(std::span<const std::string> message_ids) override;
  core::Result<int> purgeDeadLetters(std::span<const std::string> message_ids) override;

  const QueueNames& names() const { return names_; }
  // Every SQS exchange this queue made (its own, and open()'s look-ups).
  SqsStats requestStats() const;

 private:
  SqsQueue(SqsQueueOptions options, std::unique_ptr<SqsClient> client, QueueNames names);

  core::Result<int> waitForMoveTask(const std::string& handle);
  core::Result<int> redriveByScan(std::span<const std::string> message_ids);
  // Receives the DLQ's messages until `message_ids` are all seen (or the DLQ is exhausted) and
  // keeps the chosen ones hidden, releasing the rest; on an unknown id, releases all.
  core::Result<std::vector<ReceivedMessage>> holdDeadLetters(
      std::span<const std::string> message_ids);

  SqsQueueOptions options_;
  std::unique_ptr<SqsClient> client_;
  QueueNames names_;
  // Set once a server has shown it lacks StartMessageMoveTask; saves the doomed call next time.
  std::atomic<bool> move_tasks_unsupported_{false};
};

}  // namespace rawfeed::queue::sqs
