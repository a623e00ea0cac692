#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "alarms/alarm_evaluator.h"
#include "app/domain_runtime.h"
#include "app/event_router.h"
#include "app/gap_watch.h"
#include "observe/logger.h"
#include "observe/metrics_registry.h"
#include "observe/sampler.h"
#include "schedule/scheduler.h"
#include "server/documents.h"
#include "server/service.h"

namespace rawfeed::app {

// The HTTP API's view of the running daemon: every domain's runtime, the metrics, the alarms
// and the scheduler, behind server::Service. It reads the domains into server/documents.h's
// values; the JSON is written there. Thread-safe (the runtimes, registry, sampler and evaluator
// are).
class ServeService final : public server::Service {
 public:
  ServeService(std::map<std::string, DomainRuntime*> runtimes, observe::MetricsRegistry& registry,
               observe::Sampler& sampler, alarms::AlarmEvaluator& evaluator,
               observe::Logger& logger);

  // The scheduler is created after the service (its fires start runs through it).
  void setScheduler(schedule::Scheduler* scheduler) { scheduler_ = scheduler; }
  // The lake audit behind each domain's "gaps" (none: the status has no gaps).
  void setGapWatch(GapWatch* gaps) { gaps_ = gaps; }

  // Starts a batch from a trigger event for one domain (or, dry_run, only plans it), as every
  // pattern does.
  core::Result<server::BatchStarted> startDomainBatch(const std::string& domain,
                                                      const pipeline::TriggerEvent& trigger,
                                                      bool dry_run);

  std::vector<std::string> domains() const override;
  core::Result<std::string> startRun(const std::string& domain, std::string_view trigger_json,
                                     bool dry_run) override;
  core::Result<std::string> acceptEvents(std::string_view body) override;
  std::string metricsText() override;
  core::Result<std::string> statusJson() override;
  core::Result<std::string> timeseriesJson(const std::string& domain) override;
  core::Result<std::string> batchesJson(const std::string& domain, int limit) override;
  core::Result<std::string> lakeJson(const std::string& domain) override;
  core::Result<std::string> deadLettersJson(const std::string& domain,
                                            const DeadLetterFilter& filter) override;
  core::Result<std::string> redriveDeadLetters(const std::string& domain,
                                               const DeadLetterFilter& filter,
                                               bool dry_run) override;

 private:
  // What the batches view needs beyond a summary, derived from the chunk results once per
  // revision of the batch.
  struct BatchDetails {
    std::int64_t revision = -1;
    std::vector<std::string> days;                     // partition days touched
    std::vector<server::SymbolReason> failed_symbols;  // at most kMaxFailedShown entries
    std::int64_t failed_total = 0;
  };
  static constexpr std::size_t kMaxFailedShown = 200;

  core::Result<DomainRuntime*> runtime(const std::string& domain) const;
  core::Result<server::DomainStatus> domainStatus(const std::string& name, DomainRuntime& runtime,
                                                  const std::vector<alarms::AlarmStatus>& alarms);
  core::Result<BatchDetails> batchDetails(DomainRuntime& runtime,
                                          const tracker::BatchSummary& summary);

  std::map<std::string, DomainRuntime*> runtimes_;
  observe::MetricsRegistry& registry_;
  observe::Sampler& sampler_;
  alarms::AlarmEvaluator& evaluator_;
  observe::Logger& logger_;
  EventRouter events_;
  schedule::Scheduler* scheduler_ = nullptr;
  GapWatch* gaps_ = nullptr;
  std::mutex details_mutex_;  // guards details_
  std::map<std::string, BatchDetails> details_;
};

}  // namespace rawfeed::app
