#include "events/outbox/outbox_event_sink.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "events/outbox/delivery_ledger.h"

namespace rawfeed::events::outbox {

namespace {

// An exclusive flock on a lock file, held for one delivery pass, so that processes sharing a
// state directory take turns.
class PassLock {
 public:
  static core::Result<std::unique_ptr<PassLock>> acquire(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return failure("open", path, errno);
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        const int error = errno;
        ::close(fd);
        return failure("lock", path, error);
      }
    }
    return std::unique_ptr<PassLock>(new PassLock(fd));
  }
  PassLock(const PassLock&) = delete;
  PassLock& operator=(const PassLock&) = delete;
  ~PassLock() { ::close(fd_); }  // drops the flock

 private:
  explicit PassLock(int fd) : fd_(fd) {}
  static core::Error failure(const char* what, const std::filesystem::path& path, int error) {
    char buffer[256];
    return core::makeError(core::ErrorCode::kInternal,
                           fmt::format("event outbox {} '{}': {}", what, path.string(),
                                       ::strerror_r(error, buffer, sizeof buffer)));
  }
  int fd_;
};

std::filesystem::path lockPath(const std::filesystem::path& ledger) {
  return std::filesystem::path(ledger.string() + ".lock");
}

core::Status ensureDirectory(const std::filesystem::path& file) {
  std::error_code error;
  std::filesystem::create_directories(file.parent_path(), error);
  if (error) {
    return core::makeError(
        core::ErrorCode::kInternal,
        "event outbox create directory '" + file.parent_path().string() + "': " + error.message());
  }
  return core::okStatus();
}

// The sink itself is unwell (down, throttling, refusing the credentials, gone): later events
// would fail the same way, so the pass stops rather than wait out each one's retries.
bool endsPass(const core::Error& error) {
  return error.code != core::ErrorCode::kInvalidInput && error.code != core::ErrorCode::kPermanent;
}

std::string batchIdOf(const std::string& line) {
  auto event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object())
    return "";
  const auto detail = event.find("detail");
  if (detail == event.end() || !detail->is_object())
    return "";
  const auto id = detail->find("batch_id");
  return id != detail->end() && id->is_string() ? id->get<std::string>() : "";
}

}  // namespace

OutboxEventSink::OutboxEventSink(OutboxOptions options, std::unique_ptr<EventSink> remote,
                                 observe::Logger& logger)
    : options_(std::move(options)),
      remote_(std::move(remote)),
      logger_(logger),
      log_(options_.log_path) {}

core::Result<std::unique_ptr<OutboxEventSink>> OutboxEventSink::open(
    OutboxOptions options, std::unique_ptr<EventSink> remote, observe::Logger& logger) {
  if (auto made = ensureDirectory(options.ledger_path); !made.ok())
    return made.error();
  if (auto made = ensureDirectory(options.log_path); !made.ok())
    return made.error();
  auto lock = PassLock::acquire(lockPath(options.ledger_path));
  if (!lock.ok())
    return lock.error();
  auto ledger = DeliveryLedger::open(options.ledger_path, options.log_path, options.sink_name);
  if (!ledger.ok())
    return ledger.error();
  return std::unique_ptr<OutboxEventSink>(
      new OutboxEventSink(std::move(options), std::move(remote), logger));
}

core::Status OutboxEventSink::publish(std::string_view event_json) {
  std::lock_guard guard(mutex_);
  auto lock = PassLock::acquire(lockPath(options_.ledger_path));
  if (!lock.ok())
    return lock.error();
  if (auto recorded = log_.publish(event_json); !recorded.ok())
    return recorded;
  last_report_ = deliverLocked();
  return core::okStatus();
}

DeliveryReport OutboxEventSink::deliverPending() {
  std::lock_guard guard(mutex_);
  auto lock = PassLock::acquire(lockPath(options_.ledger_path));
  if (!lock.ok()) {
    DeliveryReport report;
    report.error = lock.error();
    last_report_ = report;
    return report;
  }
  last_report_ = deliverLocked();
  return last_report_;
}

DeliveryReport OutboxEventSink::lastReport() const {
  std::lock_guard guard(mutex_);
  return last_report_;
}

core::Result<int> OutboxEventSink::pendingCount() {
  std::lock_guard guard(mutex_);
  auto lock = PassLock::acquire(lockPath(options_.ledger_path));
  if (!lock.ok())
    return lock.error();
  auto ledger = DeliveryLedger::open(options_.ledger_path, options_.log_path, options_.sink_name);
  if (!ledger.ok())
    return ledger.error();
  auto log = readLoggedEvents(options_.log_path);
  if (!log.ok())
    return log.error();
  return static_cast<int>(ledger->pending(*log).size());
}

DeliveryReport OutboxEventSink::deliverLocked() {
  DeliveryReport report;
  // Read afresh under the lock: another process may have delivered or logged meanwhile.
  auto ledger = DeliveryLedger::open(options_.ledger_path, options_.log_path, options_.sink_name);
  if (!ledger.ok()) {
    report.error = ledger.error();
    return report;
  }
  auto log = readLoggedEvents(options_.log_path);
  if (!log.ok()) {
    report.error = log.error();
    return report;
  }
  const auto pending = ledger->pending(*log);
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const std::string& line = pending[i].line;
    const std::string batch_id = batchIdOf(line);
    if (auto sent = remote_->publish(line); !sent.ok()) {
      report.error = sent.error();
      ++report.pending;
      logger_.warn("event_delivery_failed", {{"sink", options_.sink_name},
                                             {"batch_id", batch_id},
                                             {"error", sent.error().describe()}});
      if (endsPass(sent.error())) {
        report.pending += static_cast<int>(pending.size() - i - 1);
        break;
      }
      continue;
    }
    if (auto marked = ledger->markDelivered(line); !marked.ok()) {
      // Delivered but not recorded: the next pass sends it again (at-least-once).
      report.error = marked.error();
      report.pending += static_cast<int>(pending.size() - i);
      logger_.error("event_ledger_failed", {{"sink", options_.sink_name},
                                            {"batch_id", batch_id},
                                            {"error", marked.error().describe()}});
      break;
    }
    ++report.delivered;
    logger_.info("event_delivered", {{"sink", options_.sink_name}, {"batch_id", batch_id}});
  }
  if (report.pending > 0) {
    logger_.warn("events_pending", {{"sink", options_.sink_name}, {"pending", report.pending}});
  }
  return report;
}

}  // namespace rawfeed::events::outbox
