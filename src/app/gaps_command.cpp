// `rawfeed gaps`: which (symbol, day) objects a domain's bars table lacks, judged by the other
// symbols of each exchange group, and --fill: exactly those fetched as one `rawfeed run` batch
// planned per symbol.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <set>

#include "app/aws_backends.h"
#include "app/backend_factory.h"
#include "app/commands.h"
#include "app/domain_gaps.h"
#include "app/domain_loading.h"
#include "app/log_file.h"
#include "app/signal_watcher.h"
#include "audit/gap_report_format.h"
#include "core/random.h"

namespace rawfeed::app {

namespace {

// The lake alone, with the AWS side when it is on S3: all an audit reads. The lake is destroyed
// before the AWS side it may be built on.
struct GapsLake {
  std::unique_ptr<AwsBackends> aws;
  std::unique_ptr<store::ObjectStore> lake;
};

core::Result<GapsLake> openGapsLake(const config::DomainConfig& domain, core::Random& random,
                                    observe::Logger& logger) {
  GapsLake opened;
  const core::Clock& clock = core::systemClock();
  if (needsAws(domain.lake)) {
    auto aws = AwsBackends::open(clock);
    if (!aws.ok())
      return aws.error();
    opened.aws = std::move(aws).value();
  }
  auto lake = openLake({domain, clock, random, logger, opened.aws.get()});
  if (!lake.ok())
    return lake.error();
  opened.lake = std::move(lake).value();
  return opened;
}

// The audit and, with --fill, its plan; what the command prints and what a fill runs.
struct GapsOutcome {
  config::DomainConfig domain;
  audit::GapReport report;
  std::optional<audit::FillPlan> plan;
};

core::Status checkGapsFlags(const CommandOptions& options) {
  if (options.dry_run && !options.fill)
    return core::invalidInput("--dry-run goes with --fill (the audit alone changes nothing)");
  if (options.json && options.fill && !options.dry_run) {
    return core::invalidInput(
        "--json goes with --fill only as --fill --dry-run: a fill prints the run's summary");
  }
  return core::okStatus();
}

core::Result<GapsOutcome> auditGaps(const CommandOptions& options) {
  auto loaded = loadDomain(options);
  if (!loaded.ok())
    return loaded.error();
  auto logger = openLogger(loaded->domain.state_dir, options.log_level, ConsoleEcho::kWarnings);
  if (!logger.ok())
    return logger.error();
  auto scope = gapScopeFor(loaded->domain, {options.symbols, options.universe, options.start,
                                            options.end, options.interval});
  if (!scope.ok())
    return scope.error();
  for (const auto& rejected : scope->rejected)
    std::cerr << fmt::format("rawfeed: not audited: {}: {}\n", rejected.symbol, rejected.reason);
  core::SystemRandom random;
  auto lake = openGapsLake(loaded->domain, random, **logger);
  if (!lake.ok())
    return lake.error();
  const auto started = std::chrono::steady_clock::now();
  auto report = audit::auditLake(*lake->lake, scope->scope);
  if (!report.ok())
    return report.error();
  (*logger)->log(
      observe::Level::kInfo, "gaps_audited",
      {{"domain", report->domain},
       {"table", report->table_name},
       {"interval", report->interval},
       {"objects", report->objects},
       {"symbols", static_cast<std::int64_t>(report->symbols.size())},
       {"symbols_with_gaps", report->symbolsWithGaps()},
       {"missing_days", report->missingDays()},
       {"never_landed", static_cast<std::int64_t>(report->never_landed.size())},
       {"seconds",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
  GapsOutcome outcome{loaded->domain, std::move(report).value(), std::nullopt};
  if (options.fill) {
    auto split = windowSplitterFor(outcome.domain.data_source, outcome.report.interval,
                                   core::systemClock().now());
    if (!split.ok())
      return split.error();
    outcome.plan = audit::planFill(outcome.report, *split);
  }
  return outcome;
}

// The run of a fill: the command line's domain flags as given, the plan's symbols with the span
// of its windows as the batch's start and end (a trigger needs dates; the chunks follow the
// windows), and the windows themselves set on the batch.
CommandOptions fillRunOptions(const CommandOptions& options, const GapsOutcome& outcome) {
  CommandOptions run = options;
  std::vector<std::string> symbols;
  for (const auto& symbol : outcome.plan->symbols) {
    if (!symbol.windows.empty())
      symbols.push_back(symbol.symbol);
  }
  run.symbols = std::move(symbols);
  run.universe.reset();
  run.period.reset();
  run.fetch.reset();
  const audit::DayRange span = outcome.plan->span();
  run.start = span.start;
  run.end = span.end;
  run.interval = outcome.report.interval;
  run.symbol_windows = symbolWindowsOf(*outcome.plan);
  run.dry_run = false;
  return run;
}

int auditExitCode(const audit::GapReport& report) {
  return report.missingDays() > 0 ? kExitGaps : kExitOk;
}

}  // namespace

int gapsCommand(const CommandOptions& options) {
  // A fill runs the worker pool, whose threads must inherit the blocked mask.
  SignalWatcher::blockStopSignals();
  if (auto flags = checkGapsFlags(options); !flags.ok())
    return reportFailure(flags.error());
  auto outcome = auditGaps(options);
  if (!outcome.ok())
    return reportFailure(outcome.error());
  const audit::GapReport& report = outcome->report;
  if (!options.fill) {
    std::cout << (options.json ? audit::gapReportJson(report) + "\n"
                               : audit::formatGapTable(report));
    return auditExitCode(report);
  }
  const audit::FillPlan& plan = *outcome->plan;
  if (options.json) {  // --fill --dry-run --json
    std::cout << audit::gapReportJson(report, &plan) << "\n";
    return auditExitCode(report);
  }
  std::cout << audit::formatGapTable(report) << audit::formatFillPlan(plan);
  if (options.dry_run) {
    std::cout << "dry run: nothing was registered or sent\n";
    return auditExitCode(report);
  }
  if (plan.empty()) {
    std::cout << "nothing to fill\n";
    return auditExitCode(report);
  }
  std::cout.flush();
  return runCommand(fillRunOptions(options, *outcome));
}

}  // namespace rawfeed::app
