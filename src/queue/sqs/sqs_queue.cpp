#include "queue/sqs/sqs_queue.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "aws/endpoints.h"
#include "queue/sqs/sqs_attributes.h"
#include "queue/sqs/sqs_checks.h"
#include "queue/sqs/sqs_client.h"
#include "queue/sqs/sqs_dead_letters.h"
#include "queue/sqs/sqs_errors.h"
#include "queue/sqs/sqs_message_actions.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kMoveTaskPoll{500};

const std::string kCountNames[] = {kVisibleAttribute, kInFlightAttribute, kDelayedAttribute};

// Entries packed in order into requests whose bodies add up to at most SQS's request limit.
std::vector<std::vector<OutgoingMessage>> packBySize(std::vector<OutgoingMessage> entries) {
  std::vector<std::vector<OutgoingMessage>> requests;
  std::size_t bytes = 0;
  for (auto& entry : entries) {
    if (requests.empty() || bytes + entry.body.size() > kMaxRequestPayloadBytes) {
      requests.emplace_back();
      bytes = 0;
    }
    bytes += entry.body.size();
    requests.back().push_back(std::move(entry));
  }
  return requests;
}

// SQS counts whole seconds; rounding up keeps "wait at least this long" true.
std::chrono::seconds waitSeconds(std::chrono::milliseconds wait) {
  return std::chrono::ceil<std::chrono::seconds>(wait);
}

core::Result<MessageCounts> countsOf(SqsClient& client, const std::string& url) {
  auto attributes = getQueueAttributes(client, url, kCountNames);
  if (!attributes.ok())
    return attributes.error();
  return messageCounts(*attributes);
}

}  // namespace

core::Result<std::unique_ptr<SqsQueue>> SqsQueue::open(SqsQueueOptions options,
                                                       http::HttpClient& http,
                                                       aws::CredentialsProvider& credentials,
                                                       const core::Clock& clock,
                                                       core::Random& random) {
  if (options.region.empty() || options.endpoint.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "SQS queue: region and endpoint are required (resolveFromEnvironment "
                           "fills them as the AWS SDKs do)");
  }
  auto endpoint = aws::parseEndpoint(options.endpoint);
  if (!endpoint.ok())
    return endpoint.error();
  SqsClientOptions client_options;
  client_options.target = SqsTarget{*endpoint, options.region};
  client_options.request_timeout = options.request_timeout;
  client_options.retry =
      RetryPolicy{options.max_retries, options.backoff_base, options.backoff_cap};
  auto client =
      std::make_unique<SqsClient>(std::move(client_options), http, credentials, clock, random);
  auto names = resolveQueueNames(*client, options);
  if (!names.ok())
    return names.error();
  return std::unique_ptr<SqsQueue>(
      new SqsQueue(std::move(options), std::move(client), std::move(names).value()));
}

SqsQueue::SqsQueue(SqsQueueOptions options, std::unique_ptr<SqsClient> client, QueueNames names)
    : options_(std::move(options)), client_(std::move(client)), names_(std::move(names)) {}

SqsQueue::~SqsQueue() = default;

core::Result<SendBatchResult> SqsQueue::sendBatch(std::span<const OutgoingMessage> messages) {
  if (auto checked = checkSendBatch(messages); !checked)
    return checked.error();
  SendBatchResult result;
  std::vector<OutgoingMessage> valid;
  for (const auto& message : messages) {
    if (auto invalid = checkEntry(message)) {
      result.failed.push_back({message.id, std::move(*invalid)});
    } else {
      valid.push_back(message);
    }
  }
  const auto requests = packBySize(std::move(valid));
  std::optional<core::Error> whole_failure;
  std::size_t failed_requests = 0;
  for (const auto& request : requests) {
    auto sent = sendMessageBatch(*client_, names_.queue_url, request);
    if (!sent.ok()) {
      ++failed_requests;
      if (!whole_failure)
        whole_failure = sent.error();
      for (const auto& message : request)
        result.failed.push_back({message.id, sent.error()});
      continue;
    }
    result.sent_ids.insert(result.sent_ids.end(), sent->sent_ids.begin(), sent->sent_ids.end());
    result.failed.insert(result.failed.end(), sent->failed.begin(), sent->failed.end());
  }
  // Nothing went out: the call failed as a whole, which callers retry as one.
  if (whole_failure && failed_requests == requests.size())
    return *whole_failure;
  // Report in the caller's order whatever order SQS answered in.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < messages.size(); ++i)
    position.emplace(messages[i].id, i);
  const auto by_position = [&](const std::string& a, const std::string& b) {
    return position.at(a) < position.at(b);
  };
  std::sort(result.sent_ids.begin(), result.sent_ids.end(), by_position);
  std::sort(result.failed.begin(), result.failed.end(),
            [&](const EntryFailure& a, const EntryFailure& b) { return by_position(a.id, b.id); });
  return result;
}

