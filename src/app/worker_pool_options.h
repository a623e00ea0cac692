#pragma once

#include "config/config.h"
#include "pipeline/worker_pool.h"

namespace rawfeed::app {

enum class PoolLifetime {
  kUntilDrained,  // `run`, `work`: stop once the queue is empty
  kForever,       // `work --forever`, `serve`: keep receiving
};

// The worker pool a domain's configuration asks for.
pipeline::WorkerPoolOptions workerPoolOptions(const config::DomainConfig& domain,
                                              PoolLifetime lifetime);

}  // namespace rawfeed::app
