#include "audit/gap_audit.h"

#include <algorithm>
#include <limits>
#include <set>

#include "audit/exchange_group.h"
#include "core/time_format.h"
#include "lake/raw_key.h"

namespace rawfeed::audit {

namespace {

core::Result<std::optional<std::int64_t>> gapAuditBound(const std::optional<std::string>& text,
                                                        const char* name) {
  if (!text)
    return std::optional<std::int64_t>();
  const auto day = core::parseDate(*text);
  if (!day) {
    return core::invalidInput(std::string(name) + " '" + *text + "' is not a date YYYY-MM-DD");
  }
  return std::optional<std::int64_t>(*day);
}

void gapAuditSortUnique(std::vector<std::int64_t>& days) {
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
}

// Each group's trading days: every day on which any of its symbols has an object.
std::map<std::string, std::vector<std::int64_t>> gapAuditGroupDays(const LakeDays& days) {
  std::map<std::string, std::vector<std::int64_t>> groups;
  for (const auto& [symbol, own] : days) {
    auto& group = groups[exchangeGroup(symbol)];
    group.insert(group.end(), own.begin(), own.end());
  }
  for (auto& [name, group] : groups)
    gapAuditSortUnique(group);
  return groups;
}

SymbolGaps gapAuditSymbol(const std::string& symbol, const std::vector<std::int64_t>& own,
                          const std::vector<std::int64_t>& group, std::int64_t from,
                          std::int64_t to) {
  SymbolGaps gaps;
  gaps.symbol = symbol;
  gaps.group = exchangeGroup(symbol);
  gaps.first_day = core::formatDate(own.front());
  gaps.last_day = core::formatDate(own.back());
  const std::int64_t lo = std::max(own.front(), from);
  const std::int64_t hi = std::min(own.back(), to);
  if (lo > hi)
    return gaps;
  const auto group_begin = std::lower_bound(group.begin(), group.end(), lo);
  const auto group_end = std::upper_bound(group.begin(), group.end(), hi);
  // Walk the group's trading days in range: a day the symbol lacks extends the current run, one
  // it has ends it.
  auto own_it = std::lower_bound(own.begin(), own.end(), lo);
  bool in_run = false;
  for (auto it = group_begin; it != group_end; ++it) {
    while (own_it != own.end() && *own_it < *it)
      ++own_it;
    const bool has = own_it != own.end() && *own_it == *it;
    if (has) {
      in_run = false;
      continue;
    }
    const std::string day = core::formatDate(*it);
    gaps.missing.push_back(day);
    if (in_run) {
      gaps.missing_ranges.back().end = day;
    } else {
      gaps.missing_ranges.push_back({day, day});
      in_run = true;
    }
  }
  return gaps;
}

}  // namespace

std::int64_t GapReport::symbolsWithGaps() const {
  return std::count_if(symbols.begin(), symbols.end(),
                       [](const SymbolGaps& s) { return !s.missing.empty(); });
}

std::int64_t GapReport::missingDays() const {
  std::int64_t total = 0;
  for (const auto& s : symbols)
    total += static_cast<std::int64_t>(s.missing.size());
  return total;
}

std::string tablePrefix(const GapAuditScope& scope) {
  // The partition prefix up to its date segments, so the layout is raw_key's alone.
  const std::string partition = lake::partitionPrefix(
      {scope.domain, scope.table_name, scope.interval, scope.data_source, "2000-01-01"});
  return partition.substr(0, partition.rfind("/year=") + 1);
}

core::Result<GapReport> findGaps(const GapAuditScope& scope, LakeDays days) {
  auto from = gapAuditBound(scope.start, "start");
  if (!from.ok())
    return from.error();
  auto to = gapAuditBound(scope.end, "end");
  if (!to.ok())
    return to.error();
  if (*from && *to && **to < **from) {
    return core::invalidInput("end " + *scope.end + " is before start " + *scope.start);
  }
  for (auto& [symbol, own] : days)
    gapAuditSortUnique(own);
  std::erase_if(days, [](const auto& entry) { return entry.second.empty(); });

  GapReport report;
  report.domain = scope.domain;
  report.table_name = scope.table_name;
  report.interval = scope.interval;
  report.data_source = scope.data_source;
  report.start = scope.start;
  report.end = scope.end;
  const auto groups = gapAuditGroupDays(days);
  const std::set<std::string> universe(scope.universe.begin(), scope.universe.end());
  const std::int64_t lo = from->value_or(std::numeric_limits<std::int64_t>::min());
  const std::int64_t hi = to->value_or(std::numeric_limits<std::int64_t>::max());
  for (const auto& [symbol, own] : days) {
    if (scope.only_universe && universe.count(symbol) == 0)
      continue;
    report.symbols.push_back(gapAuditSymbol(symbol, own, groups.at(exchangeGroup(symbol)), lo, hi));
  }
  for (const auto& symbol : universe) {
    if (days.count(symbol) == 0)
      report.never_landed.push_back(symbol);
  }
  return report;
}

core::Result<GapReport> auditLake(store::ObjectStore& lake, const GapAuditScope& scope) {
  const std::string prefix = tablePrefix(scope);
  auto listed = lake.list(prefix);
  if (!listed.ok())
    return listed.error();
  LakeDays days;
  std::int64_t objects = 0;
  std::int64_t foreign = 0;
  for (const auto& info : *listed) {
    auto parsed = lake::parseKey(info.key);
    if (!parsed.ok()) {
      ++foreign;
      continue;
    }
    if (parsed->kind == lake::KeyKind::kManifest)
      continue;
    ++objects;
    days[parsed->symbol].push_back(*core::parseDate(parsed->partition.day));
  }
  auto report = findGaps(scope, std::move(days));
  if (!report.ok())
    return report.error();
  report->lake = lake.location();
  report->objects = objects;
  report->foreign_keys = foreign;
  return report;
}

}  // namespace rawfeed::audit