core::Result<std::vector<ReceivedMessage>> SqsQueue::receive(const ReceiveOptions& options) {
  if (auto checked = checkReceive(options); !checked)
    return checked.error();
  ReceiveRequest request;
  request.max_messages = options.max_messages;
  request.wait = waitSeconds(options.wait);
  request.visibility = options.visibility ? options.visibility : options_.visibility_timeout;
  return receiveMessage(*client_, names_.queue_url, request);
}

core::Result<std::vector<EntryFailure>> SqsQueue::deleteBatch(
    std::span<const std::string> receipt_handles) {
  if (auto checked = checkDeleteBatch(receipt_handles); !checked)
    return checked.error();
  return deleteMessageBatch(*client_, names_.queue_url, receipt_handles);
}

core::Status SqsQueue::changeVisibility(const std::string& receipt_handle,
                                        std::chrono::seconds timeout) {
  if (auto checked = checkVisibility(timeout); !checked)
    return checked;
  if (receipt_handle.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "changeVisibility: empty receipt handle");
  }
  return changeMessageVisibility(*client_, names_.queue_url, receipt_handle, timeout);
}

SqsStats SqsQueue::requestStats() const {
  return client_->stats();
}

core::Result<QueueStats> SqsQueue::stats() {
  auto queue = countsOf(*client_, names_.queue_url);
  if (!queue.ok())
    return queue.error();
  auto dead = countsOf(*client_, names_.dlq_url);
  if (!dead.ok())
    return dead.error();
  QueueStats stats;
  stats.visible = queue->visible;
  stats.in_flight = queue->in_flight;
  stats.delayed = queue->delayed;
  stats.dead_letters = dead->total();
  // An empty queue has no backlog: age 0, as the SQLite queue and CloudWatch's
  // ApproximateAgeOfOldestMessage report it. Otherwise unknown: see the class comment.
  if (queue->total() == 0)
    stats.oldest_age_seconds = 0.0;
  return stats;
}

core::Result<std::vector<DeadLetter>> SqsQueue::listDeadLetters(int limit) {
  if (auto checked = checkLimit(limit); !checked)
    return checked.error();
  auto counts = countsOf(*client_, names_.dlq_url);
  if (!counts.ok())
    return counts.error();
  // An empty DLQ is the common case; its counts spare a receive that would wait a second.
  if (counts->total() == 0)
    return std::vector<DeadLetter>{};
  ScanOptions scan;
  scan.visibility = options_.dlq_scan_visibility;
  scan.limit = static_cast<std::size_t>(limit);
  if (counts->visible > 0) {
    const auto expected = static_cast<std::size_t>(counts->visible);
    scan.enough = [expected](const auto& collected) { return collected.size() >= expected; };
  }
  auto scanned = scanQueue(*client_, names_.dlq_url, scan);
  if (!scanned.ok())
    return scanned.error();
  release(*client_, names_.dlq_url, *scanned);

  std::vector<DeadLetter> letters;
  for (const auto& message : *scanned) {
    DeadLetter letter;
    letter.message_id = message.message_id;
    letter.body = message.body;
    letter.receive_count = std::max(0, message.receive_count - 1);  // without this look
    letter.sent_at = message.sent_at;
    letter.dead_lettered_at = message.sent_at;  // SQS records no time of the move
    letters.push_back(std::move(letter));
  }
  std::stable_sort(letters.begin(), letters.end(),
                   [](const auto& a, const auto& b) { return a.sent_at < b.sent_at; });
  return letters;
}

