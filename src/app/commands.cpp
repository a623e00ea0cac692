#include "app/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/aws_backends.h"
#include "app/batch_starter.h"
#include "app/cli_overrides.h"
#include "app/domain_loading.h"
#include "app/domain_runtime.h"
#include "app/log_file.h"
#include "app/memory_tuning.h"
#include "app/progress_reporter.h"
#include "app/run_summary.h"
#include "app/signal_watcher.h"
#include "app/worker_pool_options.h"
#include "events/outbox/outbox_event_sink.h"
#include "pipeline/batch_request.h"
#include "pipeline/orchestrator.h"
#include "pipeline/worker_pool.h"
#include "universe/universe_file.h"

namespace rawfeed::app {

namespace {

void printError(const std::string& message) {
  std::cerr << "rawfeed: " << message << "\n";
}

// What every pipeline command opens: the domain with its overrides, the log, the metrics and
// the backends. Members are destroyed in reverse: the runtime before the registry and the log.
struct CommandRuntime {
  std::unique_ptr<observe::JsonLinesLogger> logger;
  std::unique_ptr<observe::MetricsRegistry> registry;
  std::unique_ptr<DomainRuntime> runtime;
};

core::Status openCommandRuntime(const CommandOptions& options, CommandRuntime& opened) {
  auto loaded = loadDomain(options);
  if (!loaded.ok())
    return loaded.error();
  auto logger = openLogger(loaded->domain.state_dir, options.log_level, ConsoleEcho::kWarnings);
  if (!logger.ok())
    return logger.error();
  opened.logger = std::move(logger).value();
  opened.registry = std::make_unique<observe::MetricsRegistry>();
  auto runtime =
      DomainRuntime::open(loaded->config, loaded->domain, *opened.logger, *opened.registry);
  if (!runtime.ok())
    return runtime.error();
  opened.runtime = std::move(runtime).value();
  return core::okStatus();
}

core::Result<std::string> readDocument(const std::filesystem::path& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::makeError(core::ErrorCode::kNotFound, path.string() + " cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The trigger event: an --event document if given, with the flags on top.
core::Result<pipeline::TriggerEvent> triggerFromOptions(const CommandOptions& options) {
  pipeline::TriggerEvent trigger;
  if (options.event_file) {
    auto text = readDocument(*options.event_file);
    if (!text.ok())
      return text.error();
    auto parsed = pipeline::parseTriggerEvent(*text);
    if (!parsed.ok()) {
      return core::makeError(parsed.error().code,
                             options.event_file->string() + ": " + parsed.error().message);
    }
    trigger = *parsed;
  } else {
    trigger.trigger_type = "manual";
  }
  if (options.symbols && options.universe) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "--symbols and --universe exclude each other");
  }
  if (options.period && (options.start || options.end)) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "--period and --start/--end exclude each other");
  }
  if (options.symbols)
    trigger.symbols = options.symbols;
  if (options.universe) {
    auto entries = universe::readUniverseFile(*options.universe);
    if (!entries.ok())
      return entries.error();
    if (entries->empty()) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             options.universe->string() + ": the universe is empty");
    }
    trigger.symbols = std::move(entries).value();
  }
  if (options.period) {
    trigger.period = options.period;
    trigger.start.reset();
    trigger.end.reset();
  }
  if (options.start)
    trigger.start = options.start;
  if (options.end)
    trigger.end = options.end;
  if (options.interval)
    trigger.interval = options.interval;
  if (options.file_format)
    trigger.file_format = options.file_format;
  if (options.batch_id)
    trigger.batch_id = options.batch_id;
  if (options.batch_ds)
    trigger.batch_ds = options.batch_ds;
  if (options.correlation_id)
    trigger.correlation_id = options.correlation_id;
  if (auto status = applyCompressionFlags(options, trigger); !status.ok())
    return status.error();
  if (options.overwrite)
    trigger.overwrite = true;
  if (options.fetch)
    trigger.fetch = options.fetch;
  return trigger;
}

