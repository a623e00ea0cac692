#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/compression.h"
#include "core/random.h"
#include "core/result.h"

namespace rawfeed::pipeline {

// contracts §1 as it arrives: every field optional. `compression` (with the older `gzip`) and
// `overwrite` are rawfeed's own additions (the AWS-native version fixed them per deployment).
struct TriggerEvent {
  std::optional<std::string> data_source, data_type, domain, table_name, period, start, end,
      interval, file_format, trigger_type, batch_id, batch_ds, correlation_id;
  std::optional<std::vector<std::string>> symbols;
  std::optional<bool> gzip, overwrite;
  // "none", "gzip" or "zstd"; wins over `gzip`, which it must not contradict (parse refuses
  // `"gzip": true` with another compression, and `"gzip": false` with "gzip").
  std::optional<core::Compression> compression;
};

// Parses a trigger event, or an EventBridge envelope whose `detail` is one. Errors name the
// field and the rule broken; unknown fields are errors too (a typo must not pass silently).
core::Result<TriggerEvent> parseTriggerEvent(std::string_view json);

// The same for the detail of an event from another system (the event-driven pattern): fields
// that are not trigger fields belong to that system and are ignored; the known ones must obey
// the rules.
core::Result<TriggerEvent> parseEventDetail(std::string_view json);

// A trigger with every field decided: what one batch will do.
struct BatchRequest {
  std::string data_source, data_type, domain, table_name;
  std::string period;      // empty when start/end are given
  std::string start, end;  // YYYY-MM-DD, inclusive; empty for a period
  std::string interval, file_format, trigger_type, batch_id, batch_ds, correlation_id;
  core::Compression compression = core::Compression::kNone;
  int compression_level = 0;  // within core::compressionLevels(compression)
  bool overwrite = false;
  std::optional<std::vector<std::string>> symbols;  // given: use exactly these
  // A backfill split into the windows the source serves (inclusive [start, end] dates); each
  // window of each chunk of symbols is one message. Empty: one window, [start, end] as given.
  std::vector<std::pair<std::string, std::string>> windows;
  // The domain's corporate-actions table (config `corporate_actions_table`); empty when the
  // domain writes none (`corporate_actions = false`). Not a trigger field.
  std::string corporate_actions_table{};
};

// Fills the gaps from the domain's configuration and validates the result (contracts §1): an
// unknown interval or period, a malformed date, end before start, a domain that does not match.
core::Result<BatchRequest> resolveTrigger(const TriggerEvent& trigger,
                                          const config::DomainConfig& domain,
                                          const core::Clock& clock, core::Random& random);

// Today's date in `time_zone` (IANA name), YYYY-MM-DD.
core::Result<std::string> todayIn(const std::string& time_zone, core::SystemTime now);

}  // namespace rawfeed::pipeline
