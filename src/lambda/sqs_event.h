#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "queue/queue.h"

namespace rawfeed::lambda {

// The SQS event a Lambda event source mapping delivers:
// {"Records":[{"messageId","receiptHandle","body","attributes":{"ApproximateReceiveCount",
// "SentTimestamp",...},"eventSourceARN",...}]}, as the queue's received messages. Members the
// worker does not need are ignored; a document that is not such an event (not JSON, no Records
// array, a record without messageId, receiptHandle or body, a receive count that is not a
// positive number) is kInvalidInput naming the record and the member. A body that is not a chunk
// message is no error here: the worker treats it as the poison it is.
core::Result<std::vector<queue::ReceivedMessage>> parseSqsEvent(std::string_view json);

// contracts §3: {"batchItemFailures":[{"itemIdentifier":"<messageId>"},...]}, each id once, in
// the order given.
std::string batchItemFailures(const std::vector<std::string>& message_ids);

}  // namespace rawfeed::lambda
