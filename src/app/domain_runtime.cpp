#include "app/domain_runtime.h"

#include <cstdlib>
#include <filesystem>

#include "app/aws_backends.h"
#include "app/backend_factory.h"
#include "events/jsonl/jsonl_event_sink.h"
#include "events/lake_outbox/lake_outbox_event_sink.h"
#include "events/outbox/outbox_event_sink.h"
#include "events/webhook/webhook_event_sink.h"
#include "http/curl/curl_http_client.h"
#include "http/governor/file_fleet_store.h"
#include "pipeline/instrumented_queue.h"
#include "sources/source_registry.h"
#include "store/fleet/lake_fleet_store.h"
#include "store/local/local_object_store.h"
#include "store/local/writable_check.h"
#include "tracker/lake/lake_batch_tracker.h"
#include "tracker/lake/watermark_document.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"

namespace rawfeed::app {

namespace {

// A file name for the sink's delivery ledger: the URI with everything but A-Z a-z 0-9 . - _
// replaced, so each configured sink keeps its own record of what it has received.
std::string ledgerName(const std::string& uri) {
  std::string name;
  for (char c : uri.substr(0, 120)) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    name += keep ? c : '_';
  }
  return name + ".jsonl";
}

core::Result<std::string> webhookToken(const config::EventsSettings& events) {
  if (events.token_env.empty())
    return std::string();
  const char* value = std::getenv(events.token_env.c_str());
  if (value == nullptr || *value == '\0') {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "events_token_env: the environment variable " + events.token_env +
                               " (the webhook's bearer token) is not set");
  }
  return std::string(value);
}

}  // namespace