// The source's own probe (one cheap GET), so that a machine without network hears so in one line
// instead of thousands of failed symbols.
bool sourceReachable(DomainRuntime& runtime, std::string& why) {
  auto probe = runtime.source().probeRequest();
  if (!probe)
    return true;
  auto response = runtime.http().perform(*probe);
  if (response.ok())
    return true;
  why = response.error().message;
  return false;
}

// The batch the command line describes.
core::Result<PreparedBatch> prepareFromOptions(DomainRuntime& runtime,
                                               const CommandOptions& options) {
  auto trigger = triggerFromOptions(options);
  if (!trigger.ok())
    return trigger.error();
  auto batch = prepareBatch(runtime, *trigger);
  if (batch.ok() && options.symbol_windows)  // `gaps --fill`: exactly the windows it planned
    batch->request.symbol_windows = options.symbol_windows;
  return batch;
}

// --dry-run: the plan, and nothing registered or sent.
int printPlan(DomainRuntime& runtime, const PreparedBatch& batch) {
  auto plan = planBatch(runtime, batch);
  if (!plan.ok()) {
    return reportFailure(plan.error());
  }
  const auto& r = batch.request;
  std::cout << fmt::format(
      "dry run: batch {} (ds {}) of domain {}: {} symbols, {} rejected, {} "
      "chunk messages of up to {} symbols\n",
      r.batch_id, r.batch_ds, r.domain, plan->symbols.size(), plan->rejected.size(),
      plan->bodies.size(), runtime.domain().chunk_size);
  if (r.symbol_windows) {
    std::cout << fmt::format(
        "  incremental: {} symbols up to date (not asked), {} symbol windows in {} distinct "
        "window(s); a window without dates fetches the period {}\n",
        plan->up_to_date, r.symbol_windows->size(), plan->windows, r.period);
    const std::size_t shown = std::min<std::size_t>(r.symbol_windows->size(), 20);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& window = (*r.symbol_windows)[i];
      std::cout << fmt::format(
          "    {} {}\n", window.symbol,
          window.start.empty() ? "period " + r.period
                               : window.start + " .. " + window.end + " (" +
                                     (window.time_zone.empty() ? "UTC" : window.time_zone) + ")");
    }
    if (r.symbol_windows->size() > shown)
      std::cout << fmt::format("    … and {} more\n", r.symbol_windows->size() - shown);
  } else if (r.period.empty()) {
    std::cout << fmt::format("  {} {} to {} in {} window(s) of the {} interval's limits:\n",
                             "backfill", r.start, r.end, plan->windows, r.interval);
    for (const auto& [start, end] : r.windows)
      std::cout << "    " << start << " .. " << end << "\n";
  } else {
    std::cout << fmt::format("  period {} interval {}\n", r.period, r.interval);
  }
  for (const auto& rejected : plan->rejected) {
    std::cout << fmt::format("  rejected {}: {}\n", rejected.symbol, rejected.reason);
  }
  std::cout << "nothing was registered or sent\n";
  return kExitOk;
}

bool stderrIsTerminal() {
  return isatty(STDERR_FILENO) == 1;
}

// Works the queue off with a progress display until it drains (or a signal stops it). An error
// when the pool gave up because the queue, the tracker or the lake cannot be written.
std::optional<core::Error> workQueue(DomainRuntime& runtime, observe::JsonLinesLogger& logger,
                                     bool forever, std::int64_t total_symbols,
                                     std::optional<bool> progress) {
  pipeline::WorkerPool pool(
      runtime.queue(), runtime.worker(), runtime.clock(), logger,
      workerPoolOptions(runtime.domain(),
                        forever ? PoolLifetime::kForever : PoolLifetime::kUntilDrained));
  SignalWatcher signals(
      [&] {
        std::cerr << "\nrawfeed: stopping: no new deliveries; finishing the ones in progress "
                     "(press Ctrl-C again to abandon them — they will be redelivered)\n";
        pool.requestStop();
      },
      [&] { runtime.cancelSourceRequests(); });
  const bool show = progress.value_or(true);
  std::unique_ptr<ProgressReporter> reporter;
  if (show) {
    reporter = std::make_unique<ProgressReporter>(runtime.metrics(), total_symbols,
                                                  stderrIsTerminal() && !progress.has_value(),
                                                  [&runtime] { return runtime.sourcePause(); });
    logger.setConsoleWriter([&reporter](const std::string& line) { reporter->printLine(line); });
  }
  const ArenaTrimmer trimmer;
  pool.start();
  pool.join();
  if (reporter) {
    logger.setConsoleWriter(nullptr);
    reporter->stop();
  }
  return pool.fatalError();
}

