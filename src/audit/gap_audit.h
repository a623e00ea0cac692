#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/object_store.h"

namespace rawfeed::audit {

// What to audit: one table of a domain at one interval and source — the lake's prefix
// `{domain}/{table_name}/interval=../data_source=../` (contracts §4) — optionally clipped to the
// days [start, end] (inclusive, YYYY-MM-DD).
struct GapAuditScope {
  std::string domain, table_name, interval, data_source;
  std::optional<std::string> start, end;
  // Symbols in the source's notation (as keys hold them, decoded): the ones of these with no
  // object at all are reported as never landed.
  std::vector<std::string> universe;
  // True: only the universe's symbols are reported (--symbols, --universe); false: every symbol
  // the table holds. The trading days of a group are always learnt from every symbol.
  bool only_universe = false;
};

// Inclusive days [start, end], YYYY-MM-DD.
struct DayRange {
  std::string start, end;

  bool operator==(const DayRange&) const = default;
};

// One symbol's account. first_day and last_day are its own first and last object in the table
// (not clipped); `missing` are the days in [first_day, last_day] ∩ [start, end] on which another
// symbol of its group has an object and it has none, ascending. `missing_ranges` are the same
// days as runs on the group's calendar: missing days with no trading day of the group between
// them that the symbol has (a weekend or a holiday does not break a run).
struct SymbolGaps {
  std::string symbol;
  std::string group;  // exchangeGroup(symbol)
  std::string first_day, last_day;
  std::vector<std::string> missing;
  std::vector<DayRange> missing_ranges;

  bool operator==(const SymbolGaps&) const = default;
};

struct GapReport {
  std::string domain, table_name, interval, data_source;
  std::string lake;  // ObjectStore::location()
  std::optional<std::string> start, end;
  std::vector<SymbolGaps> symbols;        // every symbol audited, by symbol
  std::vector<std::string> never_landed;  // universe symbols without any object, sorted
  std::int64_t objects = 0;               // the table's objects listed (every encoding)
  // Keys under the table's prefix that are no object of its layout (foreign files); not counted.
  std::int64_t foreign_keys = 0;

  std::int64_t symbolsWithGaps() const;
  std::int64_t missingDays() const;
};

// The table's objects as the audit sees them: symbol → the days it has an object for (days since
// 1970-01-01, core::parseDate), in any order, repeats allowed. The encoding (.json/.csv,
// none/.gz/.zst) does not matter: two encodings of one day are one day.
using LakeDays = std::map<std::string, std::vector<std::int64_t>>;

// The table's prefix, with its trailing '/': what auditLake lists.
std::string tablePrefix(const GapAuditScope& scope);

// The pure part: the report of the table holding `days` under `scope` (start/end must be valid
// dates, start not after end; kInvalidInput naming them otherwise). The report's lake and counts of
// keys are left to the caller.
core::Result<GapReport> findGaps(const GapAuditScope& scope, LakeDays days);

// Lists the table's prefix (one ObjectStore::list, paginated by the store), reads every key with
// lake::parseKey — manifests and foreign keys are skipped, counted as foreign — and reports. The
// store's error when the listing fails. Costs one LIST request per 1,000 keys on S3: the whole
// table is listed whatever start/end are, since a symbol's first and last day may lie outside.
core::Result<GapReport> auditLake(store::ObjectStore& lake, const GapAuditScope& scope);

}  // namespace rawfeed::audit
