#include "app/backend_factory.h"

#include <array>
#include <string_view>

#include "queue/sqlite/sqlite_queue.h"
#include "store/local/local_object_store.h"
#include "store/local/writable_check.h"

namespace rawfeed::app {

namespace {

template <typename Opened>
struct Backend {
  std::string_view name;  // the location's `backend`
  bool needs_aws;
  core::Result<std::unique_ptr<Opened>> (*open)(const BackendContext& context);
};

// --- queues ---------------------------------------------------------------------------------

// The embedded queue: state_dir/queues/DOMAIN.db unless the location names a database.
core::Result<std::unique_ptr<queue::Queue>> openSqliteQueue(const BackendContext& context) {
  const auto& domain = context.domain;
  queue::sqlite::SqliteQueueOptions options;
  options.db_path = domain.queue_location.address.empty()
                        ? domain.state_dir / "queues" / (domain.name + ".db")
                        : std::filesystem::path(domain.queue_location.address);
  options.queue_name = domain.name;
  options.visibility_timeout = domain.queue.visibility_timeout;
  options.max_receives = domain.queue.max_receives;
  options.retention = domain.queue.retention;
  options.dlq_retention = domain.queue.dlq_retention;
  auto queue = queue::sqlite::SqliteQueue::open(options, context.clock);
  if (!queue.ok())
    return queue.error();
  return std::unique_ptr<queue::Queue>(std::move(queue).value());
}

core::Result<std::unique_ptr<queue::Queue>> openSqsQueue(const BackendContext& context) {
  return context.aws->openQueue(context.domain.queue_location, context.random);
}

constexpr std::array<Backend<queue::Queue>, 2> kQueueBackends{{
    {config::kSqliteQueue, false, openSqliteQueue},
    {config::kSqsQueue, true, openSqsQueue},
}};

// --- lakes ----------------------------------------------------------------------------------

core::Result<std::unique_ptr<store::ObjectStore>> openLocalLake(const BackendContext& context) {
  const std::filesystem::path directory(context.domain.lake.address);
  if (auto writable = store::local::checkWritableDirectory(directory, "lake"); !writable.ok())
    return writable.error();
  return std::unique_ptr<store::ObjectStore>(
      std::make_unique<store::local::LocalObjectStore>(directory, context.clock));
}

core::Result<std::unique_ptr<store::ObjectStore>> openS3Lake(const BackendContext& context) {
  return context.aws->openLake(context.domain.lake, context.random, context.logger);
}

constexpr std::array<Backend<store::ObjectStore>, 2> kLakeBackends{{
    {config::kLocalLake, false, openLocalLake},
    {config::kS3Lake, true, openS3Lake},
}};

template <typename Opened, std::size_t N>
const Backend<Opened>* backendNamed(const std::array<Backend<Opened>, N>& backends,
                                    std::string_view name) {
  for (const auto& backend : backends) {
    if (backend.name == name)
      return &backend;
  }
  return nullptr;
}

// A location parsed by a scheme no opener serves is a programming error, named as one.
template <typename Opened, std::size_t N>
core::Result<std::unique_ptr<Opened>> openBy(const std::array<Backend<Opened>, N>& backends,
                                             std::string_view what, const std::string& backend,
                                             const std::string& uri,
                                             const BackendContext& context) {
  const auto* found = backendNamed(backends, backend);
  if (found == nullptr) {
    return core::makeError(core::ErrorCode::kInternal,
                           std::string(what) + " '" + uri + "': no opener for backend " + backend);
  }
  if (found->needs_aws && context.aws == nullptr) {
    return core::makeError(core::ErrorCode::kInternal,
                           std::string(what) + " '" + uri + "' needs the AWS side, not opened");
  }
  return found->open(context);
}

}  // namespace

bool needsAws(const config::QueueLocation& queue) {
  const auto* backend = backendNamed(kQueueBackends, queue.backend);
  return backend != nullptr && backend->needs_aws;
}

bool needsAws(const config::LakeLocation& lake) {
  const auto* backend = backendNamed(kLakeBackends, lake.backend);
  return backend != nullptr && backend->needs_aws;
}

core::Result<std::unique_ptr<queue::Queue>> openQueue(const BackendContext& context) {
  const auto& location = context.domain.queue_location;
  return openBy(kQueueBackends, "queue", location.backend, location.uri, context);
}

core::Result<std::unique_ptr<store::ObjectStore>> openLake(const BackendContext& context) {
  const auto& location = context.domain.lake;
  return openBy(kLakeBackends, "lake", location.backend, location.uri, context);
}

}  // namespace rawfeed::app
