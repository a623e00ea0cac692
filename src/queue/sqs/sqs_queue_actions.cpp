#include "queue/sqs/sqs_queue_actions.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/api_operations.h"
#include "queue/sqs/sqs_json.h"

namespace rawfeed::queue::sqs {
namespace {

using nlohmann::json;

core::Result<std::string> queueUrlOf(std::string_view action, const json& answer) {
  auto it = answer.find("QueueUrl");
  if (it == answer.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return malformed(action, "no QueueUrl");
  }
  return it->get<std::string>();
}

}  // namespace

core::Result<QueueAttributes> getQueueAttributes(SqsClient& client, const std::string& queue_url,
                                                 std::span<const std::string> names) {
  json wanted = json::array();
  for (const auto& name : names)
    wanted.push_back(name);
  auto answer = client.call(aws::sqs_api::kGetQueueAttributes.name,
                            {{"QueueUrl", queue_url}, {"AttributeNames", wanted}});
  if (!answer.ok())
    return answer.error();
  QueueAttributes attributes;
  auto it = answer->find("Attributes");
  if (it == answer->end() || it->is_null())
    return attributes;
  if (!it->is_object())
    return malformed(aws::sqs_api::kGetQueueAttributes.name, "Attributes is not an object");
  for (const auto& [name, value] : it->items()) {
    // SQS sends strings; a server that sends a number or a boolean is read the same way.
    attributes[name] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return attributes;
}

core::Status setQueueAttributes(SqsClient& client, const std::string& queue_url,
                                const QueueAttributes& attributes) {
  auto answer = client.call(aws::sqs_api::kSetQueueAttributes.name,
                            {{"QueueUrl", queue_url}, {"Attributes", json(attributes)}});
  if (!answer.ok())
    return answer.error();
  return core::okStatus();
}

core::Result<std::string> getQueueUrl(SqsClient& client, const std::string& name,
                                      const std::string& owner_account) {
  json body = {{"QueueName", name}};
  if (!owner_account.empty())
    body["QueueOwnerAWSAccountId"] = owner_account;
  auto answer = client.call(aws::sqs_api::kGetQueueUrl.name, body);
  if (!answer.ok())
    return answer.error();
  return queueUrlOf(aws::sqs_api::kGetQueueUrl.name, *answer);
}

core::Result<std::string> createQueue(SqsClient& client, const std::string& name,
                                      const QueueAttributes& attributes) {
  json body = {{"QueueName", name}};
  if (!attributes.empty())
    body["Attributes"] = json(attributes);
  auto answer = client.call(aws::sqs_api::kCreateQueue.name, body);
  if (!answer.ok())
    return answer.error();
  return queueUrlOf(aws::sqs_api::kCreateQueue.name, *answer);
}

core::Status purgeQueue(SqsClient& client, const std::string& queue_url) {
  auto answer = client.call(aws::sqs_api::kPurgeQueue.name, {{"QueueUrl", queue_url}});
  if (!answer.ok())
    return answer.error();
  return core::okStatus();
}

core::Result<std::string> startMessageMoveTask(SqsClient& client, const std::string& source_arn,
                                               const std::string& destination_arn) {
  json body = {{"SourceArn", source_arn}};
  if (!destination_arn.empty())
    body["DestinationArn"] = destination_arn;
  auto answer =
      client.call(aws::sqs_api::kStartMessageMoveTask.name, body, CallOptions{{}, false, {}});
  if (!answer.ok())
    return answer.error();
  auto it = answer->find("TaskHandle");
  if (it == answer->end() || !it->is_string()) {
    return malformed(aws::sqs_api::kStartMessageMoveTask.name, "no TaskHandle");
  }
  return it->get<std::string>();
}

core::Result<std::vector<MoveTask>> listMessageMoveTasks(SqsClient& client,
                                                         const std::string& source_arn,
                                                         std::chrono::milliseconds delay) {
  auto answer =
      client.call(aws::sqs_api::kListMessageMoveTasks.name,
                  {{"SourceArn", source_arn}, {"MaxResults", 10}}, CallOptions{{}, true, delay});
  if (!answer.ok())
    return answer.error();
  std::vector<MoveTask> tasks;
  auto it = answer->find("Results");
  if (it == answer->end() || it->is_null())
    return tasks;
  if (!it->is_array())
    return malformed(aws::sqs_api::kListMessageMoveTasks.name, "Results is not an array");
  for (const json& result : *it) {
    if (!result.is_object())
      return malformed(aws::sqs_api::kListMessageMoveTasks.name, "a result is not an object");
    MoveTask task;
    task.task_handle = stringField(result, "TaskHandle");
    task.status = stringField(result, "Status");
    task.moved = integerField(result, "ApproximateNumberOfMessagesMoved").value_or(0);
    task.to_move = integerField(result, "ApproximateNumberOfMessagesToMove").value_or(0);
    task.failure_reason = stringField(result, "FailureReason");
    tasks.push_back(std::move(task));
  }
  return tasks;
}

}  // namespace rawfeed::queue::sqs
