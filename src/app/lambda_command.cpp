// `rawfeed lambda` (or the binary started as `bootstrap`): the Lambda Runtime API loop with the
// orchestrator or the worker handler, composed from the function's environment; and `rawfeed
// package`, the deployment zip.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/aws_backends.h"
#include "app/batch_starter.h"
#include "app/cli_overrides.h"
#include "app/commands.h"
#include "app/domain_runtime.h"
#include "app/exit_codes.h"
#include "http/curl/curl_http_client.h"
#include "lambda/deployment_package.h"
#include "lambda/emf_exporter.h"
#include "lambda/function_environment.h"
#include "lambda/lambda_logger.h"
#include "lambda/orchestrator_handler.h"
#include "lambda/runtime_client.h"
#include "lambda/runtime_loop.h"
#include "lambda/worker_handler.h"
#include "server/documents.h"

namespace rawfeed::app {

namespace {

// A worker invocation ends with one bounded pass over the lake outbox (kLambdaEventsPerPass
// events at most, stopping at the first sink-level failure) when this much time is left beyond
// the handler's own margin, so events another invocation or host could not deliver go out
// without a scheduler of their own, and a backlog never makes an invocation time out.
constexpr std::chrono::milliseconds kEventPassBudget{5000};

void deliverPendingEventsIfTime(DomainRuntime& rt, const lambda::Invocation& invocation,
                                std::chrono::milliseconds margin, observe::Logger& logger) {
  auto* outbox = rt.eventOutbox();
  if (outbox == nullptr)
    return;
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(rt.clock().now().time_since_epoch())
          .count();
  const auto left = std::chrono::milliseconds(invocation.deadline_ms - now_ms);
  if (invocation.deadline_ms > 0 && left < margin + kEventPassBudget) {
    logger.info("event_pass_skipped", {{"left_ms", static_cast<std::int64_t>(left.count())}});
    return;
  }
  const auto report = outbox->deliverPending();
  if (report.delivered > 0 || report.pending > 0) {
    logger.info("event_pass", {{"delivered", static_cast<std::int64_t>(report.delivered)},
                               {"pending", static_cast<std::int64_t>(report.pending)},
                               {"outbox", outbox->location()}});
  }
}

// The configuration file's text: a path, or an object on S3 read with the function's role.
core::Result<std::filesystem::path> localConfig(const lambda::FunctionEnvironment& env) {
  if (env.config.rfind("s3://", 0) != 0)
    return std::filesystem::path(env.config);
  auto aws = AwsBackends::open(core::systemClock());
  if (!aws.ok())
    return aws.error();
  core::SystemRandom random;
  auto text = (*aws)->readObject(env.config, random);
  if (!text.ok()) {
    return core::makeError(text.error().code, "RAWFEED_CONFIG " + text.error().message);
  }
  std::error_code error;
  std::filesystem::create_directories(env.state_dir, error);
  const auto path = env.state_dir / "rawfeed.toml";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << *text;
  if (!out.flush()) {
    return core::makeError(core::ErrorCode::kInternal, "cannot write " + path.string());
  }
  return path;
}

// The domain as the function runs it: the stack's overrides, local state under /tmp, and the
// tracker in the lake (nothing local outlives an execution environment).
core::Result<config::DomainConfig> functionDomain(const config::Config& config,
                                                  const lambda::FunctionEnvironment& env) {
  const auto* found = config.domain(env.domain);
  if (found == nullptr) {
    std::string known;
    for (const auto& [name, ignored] : config.domains)
      known += (known.empty() ? "" : ", ") + name;
    return core::makeError(core::ErrorCode::kInvalidInput,
                           fmt::format("RAWFEED_DOMAIN '{}' is not a domain of {} (configured: {})",
                                       env.domain, config.path.string(), known));
  }
  config::DomainConfig domain = *found;
  if (auto applied =
          applyLocationOverrides({env.lake, "RAWFEED_LAKE", env.queue, "RAWFEED_QUEUE"}, domain);
      !applied.ok()) {
    return applied.error();
  }
  domain.state_dir = env.state_dir;
  if (domain.lake.backend != config::kS3Lake) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "the lake of domain " + domain.name + " is '" + domain.lake.uri +
                               "': in Lambda it must be s3://bucket/prefix (set RAWFEED_LAKE)");
  }
  if (domain.queue_location.backend != config::kSqsQueue) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "the queue of domain " + domain.name + " is '" +
                               domain.queue_location.uri +
                               "': in Lambda it must be SQS (set RAWFEED_QUEUE to its URL)");
  }
  domain.tracker = config::TrackerKind::kLake;
  return domain;
}

