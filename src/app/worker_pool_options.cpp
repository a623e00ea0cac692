#include "app/worker_pool_options.h"

namespace rawfeed::app {

pipeline::WorkerPoolOptions workerPoolOptions(const config::DomainConfig& domain,
                                              PoolLifetime lifetime) {
  pipeline::WorkerPoolOptions options;
  options.concurrency = domain.worker_concurrency;
  options.messages_per_delivery = domain.messages_per_delivery;
  options.visibility_timeout = domain.queue.visibility_timeout;
  options.max_receives = domain.queue.max_receives;
  options.until_drained = lifetime == PoolLifetime::kUntilDrained;
  return options;
}

}  // namespace rawfeed::app
