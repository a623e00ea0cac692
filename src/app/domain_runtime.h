#pragma once

#include <memory>

#include "app/aws_backends.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "events/event_outbox.h"
#include "events/event_sink.h"
#include "http/governor/fleet_store.h"
#include "http/governor/governed_http_client.h"
#include "http/http_client.h"
#include "observe/domain_metrics.h"
#include "observe/logger.h"
#include "observe/metrics_registry.h"
#include "pipeline/batch_finalizer.h"
#include "pipeline/worker.h"
#include "pipeline/writer_pool.h"
#include "queue/queue.h"
#include "sources/source.h"
#include "store/object_store.h"
#include "tracker/batch_tracker.h"
#include "tracker/watermark.h"

namespace rawfeed::app {

// How completion events reach a remote sink (`events` other than jsonl).
// Whatever the host, a domain whose tracker is the lake keeps its outbox in the lake
// (events/lake_outbox), where every host finds it; this says what to do otherwise and how long
// a delivery pass may be.
enum class EventDelivery {
  // A host whose state directory lasts: the local log as the outbox when the tracker is not
  // the lake; passes deliver everything pending.
  kOutbox,
  // Lambda, whose /tmp does not outlive the execution environment: the lake outbox with passes
  // of at most kLambdaEventsPerPass events; without a lake tracker, straight to the sink (a
  // failed publish fails the finalisation, so the last chunk's message comes back).
  kDirect,
};
inline constexpr int kLambdaEventsPerPass = 10;

// The composition root for one domain: the only place that names concrete backends. It owns
// them, and the pipeline pieces wired over them, for the life of a command.
class DomainRuntime {
 public:
  // Opens (creating where needed) the domain's queue, tracker, lake, event log and source.
  // The domain's metrics are declared in `registry`, which must outlive the runtime.
  static core::Result<std::unique_ptr<DomainRuntime>> open(
      const config::Config& config, const config::DomainConfig& domain, observe::Logger& logger,
      observe::MetricsRegistry& registry, EventDelivery delivery = EventDelivery::kOutbox);
  ~DomainRuntime();

  const config::DomainConfig& domain() const { return domain_; }
  queue::Queue& queue() { return *queue_; }
  tracker::BatchTracker& tracker() { return *tracker_; }
  // The domain's watermarks, beside the tracker (the lake, or the state directory).
  tracker::WatermarkStore& watermarks() { return *watermarks_; }
  store::ObjectStore& lake() { return *lake_; }
  events::EventSink& events() { return *events_; }
  // The outbox in front of the remote event sink (the lake's or the local log); null when events
  // go to the local log only or straight to the sink.
  events::EventOutbox* eventOutbox() { return outbox_; }
  http::HttpClient& http() { return *http_; }
  sources::Source& source() { return *source_; }
  pipeline::BatchFinalizer& finalizer() { return *finalizer_; }
  pipeline::Worker& worker() { return *worker_; }
  const observe::DomainMetrics& metrics() const { return metrics_; }
  core::Random& random() { return random_; }
  const core::Clock& clock() const { return core::systemClock(); }
  // The AWS side when the lake or the queue is on AWS; nullptr otherwise.
  const AwsBackends* aws() const { return aws_.get(); }

  // Fails everything in flight to the source at once (the second Ctrl-C).
  void cancelSourceRequests();

  // The governor of each source host (rate, in-flight limit, pause, 429s) and where the fleet
  // keeps what it learned ("none" when nowhere).
  std::vector<http::governor::HostStatus> sourceHosts() const;
  std::string governorLocation() const;
  // The fleet's record of the source host (learned rate, ceiling, pause, members), read without
  // joining; nullopt when the governor keeps nothing (`fleet = "none"`).
  core::Result<std::optional<http::governor::HostRecord>> sourceRecord() const;
  // Ends this process's use of the source: fails what still waits for the governor, writes the
  // learned limits to the fleet record and leaves it. Idempotent.
  void leaveSourceFleet();
  // How long the source host stays paused by its rate limit; zero when it is not.
  std::chrono::milliseconds sourcePause() const;

  // Moves the HTTP client's count of requests held back by the per-host limit into the
  // throttles{kind="concurrency_limit"} counter (for a metrics collector).
  void collectThrottles();
  // Reads the source governor's figures into the domain's rawfeed_source_* metrics.
  void collectSourceFigures();

 private:
  DomainRuntime(config::DomainConfig domain, observe::MetricsRegistry& registry)
      : domain_(std::move(domain)), metrics_(registry, domain_.name) {}

  config::DomainConfig domain_;
  core::SystemRandom random_;
  observe::DomainMetrics metrics_;
  std::unique_ptr<AwsBackends> aws_;  // outlives the S3 lake and SQS queue built on it
  std::unique_ptr<http::HttpClient> curl_;
  std::unique_ptr<http::governor::FleetStore> fleet_;  // outlives the governed client
  std::unique_ptr<http::governor::GovernedHttpClient> governed_;
  http::HttpClient* http_ = nullptr;  // the governed client (curl_ underneath)
  std::unique_ptr<sources::Source> source_;
  std::unique_ptr<queue::Queue> queue_;
  std::unique_ptr<store::ObjectStore> lake_;
  std::unique_ptr<tracker::BatchTracker> tracker_;       // may keep its records in lake_
  std::unique_ptr<store::ObjectStore> state_store_;      // the state directory, for watermarks_
  std::unique_ptr<tracker::WatermarkStore> watermarks_;  // in lake_ or state_store_
  std::unique_ptr<events::EventSink> events_;
  events::EventOutbox* outbox_ = nullptr;           // events_ itself, when it is one
  std::unique_ptr<http::HttpClient> webhook_http_;  // a webhook sink's own client
  std::unique_ptr<pipeline::WriterPool> writers_;   // outlives the worker that submits to it
  std::unique_ptr<pipeline::BatchFinalizer> finalizer_;
  std::unique_ptr<pipeline::Worker> worker_;
  std::function<void()> cancel_;
  std::function<std::uint64_t()> waited_for_slot_;
  std::uint64_t waited_reported_ = 0;  // guarded by the registry's collector serialisation
};

}  // namespace rawfeed::app
