// The rawfeed command line: parses flags and hands them to app/. Nothing else lives here.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

#include "app/commands.h"
#include "app/deploy_command.h"
#include "app/memory_tuning.h"

namespace {

void addDomainFlags(CLI::App& command, rawfeed::app::CommandOptions& options) {
  command.add_option("-c,--config", options.config_path, "Configuration file (TOML)")
      ->capture_default_str();
  command.add_option("-d,--domain", options.domain, "Domain to act on (a [domains.NAME] table)");
  command.add_option("--lake", options.lake,
                     "Lake location: a directory, file:// URI or s3://bucket/prefix");
  command.add_option("--queue", options.queue_uri,
                     "Queue: sqlite (embedded), sqlite:///path, sqs://NAME or an SQS queue URL");
  command.add_option("--state", options.state_dir,
                     "State directory: queues, batch tracker, events, logs");
  command.add_option("--source-url", options.source_url,
                     "Base URL of the domain's data source (a replay server can stand in)");
  command.add_option("--concurrency", options.concurrency,
                     "Requests in flight to the source, shared by all workers");
  command.add_option("--workers", options.workers, "Deliveries worked at once");
  command.add_option("--log-level", options.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
}

void addTriggerFlags(CLI::App& command, rawfeed::app::CommandOptions& options) {
  command
      .add_option("--symbols", options.symbols,
                  "Symbols, comma-separated (instead of the universe)")
      ->delimiter(',');
  command.add_option("--universe", options.universe,
                     "Universe file: JSON array or one symbol a line");
  command.add_option("--period", options.period,
                     "Lookback period: 1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max");
  command
      .add_option("--fetch", options.fetch,
                  "incremental: only the days after each symbol's watermark (the default without "
                  "--period/--start); period: the whole period")
      ->check(CLI::IsMember({"incremental", "period"}));
  command.add_option("--start", options.start, "Backfill start date YYYY-MM-DD (with --end)");
  command.add_option("--end", options.end, "Backfill end date YYYY-MM-DD, inclusive");
  command.add_option("--interval", options.interval,
                     "1m 2m 5m 15m 30m 60m 90m 1h 1d 5d 1wk 1mo 3mo");
  command.add_option("--format", options.file_format, "json (JSON Lines) or csv");
  // Callbacks rather than add_flag on the optional: CLI11 2.1 sets that to false when neither
  // flag is given, which would override the configuration's compression.
  auto* gzip = command.add_flag_callback(
      "--gzip", [&options] { options.gzip = true; },
      "Compress objects with gzip (--compression gzip)");
  command
      .add_flag_callback(
          "--no-gzip", [&options] { options.gzip = false; }, "Do not compress (--compression none)")
      ->excludes(gzip);
  command
      .add_option("--compression", options.compression, "Objects' compression: none, gzip or zstd")
      ->check(CLI::IsMember({"none", "gzip", "zstd"}));
  command.add_option("--batch-id", options.batch_id, "Batch id; reusing one resumes that batch");
  command.add_option("--batch-ds", options.batch_ds, "Logical date of the batch YYYY-MM-DD");
  command.add_option("--correlation-id", options.correlation_id, "Carried into every log line");
  command.add_flag("--overwrite", options.overwrite,
                   "Replace existing objects instead of skipping");
  command.add_flag("--dry-run", options.dry_run,
                   "Print the plan (chunks, backfill windows); send nothing");
  command.add_option("--event", options.event_file,
                     "Trigger event document (contracts §1; '-' reads stdin); flags override it");
}

// Callbacks for the same reason as --gzip: left unset, the display is chosen by the terminal.
void addProgressFlags(CLI::App& command, rawfeed::app::CommandOptions& options) {
  auto* progress = command.add_flag_callback(
      "--progress", [&options] { options.progress = true; },
      "Plain progress lines (default: a bar on a terminal, plain lines otherwise)");
  command
      .add_flag_callback(
          "--no-progress", [&options] { options.progress = false; }, "No progress display")
      ->excludes(progress);
}

}  // namespace

int main(int argc, char** argv) {
  rawfeed::app::tuneAllocator();
  CLI::App cli{
      "rawfeed: the Extract stage of a data lake — collects raw market data into a "
      "partitioned, idempotent lake"};
  cli.require_subcommand(1);
  rawfeed::app::CommandOptions options;

  auto* run = cli.add_subcommand("run", "Fan a batch out and work it off in this process");
  addDomainFlags(*run, options);
  addTriggerFlags(*run, options);
  run->add_flag("--no-probe", options.no_probe, "Skip the reachability check of the source");
  addProgressFlags(*run, options);

  auto* orchestrate =
      cli.add_subcommand("orchestrate", "Fan a batch out onto the queue; prints the batch id");
  addDomainFlags(*orchestrate, options);
  addTriggerFlags(*orchestrate, options);

  auto* work = cli.add_subcommand("work", "Consume the domain's queue until it drains");
  addDomainFlags(*work, options);
  work->add_flag("--forever", options.forever, "Keep consuming after the queue drains");
  addProgressFlags(*work, options);

  auto* gaps = cli.add_subcommand(
      "gaps",
      "Which (symbol, day) objects the domain's bars table lacks, judged by the other symbols of "
      "each exchange; exit 5 when some are missing. --fill fetches exactly those");
  addDomainFlags(*gaps, options);
  gaps->add_option("--symbols", options.symbols, "Only these symbols, comma-separated")
      ->delimiter(',');
  gaps->add_option("--universe", options.universe, "Only the symbols of this universe file");
  gaps->add_option("--start", options.start, "First day audited YYYY-MM-DD");
  gaps->add_option("--end", options.end, "Last day audited YYYY-MM-DD, inclusive");
  gaps->add_option("--interval", options.interval, "The bars' interval (default: the domain's)");
  gaps->add_flag("--json", options.json, "The audit as JSON (schema rawfeed.gaps/1)");
  auto* fill = gaps->add_flag("--fill", options.fill,
                              "Fetch the missing days as one batch, then work it off like `run`");
  gaps->add_flag("--dry-run", options.dry_run, "With --fill: print the plan; send nothing")
      ->needs(fill);
  gaps->add_flag("--no-probe", options.no_probe, "Skip the reachability check of the source");
  addProgressFlags(*gaps, options);

  auto* validate = cli.add_subcommand("validate", "Check a configuration; prints every error");
  validate->add_option("-c,--config", options.config_path, "Configuration file (TOML)")
      ->capture_default_str();

  auto* status = cli.add_subcommand("status", "Queue, DLQ and recent batches of each domain");
  status->add_option("-c,--config", options.config_path, "Configuration file (TOML)")
      ->capture_default_str();
  status->add_option("-d,--domain", options.domain, "Only this domain");
  status->add_option("--state", options.state_dir, "State directory");
  status->add_option("--lake", options.lake, "Lake location");
  status->add_option("--queue", options.queue_uri,
                     "Queue: sqlite, sqlite:///path, sqs://NAME or a URL");
  status->add_option("--limit", options.limit, "Recent batches shown per domain");
  status->add_option("--url", options.daemon_url,
                     "A running `rawfeed serve` (e.g. http://127.0.0.1:8080): its figures, alarms "
                     "and schedule");

  auto* serve = cli.add_subcommand(
      "serve", "Run every domain's schedule, workers, the HTTP API, dashboard, metrics and alarms");
  serve->add_option("-c,--config", options.config_path, "Configuration file (TOML)")
      ->capture_default_str();
  serve->add_option("--port", options.port, "Port to listen on (0: any free port)");
  serve->add_option("--bind", options.bind, "Address to listen on (default 127.0.0.1)");
  serve->add_option("--state", options.state_dir, "State directory for every domain");
  serve->add_option("--lake", options.lake, "Lake location for every domain");
  serve->add_option("--source-url", options.source_url, "Base URL of every domain's data source");
  serve->add_option("--log-level", options.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  auto* provision = cli.add_subcommand(
      "provision", "Create the domain's SQS queue and DLQ where allowed and check its S3 bucket");
  provision->add_option("-c,--config", options.config_path, "Configuration file (TOML)")
      ->capture_default_str();
  provision->add_option("-d,--domain", options.domain, "The domain");
  provision->add_option("--lake", options.lake, "Lake location");
  provision->add_option("--queue", options.queue_uri, "Queue: sqs://NAME or an SQS queue URL");

  rawfeed::app::DeployOptions deploy_options;
  auto* deploy = cli.add_subcommand("deploy", "Write the deployment of a domain");
  deploy->require_subcommand(1);
  auto* deploy_aws = deploy->add_subcommand(
      "aws", "Write the domain's CloudFormation stack (Lambda, SQS, Scheduler, IAM, alarms)");
  deploy_aws->add_option("-c,--config", deploy_options.config_path, "Configuration file (TOML)")
      ->capture_default_str();
  deploy_aws->add_option("-d,--domain", deploy_options.domain,
                         "The domain (optional when the file has one)");
  deploy_aws->add_option("-o,--out", deploy_options.out, "Template file to write ('-': stdout)")
      ->capture_default_str();

  auto* dlq = cli.add_subcommand("dlq", "Inspect and act on a domain's dead-letter queue");
  dlq->require_subcommand(1);
  std::vector<std::pair<CLI::App*, rawfeed::app::DlqAction>> dlq_actions;
  for (auto [name, action, help] :
       std::initializer_list<std::tuple<const char*, rawfeed::app::DlqAction, const char*>>{
           {"list", rawfeed::app::DlqAction::kList, "List dead letters with their error class"},
           {"show", rawfeed::app::DlqAction::kShow, "Show dead letters in full (with --id: one)"},
           {"redrive", rawfeed::app::DlqAction::kRedrive, "Move matching dead letters back"},
           {"purge", rawfeed::app::DlqAction::kPurge, "Delete matching dead letters"}}) {
    auto* sub = dlq->add_subcommand(name, help);
    sub->add_option("-c,--config", options.config_path, "Configuration file (TOML)")
        ->capture_default_str();
    sub->add_option("-d,--domain", options.domain, "The domain")->required();
    sub->add_option("--state", options.state_dir, "State directory");
    sub->add_option("--lake", options.lake, "Lake location (its tracker explains the messages)");
    sub->add_option("--queue", options.queue_uri,
                    "Queue: sqlite, sqlite:///path, sqs://NAME or a URL");
    sub->add_option("--symbol", options.dlq_symbol, "Only messages whose chunk holds this symbol");
    sub->add_option("--error-class", options.dlq_error_class,
                    "poison, throttled, transient, write_failed or unknown");
    sub->add_option("--min-age", options.dlq_min_age_seconds,
                    "Only messages sent at least this many seconds ago");
    sub->add_option("--id", options.dlq_message_id, "Only this message");
    sub->add_flag("--dry-run", options.dry_run,
                  "Say what would be moved or deleted; change nothing");
    dlq_actions.emplace_back(sub, action);
  }

  auto* lambda = cli.add_subcommand(
      "lambda",
      "Run as an AWS Lambda function: the Runtime API loop with the handler named by "
      "RAWFEED_HANDLER (orchestrator or worker); see README \"Running on AWS Lambda\"");
  lambda->add_option("--log-level", options.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  auto* package = cli.add_subcommand(
      "package", "Write the Lambda deployment zip (bootstrap, this binary, its shared libraries)");
  package->add_option("--out", options.package_out, "Directory for rawfeed-lambda.zip")->required();
  package->add_option("-c,--config", options.package_config,
                      "Configuration file to bundle as rawfeed.toml");

  // In a provided.al2023 custom runtime Lambda starts the function as `bootstrap`.
  if (argc >= 1 && std::filesystem::path(argv[0]).filename() == "bootstrap") {
    return rawfeed::app::lambdaCommand(options);
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = cli.exit(error);
    return code == 0 ? 0 : rawfeed::app::kExitUsage;
  }
  if (*run)
    return rawfeed::app::runCommand(options);
  if (*orchestrate)
    return rawfeed::app::orchestrateCommand(options);
  if (*work)
    return rawfeed::app::workCommand(options);
  if (*status)
    return rawfeed::app::statusCommand(options);
  if (*serve)
    return rawfeed::app::serveCommand(options);
  if (*provision)
    return rawfeed::app::provisionCommand(options);
  if (*deploy_aws)
    return rawfeed::app::deployAwsCommand(deploy_options);
  if (*lambda)
    return rawfeed::app::lambdaCommand(options);
  if (*package)
    return rawfeed::app::packageCommand(options);
  for (const auto& [sub, action] : dlq_actions) {
    if (*sub)
      return rawfeed::app::dlqCommand(options, action);
  }
  if (*validate)
    return rawfeed::app::validateCommand(options);
  if (*gaps)
    return rawfeed::app::gapsCommand(options);
  // A subcommand added above without a branch here: say so rather than run another command.
  std::string chosen;
  for (const auto* sub : cli.get_subcommands())
    chosen += (chosen.empty() ? "" : " ") + sub->get_name();
  std::cerr << "rawfeed: internal error: the subcommand '" << chosen << "' has no handler\n";
  return rawfeed::app::kExitInternal;
}