// The one line a run that stopped on unwritable storage ends with.
void printStorageFailure(const core::Error& error) {
  printError(fmt::format(
      "stopped: {}. Nothing was lost: messages not acknowledged stay on the queue and come "
      "back. Free space or fix permissions, then run again (the same --batch-id completes the "
      "batch)",
      error.message));
}

// One line of stdout and one log event with what the AWS backends sent: the throttling a store
// or queue absorbed by retrying (S3 SlowDown, SQS ThrottlingException) is visible here rather
// than only as a slower run. Nothing when no backend is on AWS.
// What the source's governor saw: how hard the source pushed back and where the rate ended.
void reportSourceGovernor(DomainRuntime& runtime, observe::Logger& logger) {
  // Done with the source: write the final figures to the fleet record and leave it first, so
  // what is reported below includes those requests.
  runtime.leaveSourceFleet();
  for (const auto& host : runtime.sourceHosts()) {
    const auto& g = host.governor;
    const double paused = std::chrono::duration<double>(g.paused_total).count();
    std::cout << fmt::format(
        "source: {} {} requests, {} refused (429), paused {:.1f} s in {} pauses; rate {:.2f}/s, "
        "{} in flight{}\n",
        host.origin, g.requests, g.throttled, paused, g.pauses, g.rate, g.in_flight_limit,
        host.fleet_error.empty() ? "" : "; fleet record: " + host.fleet_error);
    logger.log(g.throttled > 0 ? observe::Level::kWarn : observe::Level::kInfo, "source_governor",
               {{"domain", runtime.domain().name},
                {"origin", host.origin},
                {"requests", static_cast<std::int64_t>(g.requests)},
                {"throttled", static_cast<std::int64_t>(g.throttled)},
                {"pauses", static_cast<std::int64_t>(g.pauses)},
                {"paused_seconds", paused},
                {"rate", g.rate},
                {"ceiling", g.ceiling},
                {"in_flight_limit", g.in_flight_limit},
                {"live_members", host.live_members},
                {"fleet", runtime.governorLocation()}});
  }
}

void reportAwsRequests(const DomainRuntime& runtime, observe::Logger& logger) {
  if (runtime.aws() == nullptr)
    return;
  const AwsRequestFigures figures = runtime.aws()->requestFigures();
  std::string line;
  for (const auto& [name, service] : {std::pair{"S3", figures.s3}, std::pair{"SQS", figures.sqs}}) {
    if (!service.used)
      continue;
    line += fmt::format("{}{} {} requests ({} retried, {} throttled)", line.empty() ? "" : "; ",
                        name, service.requests, service.retries, service.throttled);
  }
  if (line.empty())
    return;
  std::cout << "aws: " << line << "\n";
  const bool throttled = figures.s3.throttled + figures.sqs.throttled > 0;
  logger.log(throttled ? observe::Level::kWarn : observe::Level::kInfo,
             throttled ? "aws_throttled" : "aws_requests",
             {{"domain", runtime.domain().name},
              {"s3_requests", static_cast<std::int64_t>(figures.s3.requests)},
              {"s3_retries", static_cast<std::int64_t>(figures.s3.retries)},
              {"s3_throttled", static_cast<std::int64_t>(figures.s3.throttled)},
              {"sqs_requests", static_cast<std::int64_t>(figures.sqs.requests)},
              {"sqs_retries", static_cast<std::int64_t>(figures.sqs.retries)},
              {"sqs_throttled", static_cast<std::int64_t>(figures.sqs.throttled)}});
}

}  // namespace

