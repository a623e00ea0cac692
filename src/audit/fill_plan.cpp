#include "audit/fill_plan.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/time_format.h"

namespace rawfeed::audit {

namespace {

// Consecutive missing days [first, last].
struct MissingRun {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

std::vector<MissingRun> fillPlanRuns(const std::vector<std::int64_t>& days) {
  std::vector<MissingRun> runs;
  for (const auto day : days) {
    if (!runs.empty() && runs.back().last + 1 == day) {
      runs.back().last = day;
    } else {
      runs.push_back({day, day});
    }
  }
  return runs;
}

core::Result<std::vector<DayRange>> fillPlanSplit(const WindowSplitter& split, std::int64_t start,
                                                  std::int64_t end) {
  return split({core::formatDate(start), core::formatDate(end)});
}

// The first of `days` (ascending) from which the source reaches every later missing day, found
// by bisection on the rule that a later start is never refused where an earlier one is served;
// days.size() when none is reachable. `why` gets the refusal of the day before it.
std::size_t fillPlanFirstReachable(const std::vector<std::int64_t>& days,
                                   const WindowSplitter& split, std::string& why) {
  const std::int64_t end = days.back() + 1;
  std::size_t lo = 0;
  std::size_t hi = days.size();  // days[hi..] are reachable
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    auto windows = fillPlanSplit(split, days[mid] - 1, end);
    if (windows.ok()) {
      hi = mid;
    } else {
      why = windows.error().message;
      lo = mid + 1;
    }
  }
  return lo;
}

void fillPlanUnreachable(SymbolFill& fill, const std::vector<std::int64_t>& days, std::size_t from,
                         std::size_t to, const std::string& why) {
  for (std::size_t i = from; i < to; ++i)
    fill.unreachable.push_back(core::formatDate(days[i]));
  if (from < to)
    fill.unreachable_reason = why;
}

// Greedy from the oldest run: each window starts the day before the first run not yet fetched
// and takes every following run that fits whole (with its day after) in the first request the
// source allows from there — optimal for windows of a fixed reach.
void fillPlanWindows(SymbolFill& fill, std::vector<MissingRun> runs, const WindowSplitter& split) {
  std::size_t i = 0;
  while (i < runs.size()) {
    const std::int64_t start = runs[i].first - 1;
    auto pieces = fillPlanSplit(split, start, runs.back().last + 1);
    std::optional<std::int64_t> reach;
    if (pieces.ok() && !pieces->empty())
      reach = core::parseDate(pieces->front().end);
    if (!reach) {
      // Refused after all (a splitter breaking its rule): what is left is not fetched.
      for (std::size_t r = i; r < runs.size(); ++r) {
        for (std::int64_t day = runs[r].first; day <= runs[r].last; ++day)
          fill.unreachable.push_back(core::formatDate(day));
      }
      fill.unreachable_reason =
          pieces.ok() ? "the source split the range into no window" : pieces.error().message;
      return;
    }
    std::size_t j = i;
    while (j < runs.size() && runs[j].last + 1 <= *reach)
      ++j;
    if (j > i) {
      fill.windows.push_back({core::formatDate(start), core::formatDate(runs[j - 1].last + 1)});
      i = j;
      continue;
    }
    // One run longer than a request: cut it at the request's end. The day at the cut is whole in
    // this window (a session never runs past its own UTC date's end); the next window starts on
    // it, so the day after the cut has its day before.
    fill.windows.push_back({core::formatDate(start), core::formatDate(*reach)});
    runs[i].first = std::max(*reach + 1, runs[i].first + 1);
    if (runs[i].first > runs[i].last)
      ++i;
  }
}

SymbolFill fillPlanSymbol(const SymbolGaps& gaps, const WindowSplitter& split) {
  SymbolFill fill;
  fill.symbol = gaps.symbol;
  fill.missing = gaps.missing;
  std::vector<std::int64_t> days;
  for (const auto& text : gaps.missing) {
    if (const auto day = core::parseDate(text))
      days.push_back(*day);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  if (days.empty())
    return fill;
  std::string why;
  const std::size_t first = fillPlanFirstReachable(days, split, why);
  fillPlanUnreachable(fill, days, 0, first, why);
  if (first == days.size())
    return fill;
  fillPlanWindows(fill,
                  fillPlanRuns(std::vector<std::int64_t>(
                      days.begin() + static_cast<std::ptrdiff_t>(first), days.end())),
                  split);
  return fill;
}

}  // namespace

std::int64_t FillPlan::requests() const {
  std::int64_t total = 0;
  for (const auto& s : symbols)
    total += static_cast<std::int64_t>(s.windows.size());
  return total;
}

std::int64_t FillPlan::unreachableDays() const {
  std::int64_t total = 0;
  for (const auto& s : symbols)
    total += static_cast<std::int64_t>(s.unreachable.size());
  return total;
}

DayRange FillPlan::span() const {
  DayRange span;
  for (const auto& s : symbols) {
    for (const auto& w : s.windows) {
      if (span.start.empty() || w.start < span.start)
        span.start = w.start;
      if (span.end.empty() || w.end > span.end)
        span.end = w.end;
    }
  }
  return span;
}

FillPlan planFill(const GapReport& report, const WindowSplitter& split) {
  FillPlan plan;
  for (const auto& gaps : report.symbols) {
    if (!gaps.missing.empty())
      plan.symbols.push_back(fillPlanSymbol(gaps, split));
  }
  return plan;
}

}  // namespace rawfeed::audit
