#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audit/fill_plan.h"
#include "audit/gap_audit.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/result.h"
#include "pipeline/batch_request.h"
#include "universe/symbol.h"

namespace rawfeed::app {

// Which symbols and days a gap audit of a domain covers: the command line over the domain's
// configuration. Unset fields take the domain's.
struct GapSelection {
  std::optional<std::vector<std::string>> symbols;
  std::optional<std::filesystem::path> universe;
  std::optional<std::string> start, end, interval;
};

struct DomainGapScope {
  audit::GapAuditScope scope;
  // Symbols the source's notation refused: not audited, reported.
  std::vector<universe::RejectedSymbol> rejected;
};

// The audit of the domain's bars table (table_name, data_source, the selection's interval or
// the domain's), start and end checked as dates, and its universe in the source's notation: the
// selection's symbols or universe file (then only those are reported), else the domain's (for
// the symbols never landed). kInvalidInput for a bad date, --symbols with --universe, an
// unknown source; the universe file's own error when it cannot be read.
core::Result<DomainGapScope> gapScopeFor(const config::DomainConfig& domain,
                                         const GapSelection& selection);

// The source's history limits for `interval` at `now` (SourceDescriptor::splitBackfill) as the
// fill plan's splitter. kInvalidInput for an unknown source.
core::Result<audit::WindowSplitter> windowSplitterFor(const std::string& data_source,
                                                      const std::string& interval,
                                                      core::SystemTime now);

// The plan as a batch's per-symbol windows: UTC days (time_zone empty), in the plan's order.
std::vector<pipeline::SymbolWindow> symbolWindowsOf(const audit::FillPlan& plan);

}  // namespace rawfeed::app