int orchestrateCommand(const CommandOptions& options) {
  CommandRuntime opened;
  if (auto status = openCommandRuntime(options, opened); !status.ok()) {
    return reportFailure(status.error());
  }
  auto& logger = opened.logger;
  auto& rt = *opened.runtime;
  auto batch = prepareFromOptions(rt, options);
  if (!batch.ok()) {
    return reportFailure(batch.error());
  }
  if (options.dry_run)
    return printPlan(rt, *batch);
  auto orchestrated = startBatch(rt, *batch, *logger);
  if (!orchestrated.ok()) {
    return reportFailure(orchestrated.error());
  }
  const auto& result = *orchestrated;
  if (result.chunks == 0) {
    std::cerr << fmt::format("nothing to fetch: all {} symbols are up to date\n",
                             result.up_to_date);
    return kExitOk;
  }
  std::cerr << fmt::format(
      "published {} chunk messages ({} symbols, {} rejected; {} chunks sent "
      "earlier) in {:.1f} ms\n",
      result.published, result.symbols, result.rejected.size(), result.already_sent,
      result.seconds * 1000);
  for (const auto& rejected : result.rejected) {
    std::cerr << fmt::format("  rejected {}: {}\n", rejected.symbol, rejected.reason);
  }
  std::cout << result.batch_id << "\n";
  return kExitOk;
}

// A last delivery pass over the outbox before the process exits, so an event whose sink failed
// earlier in the run goes out now if it can. One line saying what is still pending, if anything;
// false then.
bool deliverPendingEvents(DomainRuntime& rt, std::ostream& out) {
  auto* outbox = rt.eventOutbox();
  if (outbox == nullptr)
    return true;
  const auto report = outbox->deliverPending();
  if (report.pending == 0 && !report.error) {
    out << fmt::format("  events    all delivered to {}\n", outbox->sinkName());
    return true;
  }
  out << fmt::format(
      "  events    {} completion event(s) not delivered to {}: {}; they are kept in {} and "
      "sent by the next rawfeed run, work or serve\n",
      report.pending, outbox->sinkName(),
      report.error ? report.error->message : std::string("unknown error"), outbox->location());
  return false;
}

