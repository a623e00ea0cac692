#include "app/domain_gaps.h"

#include "core/time_format.h"
#include "sources/source_registry.h"
#include "universe/universe_file.h"

namespace rawfeed::app {

namespace {

core::Status checkGapDay(const std::optional<std::string>& day, const char* flag) {
  if (day && !core::parseDate(*day)) {
    return core::invalidInput(std::string(flag) + " '" + *day +
                              "' is not a calendar date YYYY-MM-DD");
  }
  return core::okStatus();
}

// The universe as written: the selection's, else the domain's inline list or file.
core::Result<std::vector<std::string>> gapUniverse(const config::DomainConfig& domain,
                                                   const GapSelection& selection) {
  if (selection.symbols)
    return *selection.symbols;
  if (selection.universe)
    return universe::readUniverseFile(*selection.universe);
  if (!domain.symbols.empty())
    return domain.symbols;
  return universe::readUniverseFile(domain.universe_file);
}

}  // namespace

core::Result<DomainGapScope> gapScopeFor(const config::DomainConfig& domain,
                                         const GapSelection& selection) {
  if (selection.symbols && selection.universe)
    return core::invalidInput("--symbols and --universe exclude each other");
  if (auto valid = checkGapDay(selection.start, "--start"); !valid.ok())
    return valid.error();
  if (auto valid = checkGapDay(selection.end, "--end"); !valid.ok())
    return valid.error();
  if (selection.start && selection.end && *selection.end < *selection.start) {
    return core::invalidInput("--end " + *selection.end + " is before --start " + *selection.start);
  }
  auto source = sources::sourceNamed(domain.data_source);
  if (!source.ok())
    return source.error();
  auto raw = gapUniverse(domain, selection);
  if (!raw.ok())
    return raw.error();

  DomainGapScope gaps;
  auto& scope = gaps.scope;
  scope.domain = domain.name;
  scope.table_name = domain.table_name;
  scope.interval = selection.interval.value_or(domain.interval);
  scope.data_source = domain.data_source;
  scope.start = selection.start;
  scope.end = selection.end;
  scope.only_universe = selection.symbols.has_value() || selection.universe.has_value();
  for (const auto& symbol : *raw) {
    auto normalized = (*source)->normalizeSymbol(symbol);
    if (normalized.ok()) {
      scope.universe.push_back(std::move(normalized).value());
    } else {
      gaps.rejected.push_back({symbol, normalized.error().message});
    }
  }
  return gaps;
}

core::Result<audit::WindowSplitter> windowSplitterFor(const std::string& data_source,
                                                      const std::string& interval,
                                                      core::SystemTime now) {
  auto source = sources::sourceNamed(data_source);
  if (!source.ok())
    return source.error();
  const sources::SourceDescriptor* descriptor = *source;  // registered for the process's life
  return audit::WindowSplitter(
      [descriptor, interval,
       now](const audit::DayRange& range) -> core::Result<std::vector<audit::DayRange>> {
        auto windows = descriptor->splitBackfill(interval, {range.start, range.end}, now);
        if (!windows.ok())
          return windows.error();
        std::vector<audit::DayRange> out;
        for (const auto& window : *windows)
          out.push_back({window.start, window.end});
        return out;
      });
}

std::vector<pipeline::SymbolWindow> symbolWindowsOf(const audit::FillPlan& plan) {
  std::vector<pipeline::SymbolWindow> windows;
  for (const auto& symbol : plan.symbols) {
    for (const auto& window : symbol.windows)
      windows.push_back({symbol.symbol, window.start, window.end, ""});
  }
  return windows;
}

}  // namespace rawfeed::app
