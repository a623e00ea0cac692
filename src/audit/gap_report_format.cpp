#include "audit/gap_report_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace rawfeed::audit {

namespace {

// Members in the order written, which is the documented one.
using GapJson = nlohmann::ordered_json;

GapJson gapFormatRangeJson(const DayRange& range) {
  return {{"start", range.start}, {"end", range.end}};
}

GapJson gapFormatOptional(const std::optional<std::string>& value) {
  return value ? GapJson(*value) : GapJson(nullptr);
}

GapJson gapFormatPlanJson(const FillPlan& plan) {
  GapJson symbols = GapJson::array();
  for (const auto& s : plan.symbols) {
    GapJson windows = GapJson::array();
    for (const auto& w : s.windows)
      windows.push_back(gapFormatRangeJson(w));
    symbols.push_back({{"symbol", s.symbol},
                       {"windows", std::move(windows)},
                       {"unreachable", s.unreachable},
                       {"unreachable_reason", s.unreachable_reason}});
  }
  GapJson fill = GapJson::object();
  fill["requests"] = plan.requests();
  fill["unreachable_days"] = plan.unreachableDays();
  fill["symbols"] = std::move(symbols);
  return fill;
}

std::string gapFormatScope(const GapReport& report) {
  std::string range = "every day";
  if (report.start || report.end) {
    range = fmt::format("days {} to {}", report.start.value_or("the first"),
                        report.end.value_or("the last"));
  }
  return fmt::format("{}/{} interval={} data_source={} in {}, {}", report.domain, report.table_name,
                     report.interval, report.data_source, report.lake, range);
}

}  // namespace

std::string formatRange(const DayRange& range) {
  if (range.start == range.end)
    return range.start;
  return range.start + ".." + range.end;
}

std::string formatRanges(const std::vector<DayRange>& ranges) {
  std::string out;
  for (const auto& range : ranges) {
    if (!out.empty())
      out += ", ";
    out += formatRange(range);
  }
  return out;
}

std::string formatGapTable(const GapReport& report) {
  std::string out = "gaps in " + gapFormatScope(report) + "\n";
  std::size_t width = 6;
  for (const auto& s : report.symbols) {
    if (!s.missing.empty())
      width = std::max(width, s.symbol.size());
  }
  if (report.symbolsWithGaps() > 0) {
    out += fmt::format("  {:<{}}  {:<8}  {:<10}  {:<10}  {:>7}  {}\n", "symbol", width, "group",
                       "first", "last", "missing", "days");
    for (const auto& s : report.symbols) {
      if (s.missing.empty())
        continue;
      out += fmt::format("  {:<{}}  {:<8}  {:<10}  {:<10}  {:>7}  {}\n", s.symbol, width, s.group,
                         s.first_day, s.last_day, s.missing.size(), formatRanges(s.missing_ranges));
    }
  }
  if (!report.never_landed.empty()) {
    std::string names;
    for (const auto& symbol : report.never_landed)
      names += (names.empty() ? "" : ", ") + symbol;
    out += fmt::format("  never landed ({}): {}\n", report.never_landed.size(), names);
  }
  out += fmt::format(
      "{} symbols checked ({} objects): {} with gaps, {} missing days; {} never landed{}\n",
      report.symbols.size(), report.objects, report.symbolsWithGaps(), report.missingDays(),
      report.never_landed.size(),
      report.foreign_keys > 0
          ? fmt::format("; {} keys that are no raw object ignored", report.foreign_keys)
          : std::string());
  return out;
}

std::string gapReportJson(const GapReport& report, const FillPlan* plan) {
  GapJson symbols = GapJson::array();
  for (const auto& s : report.symbols) {
    GapJson ranges = GapJson::array();
    for (const auto& r : s.missing_ranges)
      ranges.push_back(gapFormatRangeJson(r));
    GapJson entry = GapJson::object();
    entry["symbol"] = s.symbol;
    entry["group"] = s.group;
    entry["first_day"] = s.first_day;
    entry["last_day"] = s.last_day;
    entry["missing"] = s.missing;
    entry["missing_ranges"] = std::move(ranges);
    symbols.push_back(std::move(entry));
  }
  GapJson totals = GapJson::object();
  totals["symbols"] = static_cast<std::int64_t>(report.symbols.size());
  totals["symbols_with_gaps"] = report.symbolsWithGaps();
  totals["missing_days"] = report.missingDays();
  totals["never_landed"] = static_cast<std::int64_t>(report.never_landed.size());
  totals["objects"] = report.objects;
  totals["foreign_keys"] = report.foreign_keys;

  GapJson document = GapJson::object();
  document["schema"] = "rawfeed.gaps/1";
  document["domain"] = report.domain;
  document["table"] = report.table_name;
  document["interval"] = report.interval;
  document["data_source"] = report.data_source;
  document["lake"] = report.lake;
  document["range"] = {{"start", gapFormatOptional(report.start)},
                       {"end", gapFormatOptional(report.end)}};
  document["symbols"] = std::move(symbols);
  document["never_landed"] = report.never_landed;
  document["totals"] = std::move(totals);
  if (plan != nullptr)
    document["fill"] = gapFormatPlanJson(*plan);
  return document.dump();
}

std::string formatFillPlan(const FillPlan& plan) {
  std::string out;
  std::size_t width = 6;
  for (const auto& s : plan.symbols)
    width = std::max(width, s.symbol.size());
  for (const auto& s : plan.symbols) {
    if (!s.windows.empty()) {
      out += fmt::format("  {:<{}}  {} missing day(s) in {} request(s): {}\n", s.symbol, width,
                         s.missing.size() - s.unreachable.size(), s.windows.size(),
                         formatRanges(s.windows));
    }
    if (!s.unreachable.empty()) {
      out += fmt::format("  {:<{}}  {} missing day(s) out of the source's reach ({}..{}): {}\n",
                         s.symbol, width, s.unreachable.size(), s.unreachable.front(),
                         s.unreachable.back(), s.unreachable_reason);
    }
  }
  std::int64_t symbols = 0;
  for (const auto& s : plan.symbols)
    symbols += s.windows.empty() ? 0 : 1;
  out += fmt::format(
      "fill plan: {} request(s) for {} symbol(s) (windows are inclusive UTC days, one day wider "
      "than the gaps on each side){}\n",
      plan.requests(), symbols,
      plan.unreachableDays() > 0
          ? fmt::format("; {} missing day(s) cannot be fetched", plan.unreachableDays())
          : std::string());
  return out;
}

}  // namespace rawfeed::audit
