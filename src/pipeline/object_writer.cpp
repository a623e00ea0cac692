#include "pipeline/object_writer.h"

#include <map>

#include "lake/object_description.h"
#include "lake/raw_key.h"
#include "lake/raw_object.h"

namespace rawfeed::pipeline {
namespace {

// Puts `symbol`'s encoded object of `partition` (its day set; `table` empty for the bars')
// create-only unless overwriting, and describes it for the manifest: an object left in place is
// described from its stored bytes.
core::Result<tracker::ObjectEntry> landObject(store::ObjectStore& store, const ObjectLayout& layout,
                                              WriteDurability durability, lake::Format format,
                                              const lake::PartitionKey& partition,
                                              const std::string& symbol, const std::string& table,
                                              core::Result<lake::RawObject> encoded) {
  if (!encoded.ok())
    return encoded.error();
  const lake::RawObject& object = *encoded;
  tracker::ObjectEntry entry;
  entry.table = table;
  entry.symbol = symbol;
  entry.key = lake::objectKey(partition, symbol, format, layout.compression);
  entry.day = partition.day;
  store::PutOptions options;
  options.mode = layout.overwrite ? store::PutMode::kOverwrite : store::PutMode::kCreateOnly;
  options.content_type = std::string(object.content_type);
  options.content_encoding = std::string(object.content_encoding);
  options.durable_on_return = durability == WriteDurability::kEachPut;
  auto put = store.put(entry.key, object.bytes, options);
  if (!put.ok())
    return put.error();
  lake::ObjectDescription description = object.description;
  if (*put == store::PutOutcome::kAlreadyExists) {
    auto existing = store.get(entry.key);
    if (!existing.ok())
      return existing.error();
    auto described = lake::describeObject(*existing, format, layout.compression);
    if (!described.ok()) {
      return core::makeError(
          core::ErrorCode::kInternal,
          "existing object " + entry.key + " cannot be read back: " + described.error().message);
    }
    description = *described;
  }
  entry.written = *put == store::PutOutcome::kWritten;
  entry.records = static_cast<std::int64_t>(description.records);
  entry.bytes = static_cast<std::int64_t>(description.bytes);
  entry.sha256 = description.sha256;
  return entry;
}

}  // namespace

core::Result<std::vector<tracker::ObjectEntry>> ObjectWriter::write(
    const ObjectLayout& layout, const std::string& symbol,
    const std::vector<core::DayRecords>& days) {
  auto format = lake::parseFormat(layout.file_format);
  if (!format.ok())
    return format.error();
  std::vector<tracker::ObjectEntry> entries;
  entries.reserve(days.size());
  lake::PartitionKey partition{layout.domain, layout.table_name, layout.interval,
                               layout.data_source, ""};
  for (const auto& day : days) {
    if (day.records.empty())
      continue;
    // A source's day is checked here too, before it names a key: a bad one fails the symbol
    // and writes nothing (a key built from it could collide with another day's and lose bars).
    if (auto valid = lake::validateDay(day.day); !valid.ok()) {
      return core::makeError(core::ErrorCode::kInternal,
                             "refusing to write " + symbol + ": " + valid.error().message);
    }
    partition.day = day.day;
    auto landed = landObject(store_, layout, durability_, *format, partition, symbol, "",
                             lake::encodeObject(symbol, day.records, *format, layout.compression,
                                                layout.compression_level));
    if (!landed.ok())
      return landed.error();
    entries.push_back(std::move(landed).value());
  }
  return entries;
}

core::Result<std::vector<tracker::ObjectEntry>> ObjectWriter::writeActions(
    const ObjectLayout& layout, const std::string& symbol,
    const std::vector<core::CorporateAction>& actions) {
  std::vector<tracker::ObjectEntry> entries;
  if (layout.actions_table.empty() || actions.empty())
    return entries;
  auto format = lake::parseFormat(layout.file_format);
  if (!format.ok())
    return format.error();
  std::map<std::string, std::vector<core::CorporateAction>> by_day;
  for (const auto& action : actions) {
    // As for the bars: a bad day never names a key.
    if (auto valid = lake::validateDay(action.day); !valid.ok()) {
      return core::makeError(
          core::ErrorCode::kInternal,
          "refusing to write " + symbol + "'s corporate actions: " + valid.error().message);
    }
    by_day[action.day].push_back(action);
  }
  lake::PartitionKey partition{layout.domain, layout.actions_table, layout.interval,
                               layout.data_source, ""};
  for (const auto& [day, day_actions] : by_day) {
    partition.day = day;
    auto landed =
        landObject(store_, layout, durability_, *format, partition, symbol, layout.actions_table,
                   lake::encodeActionsObject(symbol, day_actions, *format, layout.compression,
                                             layout.compression_level));
    if (!landed.ok())
      return landed.error();
    entries.push_back(std::move(landed).value());
  }
  return entries;
}

}  // namespace rawfeed::pipeline