core::Result<int> SqsQueue::redrive(std::span<const std::string> message_ids) {
  if (message_ids.empty() && !move_tasks_unsupported_.load()) {
    // Only the start decides the fallback: a task that started and then failed is an answer.
    auto handle = startMessageMoveTask(*client_, names_.dlq_arn, names_.queue_arn);
    if (handle.ok())
      return waitForMoveTask(*handle);
    if (!mayFallBack(handle.error()))
      return handle.error();
    move_tasks_unsupported_.store(true);
  }
  return redriveByScan(message_ids);
}

// ListMessageMoveTasks every half second until the task ends or move_task_wait is up (then:
// what has moved so far; the task carries on without us).
core::Result<int> SqsQueue::waitForMoveTask(const std::string& handle) {
  const auto polls = std::max<std::int64_t>(1, options_.move_task_wait / kMoveTaskPoll);
  std::int64_t moved = 0;
  for (std::int64_t poll = 0; poll < polls; ++poll) {
    auto tasks = listMessageMoveTasks(*client_, names_.dlq_arn, kMoveTaskPoll);
    if (!tasks.ok())
      return tasks.error();
    // SQS lists the most recent task first and names it only while it runs (TaskHandle is
    // absent once it ends); one task at a time per source queue makes the first one ours.
    if (tasks->empty())
      continue;
    const auto task = tasks->begin();
    if (!task->task_handle.empty() && task->task_handle != handle)
      continue;
    moved = task->moved;
    if (task->status == "COMPLETED")
      return static_cast<int>(moved);
    if (task->status == "FAILED" || task->status == "CANCELLED") {
      return core::makeError(core::ErrorCode::kTransient,
                             fmt::format("SQS message move task {} after {} moved: {}",
                                         task->status, moved, task->failure_reason));
    }
  }
  return static_cast<int>(moved);
}

core::Result<std::vector<ReceivedMessage>> SqsQueue::holdDeadLetters(
    std::span<const std::string> message_ids) {
  ScanOptions scan;
  scan.visibility = options_.dlq_scan_visibility;
  scan.enough = seenAll(message_ids);
  auto scanned = scanQueue(*client_, names_.dlq_url, scan);
  if (!scanned.ok())
    return scanned.error();
  const std::vector<ReceivedMessage> all = *scanned;
  auto selection = selectByIds(std::move(scanned).value(), message_ids);
  if (!selection.ok()) {
    release(*client_, names_.dlq_url, all);
    return selection.error();
  }
  release(*client_, names_.dlq_url, selection->rest);
  return std::move(selection->chosen);
}

core::Result<int> SqsQueue::redriveByScan(std::span<const std::string> message_ids) {
  auto chosen = holdDeadLetters(message_ids);
  if (!chosen.ok())
    return chosen.error();
  auto moved = moveScanned(*client_, names_.dlq_url, names_.queue_url, *chosen);
  if (!moved.ok())
    release(*client_, names_.dlq_url, *chosen);
  return moved;
}

core::Result<int> SqsQueue::purgeDeadLetters(std::span<const std::string> message_ids) {
  if (message_ids.empty()) {
    auto counts = countsOf(*client_, names_.dlq_url);
    if (!counts.ok())
      return counts.error();
    if (auto purged = purgeQueue(*client_, names_.dlq_url); !purged)
      return purged.error();
    return static_cast<int>(counts->total());
  }
  auto chosen = holdDeadLetters(message_ids);
  if (!chosen.ok())
    return chosen.error();
  return deleteScanned(*client_, names_.dlq_url, *chosen);
}

}  // namespace rawfeed::queue::sqs