int workCommand(const CommandOptions& options) {
  SignalWatcher::blockStopSignals();
  CommandRuntime opened;
  if (auto status = openCommandRuntime(options, opened); !status.ok()) {
    return reportFailure(status.error());
  }
  auto& logger = opened.logger;
  auto& rt = *opened.runtime;
  std::int64_t pending = 0;
  if (auto stats = rt.queue().stats(); stats.ok()) {
    pending = (stats->visible + stats->in_flight + stats->delayed) *
              rt.domain().chunk_size;  // an estimate: chunks may be shorter
  }
  const auto started = std::chrono::steady_clock::now();
  if (auto fatal = workQueue(rt, *logger, options.forever, pending, options.progress)) {
    printStorageFailure(*fatal);
    return kExitInternal;
  }
  const auto& m = rt.metrics();
  using observe::SymbolOutcome;
  auto symbols = [&m](SymbolOutcome outcome) { return m.symbols(outcome).value(); };
  std::cout << fmt::format(
      "worked {} deliveries in {:.2f} s: {} messages acknowledged, {} dead-lettered, {} "
      "deliveries with failures (redelivered later); symbols {} ok, {} empty, {} not found or "
      "refused, {} throttled or transient; objects {} written, {} skipped; {} records\n",
      m.worker_deliveries.value(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
      m.messages_deleted.value(), m.messages_dead_lettered.value(), m.worker_errors.value(),
      symbols(SymbolOutcome::kOk), symbols(SymbolOutcome::kEmpty),
      symbols(SymbolOutcome::kNotFound) + symbols(SymbolOutcome::kBadRequest),
      symbols(SymbolOutcome::kThrottled) + symbols(SymbolOutcome::kTransient) +
          symbols(SymbolOutcome::kWriteFailed) + symbols(SymbolOutcome::kBlocked),
      m.objects_written.value(), m.objects_skipped.value(), m.records.value());
  reportSourceGovernor(rt, *logger);
  reportAwsRequests(rt, *logger);
  const bool events_delivered = deliverPendingEvents(rt, std::cout);
  if (m.messages_dead_lettered.value() > 0)
    return kExitFailures;
  return events_delivered ? kExitOk : kExitInternal;
}

int runCommand(const CommandOptions& options) {
  SignalWatcher::blockStopSignals();
  const auto started = std::chrono::steady_clock::now();
  CommandRuntime opened;
  if (auto status = openCommandRuntime(options, opened); !status.ok()) {
    return reportFailure(status.error());
  }
  auto& logger = opened.logger;
  auto& rt = *opened.runtime;
  auto batch = prepareFromOptions(rt, options);
  if (!batch.ok()) {
    return reportFailure(batch.error());
  }
  if (options.dry_run)
    return printPlan(rt, *batch);
  // An incremental batch whose symbols are all up to date asks the source nothing, not even
  // the probe.
  const bool nothing_to_fetch =
      batch->request.symbol_windows && batch->request.symbol_windows->empty();
  if (!options.no_probe && !nothing_to_fetch) {
    std::string why;
    if (!sourceReachable(rt, why)) {
      printError(
          fmt::format("cannot reach {} ({}). No network? Try the offline demo, which runs "
                      "the same pipeline against a local replay server: make demo",
                      rt.domain().source.base_url, why));
      return kExitUnreachable;
    }
  }
  auto orchestrated = startBatch(rt, *batch, *logger);
  if (!orchestrated.ok()) {
    return reportFailure(orchestrated.error());
  }
  const auto& result = *orchestrated;
  if (result.chunks == 0) {
    std::cout << fmt::format(
        "nothing to fetch: all {} symbols are up to date (the lake holds every session that has "
        "closed on their exchanges); no batch was registered and nothing was written\n",
        result.up_to_date);
    const bool events_delivered = deliverPendingEvents(rt, std::cout);
    return events_delivered ? kExitOk : kExitInternal;
  }
  std::cerr << fmt::format("batch {}: {} symbols in {} chunks on the queue ({} rejected)\n",
                           result.batch_id, result.symbols, result.chunks, result.rejected.size());
  RunTally tally(rt.finalizer(), result.batch_id);  // the finalizer's reading, for the summary
  // The finalizer digests the batch's chunks as the workers record them, rather than reading
  // them all back after the last one (it still reads them when another process recorded any).
  if (auto ahead = rt.finalizer().digestAhead(result.batch_id); !ahead.ok())
    logger->warn("digest_ahead_failed",
                 {{"batch_id", result.batch_id}, {"error", ahead.error().describe()}});
  if (auto fatal = workQueue(rt, *logger, /*forever=*/false, result.symbols, options.progress)) {
    printStorageFailure(*fatal);
    return kExitInternal;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto summarized = tally.summarize(rt.tracker(), result, wall);
  if (!summarized.ok()) {
    printError(summarized.error().message);
    return kExitInternal;
  }
  const RunSummary& summary = *summarized;
  std::cout << formatSummary(summary);
  reportSourceGovernor(rt, *logger);
  reportAwsRequests(rt, *logger);
  const bool events_delivered = deliverPendingEvents(rt, std::cout);
  std::cout.flush();
  if (!summary.success())
    return kExitFailures;
  return events_delivered ? kExitOk : kExitInternal;
}

}  // namespace rawfeed::app