core::Result<std::unique_ptr<DomainRuntime>> DomainRuntime::open(const config::Config& config,
                                                                 const config::DomainConfig& domain,
                                                                 observe::Logger& logger,
                                                                 observe::MetricsRegistry& registry,
                                                                 EventDelivery delivery) {
  std::unique_ptr<DomainRuntime> runtime(new DomainRuntime(domain, registry));
  auto& rt = *runtime;
  const auto& clock = core::systemClock();
  // Checked before anything is sent: a state directory or a local lake that is a file, read-only
  // or full ends the command with one line instead of failing message by message.
  if (auto writable = store::local::checkWritableDirectory(domain.state_dir, "state directory");
      !writable.ok()) {
    return writable.error();
  }
  std::error_code error;
  std::filesystem::create_directories(domain.state_dir / "queues", error);
  if (error) {
    return core::makeError(
        core::ErrorCode::kInternal,
        "state directory " + domain.state_dir.string() + " cannot be created: " + error.message());
  }
  const bool aws_events = domain.events.kind == config::EventsKind::kEventBridge ||
                          domain.events.kind == config::EventsKind::kSqs;
  if (aws_events || needsAws(domain.queue_location) || needsAws(domain.lake)) {
    auto aws = AwsBackends::open(clock);
    if (!aws.ok())
      return aws.error();
    rt.aws_ = std::move(aws).value();
  }
  const BackendContext backends{domain, clock, rt.random_, logger, rt.aws_.get()};
  auto queue = openQueue(backends);
  if (!queue.ok())
    return queue.error();
  rt.queue_ = std::make_unique<pipeline::InstrumentedQueue>(std::move(queue).value(), rt.metrics_);
  auto lake = openLake(backends);
  if (!lake.ok())
    return lake.error();
  rt.lake_ = std::move(lake).value();
  const bool lake_tracker =
      config::effectiveTracker(domain.tracker, domain.lake) == config::TrackerKind::kLake;
  if (lake_tracker) {
    rt.tracker_ = std::make_unique<tracker::lake::LakeBatchTracker>(*rt.lake_);
    rt.watermarks_ = std::make_unique<tracker::lake::WatermarkDocumentStore>(*rt.lake_, "lake");
  } else {
    // Kept beside the tracker: the state directory is this machine's alone.
    rt.state_store_ = std::make_unique<store::local::LocalObjectStore>(domain.state_dir, clock);
    rt.watermarks_ = std::make_unique<tracker::lake::WatermarkDocumentStore>(*rt.state_store_,
                                                                             "state directory");
    tracker::sqlite::SqliteBatchTrackerOptions tracker_options;
    tracker_options.db_path = domain.state_dir / "tracker.db";
    auto tracker = tracker::sqlite::SqliteBatchTracker::open(tracker_options);
    if (!tracker.ok())
      return tracker.error();
    rt.tracker_ = std::move(tracker).value();
  }
  const auto event_log = domain.state_dir / "events" / "completion.jsonl";
  if (domain.events.kind == config::EventsKind::kJsonl) {
    rt.events_ = std::make_unique<events::jsonl::JsonlEventSink>(event_log);
  } else {
    std::unique_ptr<events::EventSink> remote;
    if (aws_events) {
      auto sink = rt.aws_->openEventSink(domain.events, rt.random_);
      if (!sink.ok())
        return sink.error();
      remote = std::move(sink).value();
    } else {
      auto token = webhookToken(domain.events);
      if (!token.ok())
        return token.error();
      http::curl::CurlHttpClientOptions webhook_options;
      webhook_options.user_agent = "rawfeed/0.1";
      rt.webhook_http_ = std::make_unique<http::curl::CurlHttpClient>(webhook_options);
      events::webhook::WebhookSinkOptions options;
      options.url = domain.events.address;
      options.bearer_token = std::move(token).value();
      remote = std::make_unique<events::webhook::WebhookEventSink>(
          std::move(options), *rt.webhook_http_, clock, rt.random_);
    }
    if (lake_tracker) {
      // Not in this host's state directory: a host lost for good would take its pending
      // events with it, and every host sharing the lake can deliver them from there.
      events::lake_outbox::LakeOutboxOptions outbox_options;
      outbox_options.sink_name = domain.events.uri;
      outbox_options.max_events_per_pass =
          delivery == EventDelivery::kDirect ? kLambdaEventsPerPass : 0;
      auto outbox = std::make_unique<events::lake_outbox::LakeOutboxEventSink>(
          std::move(outbox_options), *rt.lake_, std::move(remote), logger);
      rt.outbox_ = outbox.get();
      rt.events_ = std::move(outbox);
    } else if (delivery == EventDelivery::kDirect) {
      rt.events_ = std::move(remote);
    } else {
      events::outbox::OutboxOptions outbox_options;
      outbox_options.log_path = event_log;
      outbox_options.ledger_path =
          domain.state_dir / "events" / "delivered" / ledgerName(domain.events.uri);
      outbox_options.sink_name = domain.events.uri;
      auto outbox = events::outbox::OutboxEventSink::open(std::move(outbox_options),
                                                          std::move(remote), logger);
      if (!outbox.ok())
        return outbox.error();
      rt.outbox_ = outbox->get();
      rt.events_ = std::move(outbox).value();
    }
  }

  const auto& limits = domain.source.limits;
  const int max_in_flight = limits.max_in_flight.value_or(domain.requests_in_flight);
  http::curl::CurlHttpClientOptions http_options;
  http_options.max_in_flight_per_host = static_cast<std::size_t>(max_in_flight);
  http_options.user_agent = domain.source.user_agent;
  auto curl = std::make_unique<http::curl::CurlHttpClient>(http_options);
  auto* curl_ptr = curl.get();
  rt.waited_for_slot_ = [curl_ptr] { return curl_ptr->stats().waited_for_slot; };
  rt.curl_ = std::move(curl);

  // The governor in front of the source host, shared by every worker of this process and,
  // through the fleet record, by every process and invocation of the domain.
  const bool lake_fleet = limits.fleet == "lake" || (limits.fleet == "auto" && lake_tracker);
  http::governor::GovernedHttpClientOptions governed;
  governed.settings.adaptive = limits.adaptive;
  governed.settings.initial_rate = limits.initial_rate;
  governed.settings.max_rate = limits.max_rate;
  governed.settings.min_rate = limits.min_rate;
  governed.settings.initial_in_flight = std::min(limits.initial_in_flight, max_in_flight);
  governed.settings.max_in_flight = max_in_flight;
  governed.settings.pause_min = limits.pause_min;
  governed.settings.pause_max = limits.pause_max;
  governed.settings.probe_after = limits.probe_after;
  if (limits.fleet == "none") {
    // this process alone; nothing kept between runs
  } else if (lake_fleet) {
    rt.fleet_ = std::make_unique<store::fleet::LakeFleetStore>(*rt.lake_);
    governed.sync_interval = limits.sync_interval.value_or(std::chrono::milliseconds(5000));
  } else {
    rt.fleet_ = std::make_unique<http::governor::FileFleetStore>(domain.state_dir / "governor");
    governed.sync_interval = limits.sync_interval.value_or(std::chrono::milliseconds(1000));
  }
  governed.member_ttl = std::max<std::chrono::seconds>(
      std::chrono::seconds(15),
      std::chrono::duration_cast<std::chrono::seconds>(governed.sync_interval * 5));
  governed.fleet = rt.fleet_.get();
  rt.governed_ =
      std::make_unique<http::governor::GovernedHttpClient>(*rt.curl_, clock, std::move(governed));
  rt.http_ = rt.governed_.get();
  auto* governed_ptr = rt.governed_.get();
  rt.cancel_ = [governed_ptr, curl_ptr] {
    governed_ptr->stop();
    curl_ptr->stop();
  };

  sources::SourceSettings source_settings;
  source_settings.base_url = domain.source.base_url;
  source_settings.user_agent = domain.source.user_agent;
  source_settings.timeout = domain.source.timeout;
  source_settings.max_retries = domain.source.max_retries;
  source_settings.governed = true;
  source_settings.throttle_wait = limits.max_wait;
  source_settings.session = domain.source.session;
  source_settings.cookie_url = domain.source.cookie_url;
  source_settings.crumb_url = domain.source.crumb_url;
  auto source = sources::sourceNamed(domain.data_source);
  if (!source.ok())
    return source.error();
  rt.source_ = (*source)->create({*rt.http_, clock, rt.random_, std::move(source_settings)});

  rt.writers_ = std::make_unique<pipeline::WriterPool>(domain.lake_writers);
  pipeline::BatchFinalizerOptions finalizer_options;
  finalizer_options.watermarks = rt.watermarks_.get();
  rt.finalizer_ = std::make_unique<pipeline::BatchFinalizer>(
      *rt.lake_, *rt.tracker_, *rt.events_, config.environment, clock, finalizer_options);
  pipeline::WorkerOptions worker_options;
  worker_options.max_receives = domain.queue.max_receives;
  worker_options.writers = rt.writers_.get();
  worker_options.max_throttled = domain.queue.max_throttled;
  DomainRuntime* self = runtime.get();
  worker_options.source_pause = [self] { return self->sourcePause(); };
  rt.worker_ =
      std::make_unique<pipeline::Worker>(*rt.source_, *rt.lake_, *rt.tracker_, *rt.finalizer_,
                                         rt.metrics_, logger, clock, std::move(worker_options));
  return runtime;
}