lambda::StartBatch startBatchFor(DomainRuntime& runtime, observe::Logger& logger) {
  return [&runtime, &logger](const pipeline::TriggerEvent& trigger) -> core::Result<std::string> {
    auto batch = prepareBatch(runtime, trigger);
    if (!batch.ok())
      return batch.error();
    auto result = startBatch(runtime, *batch, logger);
    if (!result.ok())
      return result.error();
    runtime.metrics()
        .symbols(observe::SymbolOutcome::kRejected)
        .inc(static_cast<std::int64_t>(result->rejected.size()));
    // The same document `rawfeed serve` answers a run with, every optional field present.
    server::BatchStarted reply;
    reply.domain = runtime.domain().name;
    reply.batch_id = result->batch_id;
    reply.batch_ds = result->batch_ds;
    reply.trigger_type = batch->request.trigger_type;
    reply.correlation_id = batch->request.correlation_id;
    reply.symbols = result->symbols;
    reply.chunks = result->chunks;
    reply.up_to_date = result->up_to_date;
    reply.published = result->published;
    reply.already_sent = result->already_sent;
    reply.existing_batch = result->existing_batch;
    for (const auto& rejected : result->rejected)
      reply.rejected.push_back({rejected.symbol, rejected.reason});
    reply.seconds = result->seconds;
    return server::toJson(reply);
  };
}

// The start-up failures a function reports with /init/error, then exits.
struct InitFailure {
  std::string type;
  core::Error error;
};

int reportInitFailure(lambda::RuntimeClient& client, lambda::LambdaLogger& logger,
                      const InitFailure& failure) {
  logger.error("init_failed", {{"error_type", failure.type}, {"error", failure.error.describe()}});
  if (auto posted = client.failInit({failure.type, failure.error.message}); !posted.ok()) {
    logger.error("runtime_api_init_error_failed", {{"error", posted.error().describe()}});
  }
  return exitCodeFor(failure.error);
}

}  // namespace

