#include "queue/sqs/sqs_dead_letters.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "queue/sqs/sqs_message_actions.h"

namespace rawfeed::queue::sqs {
namespace {

constexpr std::size_t kTen = static_cast<std::size_t>(kMaxBatchEntries);

std::vector<std::string> handlesOf(std::span<const ReceivedMessage> messages) {
  std::vector<std::string> handles;
  for (const auto& message : messages)
    handles.push_back(message.receipt_handle);
  return handles;
}

}  // namespace

core::Result<std::vector<ReceivedMessage>> scanQueue(SqsClient& client,
                                                     const std::string& queue_url,
                                                     const ScanOptions& options) {
  std::vector<ReceivedMessage> collected;
  std::map<std::string, std::size_t> index_of;  // message id -> position in collected
  bool long_polled = false;
  while (collected.size() < options.limit && !(options.enough && options.enough(collected))) {
    const std::size_t want = std::min(kTen, options.limit - collected.size());
    ReceiveRequest request{static_cast<int>(want), std::chrono::seconds(long_polled ? 1 : 0),
                           options.visibility};
    auto received = receiveMessage(client, queue_url, request);
    if (!received.ok()) {
      release(client, queue_url, collected);
      return received.error();
    }
    if (received->empty()) {
      if (long_polled)
        break;
      long_polled = true;  // confirm with a poll that asks every host
      continue;
    }
    long_polled = false;
    for (auto& message : *received) {
      if (auto it = index_of.find(message.message_id); it != index_of.end()) {
        collected[it->second] = std::move(message);
        continue;
      }
      index_of.emplace(message.message_id, collected.size());
      collected.push_back(std::move(message));
    }
  }
  return collected;
}

void release(SqsClient& client, const std::string& queue_url,
             std::span<const ReceivedMessage> messages) {
  const auto handles = handlesOf(messages);
  for (std::size_t offset = 0; offset < handles.size(); offset += kTen) {
    const auto batch = std::span(handles).subspan(offset, std::min(kTen, handles.size() - offset));
    // Ignored on purpose: see the header.
    (void)changeMessageVisibilityBatch(client, queue_url, batch, std::chrono::seconds(0));
  }
}

core::Result<int> deleteScanned(SqsClient& client, const std::string& queue_url,
                                std::span<const ReceivedMessage> messages) {
  const auto handles = handlesOf(messages);
  int deleted = 0;
  for (std::size_t offset = 0; offset < handles.size(); offset += kTen) {
    const auto batch = std::span(handles).subspan(offset, std::min(kTen, handles.size() - offset));
    auto failed = deleteMessageBatch(client, queue_url, batch);
    if (!failed.ok())
      return failed.error();
    deleted += static_cast<int>(batch.size() - failed->size());
  }
  return deleted;
}

core::Result<int> moveScanned(SqsClient& client, const std::string& from_url,
                              const std::string& to_url,
                              std::span<const ReceivedMessage> messages) {
  int moved = 0;
  for (std::size_t offset = 0; offset < messages.size(); offset += kTen) {
    const auto batch = messages.subspan(offset, std::min(kTen, messages.size() - offset));
    std::vector<OutgoingMessage> outgoing;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      outgoing.push_back({fmt::format("m{}", i), batch[i].body, std::chrono::seconds(0)});
    }
    auto sent = sendMessageBatch(client, to_url, outgoing);
    if (!sent.ok())
      return sent.error();
    std::vector<ReceivedMessage> delivered;
    for (const auto& id : sent->sent_ids) {
      delivered.push_back(batch[static_cast<std::size_t>(std::stoi(id.substr(1)))]);
    }
    auto deleted = deleteScanned(client, from_url, delivered);
    if (!deleted.ok())
      return deleted.error();
    moved += static_cast<int>(delivered.size());
    if (!sent->failed.empty()) {
      return core::Error{sent->failed.front().error.code,
                         fmt::format("moved {} of {} before: {}", moved, messages.size(),
                                     sent->failed.front().error.message)};
    }
  }
  return moved;
}

}  // namespace rawfeed::queue::sqs

namespace rawfeed::queue::sqs {

core::Result<Selection> selectByIds(std::vector<ReceivedMessage> scanned,
                                    std::span<const std::string> message_ids) {
  Selection selection;
  if (message_ids.empty()) {
    selection.chosen = std::move(scanned);
    return selection;
  }
  const std::set<std::string> wanted(message_ids.begin(), message_ids.end());
  std::set<std::string> found;
  for (auto& message : scanned) {
    if (wanted.count(message.message_id)) {
      found.insert(message.message_id);
      selection.chosen.push_back(std::move(message));
    } else {
      selection.rest.push_back(std::move(message));
    }
  }
  std::string absent;
  for (const auto& id : wanted) {
    if (found.count(id))
      continue;
    if (!absent.empty())
      absent += ", ";
    absent += id;
  }
  if (!absent.empty()) {
    return core::makeError(core::ErrorCode::kNotFound,
                           fmt::format("not in the dead-letter queue: {}", absent));
  }
  return selection;
}

std::function<bool(const std::vector<ReceivedMessage>&)> seenAll(
    std::span<const std::string> message_ids) {
  if (message_ids.empty())
    return {};
  return [wanted = std::set<std::string>(message_ids.begin(), message_ids.end())](
             const std::vector<ReceivedMessage>& collected) {
    std::size_t seen = 0;
    for (const auto& message : collected)
      seen += wanted.count(message.message_id);
    return seen == wanted.size();
  };
}

}  // namespace rawfeed::queue::sqs