DomainRuntime::~DomainRuntime() {
  // The worker and source hold references into the client: stop its thread first.
  if (cancel_)
    cancel_();
}

void DomainRuntime::collectSourceFigures() {
  observe::SourceFigures figures;
  bool any = false;
  for (const auto& host : sourceHosts()) {
    const auto& g = host.governor;
    figures.rate += g.rate;
    figures.in_flight_limit += g.in_flight_limit;
    figures.pause_remaining_seconds = std::max(
        figures.pause_remaining_seconds, std::chrono::duration<double>(g.pause_remaining).count());
    figures.paused_for_seconds =
        std::max(figures.paused_for_seconds, std::chrono::duration<double>(g.paused_for).count());
    figures.fleet_members = std::max<double>(figures.fleet_members, host.live_members);
    figures.requests += static_cast<std::int64_t>(g.requests);
    figures.refused += static_cast<std::int64_t>(g.throttled);
    figures.pauses += static_cast<std::int64_t>(g.pauses);
    any = true;
  }
  if (!any) {
    // Nothing asked of the source yet: what the governor would start from.
    const auto& limits = domain_.source.limits;
    figures.rate = limits.adaptive ? limits.initial_rate : limits.max_rate;
    figures.in_flight_limit = limits.adaptive
                                  ? limits.initial_in_flight
                                  : limits.max_in_flight.value_or(domain_.requests_in_flight);
  }
  metrics_.setSourceFigures(figures);
}

void DomainRuntime::collectThrottles() {
  if (!waited_for_slot_)
    return;
  const std::uint64_t now = waited_for_slot_();
  if (now > waited_reported_) {
    metrics_.throttles(observe::ThrottleKind::kConcurrencyLimit)
        .inc(static_cast<std::int64_t>(now - waited_reported_));
    waited_reported_ = now;
  }
}

std::vector<http::governor::HostStatus> DomainRuntime::sourceHosts() const {
  return governed_ ? governed_->status() : std::vector<http::governor::HostStatus>{};
}

void DomainRuntime::leaveSourceFleet() {
  if (governed_)
    governed_->stop();
}

core::Result<std::optional<http::governor::HostRecord>> DomainRuntime::sourceRecord() const {
  if (!fleet_)
    return std::optional<http::governor::HostRecord>();
  const auto origin = http::governor::originOf(domain_.source.base_url);
  if (!origin)
    return std::optional<http::governor::HostRecord>();
  auto record = fleet_->read(*origin);
  if (!record.ok())
    return record.error();
  return std::optional<http::governor::HostRecord>(std::move(record).value());
}

std::string DomainRuntime::governorLocation() const {
  return fleet_ ? fleet_->location() : "none";
}

std::chrono::milliseconds DomainRuntime::sourcePause() const {
  return governed_ ? governed_->pauseRemaining(domain_.source.base_url)
                   : std::chrono::milliseconds(0);
}

void DomainRuntime::cancelSourceRequests() {
  if (cancel_)
    cancel_();
}

}  // namespace rawfeed::app
