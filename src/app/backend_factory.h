#pragma once

#include <memory>

#include "app/aws_backends.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "observe/logger.h"
#include "queue/queue.h"
#include "store/object_store.h"

namespace rawfeed::app {

// Opens a domain's queue and lake by their location's backend (config/locations.h). The tables
// in backend_factory.cpp are the one place, besides a backend's own folder and its scheme line
// in config/locations.cpp, that a new queue or lake backend touches.
struct BackendContext {
  const config::DomainConfig& domain;
  const core::Clock& clock;
  core::Random& random;
  observe::Logger& logger;
  AwsBackends* aws = nullptr;  // open whenever a location's backend needs it
};

// Whether opening the location needs the AWS side (region, credentials, endpoints).
bool needsAws(const config::QueueLocation& queue);
bool needsAws(const config::LakeLocation& lake);

core::Result<std::unique_ptr<queue::Queue>> openQueue(const BackendContext& context);
// A local lake is checked writable first (a file, a read-only or full directory ends the command
// before anything is sent); an S3 lake's bucket is checked.
core::Result<std::unique_ptr<store::ObjectStore>> openLake(const BackendContext& context);

}  // namespace rawfeed::app
