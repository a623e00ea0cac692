// SQS's JSON-protocol answers and Lambda's SQS event: every action's answer read from one body,
// as a 200 and as a refusal (with and without x-amzn-query-error), plus the attribute readings
// (RedrivePolicy, queue ARN, message counts) and the event a Lambda event source mapping
// delivers. Results must keep the promises of the headers: messages with receipt handles, every
// sent entry confirmed or failed exactly once, failures naming entries of the request,
// attributes that format back to themselves.
#include <algorithm>
#include <set>

#include "fuzz/fuzz_support.h"
#include "lambda/sqs_event.h"
#include "queue/sqs/sqs_attributes.h"
#include "queue/sqs/sqs_client.h"
#include "queue/sqs/sqs_errors.h"
#include "queue/sqs/sqs_json.h"
#include "queue/sqs/sqs_message_actions.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace {

using namespace rawfeed;
using namespace rawfeed::queue::sqs;

const std::string kQueueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/prices";
const std::vector<std::string> kHandles = {"handle-0", "handle-1", "handle-2"};

void checkSend(SqsClient& client) {
  const std::vector<queue::OutgoingMessage> messages = {
      {"a", "{}", {}}, {"b", "{}", std::chrono::seconds(5)}, {"c", "{}", {}}};
  const auto result = sendMessageBatch(client, kQueueUrl, messages);
  if (!result.ok())
    return;
  std::multiset<std::string> named(result->sent_ids.begin(), result->sent_ids.end());
  for (const auto& failure : result->failed)
    named.insert(failure.id);
  FUZZ_CHECK((named == std::multiset<std::string>{"a", "b", "c"}),
             "SendMessageBatch: each entry must be sent or failed exactly once");
}

void checkFailures(const core::Result<std::vector<queue::EntryFailure>>& failures) {
  if (!failures.ok())
    return;
  for (const auto& failure : *failures) {
    FUZZ_CHECK(std::find(kHandles.begin(), kHandles.end(), failure.id) != kHandles.end(),
               "a failure names '" + failure.id + "', not a handle of the request");
  }
}

void checkActions(SqsClient& client) {
  checkSend(client);
  if (const auto received = receiveMessage(client, kQueueUrl, ReceiveRequest{10, {}, {}});
      received.ok()) {
    for (const auto& message : *received) {
      FUZZ_CHECK(!message.receipt_handle.empty(), "a message without a receipt handle");
      FUZZ_CHECK(message.receive_count >= 1, "a receive count below 1");
    }
  }
  checkFailures(deleteMessageBatch(client, kQueueUrl, kHandles));
  checkFailures(changeMessageVisibilityBatch(client, kQueueUrl, kHandles, std::chrono::seconds(0)));
  (void)changeMessageVisibility(client, kQueueUrl, kHandles[0], std::chrono::seconds(30));

  const std::vector<std::string> names = {"QueueArn", "RedrivePolicy", kVisibleAttribute,
                                          kInFlightAttribute, kDelayedAttribute};
  if (const auto attributes = getQueueAttributes(client, kQueueUrl, names); attributes.ok()) {
    const MessageCounts counts = messageCounts(*attributes);
    FUZZ_CHECK(
        counts.visible >= 0 && counts.in_flight >= 0 && counts.delayed >= 0 && counts.total() >= 0,
        "negative message counts");
    (void)integerAttribute(*attributes, "VisibilityTimeout");
    if (const auto arn = attributes->find("QueueArn"); arn != attributes->end())
      (void)parseQueueArn(arn->second);
    if (const auto policy = attributes->find("RedrivePolicy"); policy != attributes->end())
      (void)parseRedrivePolicy(policy->second);
  }
  if (const auto url = getQueueUrl(client, "prices"); url.ok())
    FUZZ_CHECK(!url->empty(), "an empty QueueUrl");
  (void)createQueue(client, "prices", {{"VisibilityTimeout", "720"}});
  (void)purgeQueue(client, kQueueUrl);
  (void)startMessageMoveTask(client, "arn:aws:sqs:us-east-1:123456789012:prices-dlq", "");
  (void)listMessageMoveTasks(client, "arn:aws:sqs:us-east-1:123456789012:prices-dlq");
}

void checkAttributeReadings(std::string_view text) {
  if (const auto arn = parseQueueArn(text)) {
    const std::string formatted = formatQueueArn(*arn);
    FUZZ_CHECK(formatted == text, "ARN '" + std::string(text) + "' formats as " + formatted);
  }
  if (const auto policy = parseRedrivePolicy(text)) {
    FUZZ_CHECK(policy->max_receive_count >= 1, "maxReceiveCount below 1");
    const auto again = parseRedrivePolicy(formatRedrivePolicy(*policy));
    FUZZ_CHECK(again && again->dead_letter_target_arn == policy->dead_letter_target_arn &&
                   again->max_receive_count == policy->max_receive_count,
               "RedrivePolicy does not read back: " + formatRedrivePolicy(*policy));
  }
  (void)parseInteger(text);
}

void checkLambdaEvent(std::string_view text) {
  const auto messages = lambda::parseSqsEvent(text);
  if (!messages.ok()) {
    FUZZ_CHECK(messages.error().code == core::ErrorCode::kInvalidInput, "not kInvalidInput");
    return;
  }
  std::vector<std::string> ids;
  for (const auto& message : *messages) {
    FUZZ_CHECK(!message.message_id.empty(), "a record without a messageId");
    FUZZ_CHECK(message.receive_count >= 1, "a receive count below 1");
    ids.push_back(message.message_id);
  }
  (void)lambda::batchItemFailures(ids);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::asText(data, size);
  const fuzz::FixedClock clock;
  fuzz::FixedRandom random;
  fuzz::FixedCredentials credentials;
  SqsClientOptions options;
  options.target.endpoint = *aws::parseEndpoint("https://sqs.us-east-1.amazonaws.com");
  options.target.region = "us-east-1";
  options.retry.max_retries = 0;

  {
    fuzz::FixedHttpClient http(fuzz::response(200, body));
    SqsClient client(options, http, credentials, clock, random);
    checkActions(client);
  }
  // A refusal reads the same whichever action it answers: one call each.
  const std::string query_code(body.substr(0, 64));
  for (const http::HttpResponse& response :
       {fuzz::response(400, body), fuzz::response(400, body, {{"x-amzn-query-error", query_code}}),
        fuzz::response(500, body, {{"x-amzn-requestid", "fuzz"}})}) {
    fuzz::FixedHttpClient http(response);
    SqsClient client(options, http, credentials, clock, random);
    const auto received = receiveMessage(client, kQueueUrl, ReceiveRequest{1, {}, {}});
    FUZZ_CHECK(!received.ok(), "a refusal read as messages");
    const core::Error error = responseError(response, "ReceiveMessage");
    FUZZ_CHECK(!error.message.empty() && error.code == received.error().code,
               "the refusal's class changed on the way: " + error.describe());
  }
  checkAttributeReadings(body);
  checkLambdaEvent(body);
  return 0;
}
