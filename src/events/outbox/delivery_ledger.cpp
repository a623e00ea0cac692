#include "events/outbox/delivery_ledger.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rawfeed::events::outbox {

core::Result<std::vector<LoggedEvent>> readLoggedEvents(const std::filesystem::path& log_path) {
  std::vector<LoggedEvent> events;
  std::ifstream in(log_path, std::ios::binary);
  if (!in) {
    std::error_code error;
    if (!std::filesystem::exists(log_path, error) && !error)
      return events;
    return core::makeError(core::ErrorCode::kInternal,
                           "event log '" + log_path.string() + "' cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos)
      break;  // a torn last line is not an event
    events.push_back({start, text.substr(start, end - start)});
    start = end + 1;
  }
  return events;
}

core::Result<DeliveryLedger> DeliveryLedger::open(const std::filesystem::path& ledger_path,
                                                  const std::filesystem::path& log_path,
                                                  std::string_view sink) {
  DeliveryLedger ledger(ledger_path);
  auto lines = jsonl::readEvents(ledger_path);
  if (!lines.ok())
    return lines.error();
  if (lines->empty()) {
    std::error_code error;
    const auto size = std::filesystem::file_size(log_path, error);
    ledger.since_bytes_ = error ? 0 : static_cast<std::uint64_t>(size);
    nlohmann::ordered_json header;
    header["sink"] = sink;
    header["since_bytes"] = ledger.since_bytes_;
    if (auto written = ledger.file_->publish(header.dump()); !written.ok())
      return written.error();
    return ledger;
  }
  auto header = nlohmann::json::parse((*lines)[0], nullptr, /*allow_exceptions=*/false);
  if (!header.is_object() || !header.contains("since_bytes") ||
      !header["since_bytes"].is_number_unsigned()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           fmt::format("event delivery ledger '{}': the first line is not its "
                                       "header ({{\"sink\":…,\"since_bytes\":N}})",
                                       ledger_path.string()));
  }
  ledger.since_bytes_ = header["since_bytes"].get<std::uint64_t>();
  for (std::size_t i = 1; i < lines->size(); ++i)
    ledger.delivered_.insert((*lines)[i]);
  return ledger;
}

std::vector<LoggedEvent> DeliveryLedger::pending(const std::vector<LoggedEvent>& log) const {
  // A log shorter than the header's mark was replaced: every line is a candidate then.
  const std::uint64_t end = log.empty() ? 0 : log.back().offset + log.back().line.size() + 1;
  const std::uint64_t since = end < since_bytes_ ? 0 : since_bytes_;
  std::vector<LoggedEvent> out;
  std::unordered_set<std::string_view> seen;
  for (const auto& event : log) {
    if (event.offset < since || delivered_.count(event.line) > 0)
      continue;
    if (!seen.insert(event.line).second)
      continue;  // the same event logged twice: sent once
    out.push_back(event);
  }
  return out;
}

core::Status DeliveryLedger::markDelivered(const std::string& line) {
  if (auto written = file_->publish(line); !written.ok())
    return written;
  delivered_.insert(line);
  return core::okStatus();
}

}  // namespace rawfeed::events::outbox