int lambdaCommand(const CommandOptions& options) {
  const auto api = lambda::processEnvironment("AWS_LAMBDA_RUNTIME_API");
  if (!api) {
    std::cerr << "rawfeed lambda: AWS_LAMBDA_RUNTIME_API is not set: this runs inside AWS Lambda "
                 "(or against a Runtime API server named by that variable, host:port)\n";
    return kExitUsage;
  }
  http::curl::CurlHttpClient runtime_http;
  lambda::RuntimeClient client(runtime_http, *api);
  observe::Level level = observe::Level::kInfo;
  (void)observe::parseLevel(options.log_level, level);
  lambda::LambdaLogger logger(core::systemClock(), stdout, level);

  auto env = lambda::readFunctionEnvironment(lambda::processEnvironment);
  if (!env.ok())
    return reportInitFailure(client, logger, {"Runtime.ConfigError", env.error()});
  if (env->log_level && observe::parseLevel(*env->log_level, level))
    logger.setLevel(level);
  auto config_path = localConfig(*env);
  if (!config_path.ok()) {
    return reportInitFailure(client, logger, {"Runtime.ConfigError", config_path.error()});
  }
  auto config = config::loadConfig(*config_path);
  if (!config.ok())
    return reportInitFailure(client, logger, {"Runtime.ConfigError", config.error()});
  auto domain = functionDomain(*config, *env);
  if (!domain.ok())
    return reportInitFailure(client, logger, {"Runtime.ConfigError", domain.error()});

  if (env->events) {
    // RAWFEED_EVENTS replaces the domain's `events` sink; its events_source/events_token_env stay.
    auto events = config::parseEventsUri(*env->events);
    if (!events.ok()) {
      return reportInitFailure(
          client, logger,
          {"Runtime.ConfigError", core::makeError(core::ErrorCode::kInvalidInput,
                                                  "RAWFEED_EVENTS: " + events.error().message)});
    }
    events->source = domain->events.source;
    events->token_env = domain->events.token_env;
    domain->events = std::move(events).value();
  }

  observe::MetricsRegistry registry;
  // /tmp does not outlive the execution environment, so the outbox is the lake's (the tracker is
  // the lake here): an event the sink refused waits there for the next worker invocation, on
  // any instance, instead of failing the finalisation and spending the chunk message's receives.
  auto runtime = DomainRuntime::open(*config, *domain, logger, registry, EventDelivery::kDirect);
  if (!runtime.ok()) {
    const bool config_error = runtime.error().code == core::ErrorCode::kInvalidInput ||
                              runtime.error().code == core::ErrorCode::kNotFound;
    return reportInitFailure(
        client, logger,
        {config_error ? "Runtime.ConfigError" : "Rawfeed.InitFailed", runtime.error()});
  }
  auto& rt = **runtime;
  std::unique_ptr<lambda::Handler> handler;
  if (env->handler == "orchestrator") {
    handler = std::make_unique<lambda::OrchestratorHandler>(startBatchFor(rt, logger));
  } else {
    lambda::WorkerHandlerOptions worker_options;
    worker_options.deadline_margin = env->deadline_margin;
    worker_options.visibility_timeout = rt.domain().queue.visibility_timeout;
    handler = std::make_unique<lambda::WorkerHandler>(rt.worker(), rt.queue(), rt.clock(), logger,
                                                      worker_options);
  }
  logger.info("function_ready", {{"handler", env->handler},
                                 {"domain", rt.domain().name},
                                 {"queue", rt.domain().queue_location.uri},
                                 {"lake", rt.domain().lake.uri},
                                 {"config", config_path->string()}});

  lambda::EmfExporter emf(registry);
  lambda::LoopHooks hooks;
  hooks.begin = [&logger](const lambda::Invocation& invocation) {
    logger.setRequestId(invocation.request_id);
  };
  hooks.end = [&](const lambda::Invocation& invocation) {
    if (env->handler != "orchestrator")
      deliverPendingEventsIfTime(rt, invocation, env->deadline_margin, logger);
    std::map<std::string, std::string> properties{{"request_id", invocation.request_id},
                                                  {"handler", env->handler}};
    if (!env->function_name.empty())
      properties["function"] = env->function_name;
    // The governor's counters go out as metrics; its state (gauges are left out of EMF) as
    // searchable members of the same line.
    rt.collectSourceFigures();
    const auto& m = rt.metrics();
    properties["source_rate"] = fmt::format("{:.3f}", m.source_rate.value());
    properties["source_in_flight_limit"] = fmt::format("{:.0f}", m.source_in_flight_limit.value());
    properties["source_pause_remaining_seconds"] =
        fmt::format("{:.0f}", m.source_pause_seconds.value());
    for (const auto& line : emf.flush(core::systemClock().now(), properties))
      logger.writeRaw(line);
  };
  lambda::RuntimeLoop loop(client, *handler, logger, std::move(hooks));
  auto stopped = loop.run();
  logger.setRequestId("");
  logger.error("runtime_api_gone", {{"error", stopped.error().describe()}});
  return kExitInternal;
}

int packageCommand(const CommandOptions& options) {
  if (!options.package_out) {
    std::cerr << "rawfeed package: --out DIR is required\n";
    return kExitUsage;
  }
  lambda::PackageContents contents;
  std::error_code error;
  contents.binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    std::cerr << "rawfeed package: cannot find this binary: " << error.message() << "\n";
    return kExitInternal;
  }
  if (options.package_config) {
    auto config = config::loadConfig(*options.package_config);
    if (!config.ok()) {
      std::cerr << config.error().message << "\n";
      return kExitUsage;
    }
    contents.config = *options.package_config;
  }
  const std::filesystem::path ca_bundle = "/etc/ssl/certs/ca-certificates.crt";
  if (std::filesystem::is_regular_file(ca_bundle, error))
    contents.ca_bundle = ca_bundle;
  auto report = lambda::writeDeploymentPackage(contents, *options.package_out);
  if (!report.ok()) {
    std::cerr << "rawfeed package: " << report.error().message << "\n";
    return exitCodeFor(report.error());
  }
  std::cout << fmt::format(
      "{}: {} bytes ({:.1f} MiB), {} entries: bootstrap, rawfeed, {} "
      "libraries under lib/{}{}\n",
      report->zip.string(), report->bytes, static_cast<double>(report->bytes) / (1024.0 * 1024.0),
      report->entries.size(),
      report->entries.size() - 2 - (contents.config ? 1 : 0) - (contents.ca_bundle ? 1 : 0),
      contents.config ? ", rawfeed.toml" : "",
      contents.ca_bundle ? ", certs/ca-certificates.crt" : "");
  return kExitOk;
}

}  // namespace rawfeed::app
