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
  // "incremental" or "period" (rawfeed's own): whether to fetch only what the lake lacks.
  std::optional<std::string> fetch;
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

// One symbol's fetch window in a batch planned per symbol (incremental fetches, gap fills): the
// inclusive days [start, end] in `time_zone` (IANA; empty: UTC). Both dates empty: the batch's
// period.
struct SymbolWindow {
  std::string symbol;
  std::string start, end;
  std::string time_zone{};

  bool operator==(const SymbolWindow&) const = default;
};

// A trigger with every field decided: what one batch will do.
struct BatchRequest {
  std::string data_source, data_type, domain, table_name;
  std::string period;      // empty when start/end are given
  std::string start, end;  // YYYY-MM-DD, inclusive; empty for a period
  // The zone start/end are days of (IANA): set by an incremental plan to the exchange's, so a
  // window starts at the local midnight after the watermark. Empty: UTC.
  std::string window_time_zone{};
  std::string interval, file_format, trigger_type, batch_id, batch_ds, correlation_id;
  core::Compression compression = core::Compression::kNone;
  int compression_level = 0;  // within core::compressionLevels(compression)
  bool overwrite = false;
  // Ask each symbol only for the days after its watermark (config `fetch`, trigger `fetch`): the
  // batch starter turns it into symbol_windows. Not a message field.
  bool incremental = false;
  std::optional<std::vector<std::string>> symbols;  // given: use exactly these
  // A backfill split into the windows the source serves (inclusive [start, end] dates); each
  // window of each chunk of symbols is one message. Empty: one window, [start, end] as given.
  std::vector<std::pair<std::string, std::string>> windows;
  // The domain's corporate-actions table (config `corporate_actions_table`); empty when the
  // domain writes none (`corporate_actions = false`). Not a trigger field.
  std::string corporate_actions_table{};
  // A batch planned per symbol: when set, it fetches exactly these windows and nothing else (a
  // symbol may have several; symbols sharing a window share chunk messages), instead of every
  // symbol over `windows` or the period. `up_to_date` are symbols an incremental plan did not
  // ask for at all, because the lake already holds every session that has closed for them.
  std::optional<std::vector<SymbolWindow>> symbol_windows{};
  std::vector<std::string> up_to_date{};
};

// Fills the gaps from the domain's configuration and validates the result (contracts §1): an
// unknown interval or period, a malformed date, end before start, a domain that does not match.
core::Result<BatchRequest> resolveTrigger(const TriggerEvent& trigger,
                                          const config::DomainConfig& domain,
                                          const core::Clock& clock, core::Random& random);

// Today's date in `time_zone` (IANA name), YYYY-MM-DD.
core::Result<std::string> todayIn(const std::string& time_zone, core::SystemTime now);

}  // namespace rawfeed::pipeline
