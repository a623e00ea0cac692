#include "lambda/worker_handler.h"

#include <set>

#include "lambda/sqs_event.h"
#include "pipeline/worker_pool.h"

namespace rawfeed::lambda {

WorkerHandler::WorkerHandler(pipeline::Worker& worker, queue::Queue& queue,
                             const core::Clock& clock, observe::Logger& logger,
                             WorkerHandlerOptions options)
    : worker_(worker), queue_(queue), clock_(clock), logger_(logger), options_(options) {}

std::optional<pipeline::DeliveryDeadline> WorkerHandler::deadlineFor(
    std::int64_t deadline_ms) const {
  if (deadline_ms <= 0)
    return std::nullopt;
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
          .count();
  const auto end = clock_.steadyNow() + std::chrono::milliseconds(deadline_ms - now_ms);
  return pipeline::DeliveryDeadline{end - options_.deadline_margin,
                                    end - options_.deadline_margin / 2};
}

core::Result<std::string> WorkerHandler::handle(const Invocation& invocation) {
  auto messages = parseSqsEvent(invocation.payload);
  if (!messages.ok())
    return messages.error();
  const auto report = worker_.handle(*messages, deadlineFor(invocation.deadline_ms));

  const std::set<std::string> failed(report.failed_message_ids.begin(),
                                     report.failed_message_ids.end());
  const std::set<std::string> dead(report.dead_lettering_ids.begin(),
                                   report.dead_lettering_ids.end());
  const std::set<std::string> unfinished(report.unfinished_ids.begin(),
                                         report.unfinished_ids.end());
  const std::set<std::string> throttled(report.throttled_ids.begin(), report.throttled_ids.end());
  // Throttled chunks go back as fresh messages delayed by the pause; their originals are then
  // reported done (Lambda deletes them), so waiting for the source spends no receive.
  const std::set<std::string> requeued = pipeline::sendRequeues(queue_, report, logger_);
  std::vector<std::string> still_failed;
  for (const auto& message : *messages) {
    if (!failed.count(message.message_id))
      continue;
    if (requeued.count(message.message_id)) {
      logger_.info("message_requeued", {{"message_id", message.message_id},
                                        {"receive_count", message.receive_count},
                                        {"reason", "throttled"}});
      continue;
    }
    still_failed.push_back(message.message_id);
    std::chrono::seconds delay{0};
    const char* why = "dead_lettering";
    if (unfinished.count(message.message_id)) {
      why = "cut_by_deadline";
    } else if (!dead.count(message.message_id)) {
      delay = pipeline::redeliveryDelay(message.receive_count, options_.redelivery_backoff,
                                        options_.visibility_timeout);
      why = throttled.count(message.message_id) ? "throttled" : "failed";
    }
    if (auto changed = queue_.changeVisibility(message.receipt_handle, delay); !changed.ok()) {
      // Not fatal: the message comes back when its visibility timeout ends anyway.
      logger_.warn("queue_change_visibility_failed",
                   {{"message_id", message.message_id}, {"error", changed.error().describe()}});
      continue;
    }
    logger_.info("message_comes_again",
                 {{"message_id", message.message_id},
                  {"receive_count", message.receive_count},
                  {"reason", why},
                  {"after_seconds", static_cast<std::int64_t>(delay.count())}});
  }
  return batchItemFailures(still_failed);
}

}  // namespace rawfeed::lambda
