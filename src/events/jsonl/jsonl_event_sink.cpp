#include "events/jsonl/jsonl_event_sink.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rawfeed::events::jsonl {

namespace {

std::string errnoText(int error) {
  char buffer[256];
  return ::strerror_r(error, buffer, sizeof buffer);  // GNU variant
}

core::Error ioError(const char* what, const std::filesystem::path& path, int error) {
  return core::makeError(core::ErrorCode::kInternal, std::string("event log ") + what + " '" +
                                                         path.string() + "': " + errnoText(error));
}

// Closes the descriptor (and so drops its flock) on every path out of publish().
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

int lockExclusive(int fd) {
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR)
      return errno;
  }
  return 0;
}

int writeLine(int fd, std::string_view line) {
  while (!line.empty()) {
    const ssize_t n = ::write(fd, line.data(), line.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    line.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

int syncFile(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR)
      return errno;
  }
  return 0;
}

int syncDirectory(const std::filesystem::path& dir) {
  Descriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0)
    return errno;
  if (const int error = syncFile(fd.get()))
    return error;
  return fd.close();
}

int readAll(int fd, std::string& out) {
  char buffer[64 * 1024];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0)
      return 0;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

JsonlEventSink::JsonlEventSink(std::filesystem::path path) : path_(std::move(path)) {}

std::filesystem::path JsonlEventSink::directory() const {
  const std::filesystem::path dir = path_.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

core::Status JsonlEventSink::ensureDirectory() {
  std::lock_guard lock(state_mutex_);
  if (directory_ready_)
    return core::okStatus();
  std::error_code error;
  std::filesystem::create_directories(directory(), error);
  if (error) {
    return core::makeError(
        core::ErrorCode::kInternal,
        "event log create directory '" + directory().string() + "': " + error.message());
  }
  directory_ready_ = true;
  return core::okStatus();
}

core::Status JsonlEventSink::syncEntryOnce() {
  {
    std::lock_guard lock(state_mutex_);
    if (entry_durable_)
      return core::okStatus();
  }
  // The log file may be new: its directory entry is durable only once the directory is.
  if (const int error = syncDirectory(directory())) {
    return ioError("fsync directory", directory(), error);
  }
  std::lock_guard lock(state_mutex_);
  entry_durable_ = true;
  return core::okStatus();
}

core::Status JsonlEventSink::publish(std::string_view event_json) {
  if (event_json.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput, "event is empty");
  }
  if (event_json.find('\n') != std::string_view::npos) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "event holds a newline; a JSON Lines record must be one line");
  }
  if (auto status = ensureDirectory(); !status.ok())
    return status;
  Descriptor fd(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
  if (fd.get() < 0)
    return ioError("open", path_, errno);

  std::string line;
  line.reserve(event_json.size() + 1);
  line.append(event_json).push_back('\n');
  // POSIX promises atomic appends only for pipes (PIPE_BUF); on a regular file a write may be
  // cut short, and its remainder would land after another writer's line. The lock, which
  // every publisher takes, keeps a line contiguous whatever its size. It is released by close.
  if (const int error = lockExclusive(fd.get()))
    return ioError("lock", path_, error);
  if (const int error = writeLine(fd.get(), line))
    return ioError("append to", path_, error);
  if (const int error = syncFile(fd.get()))
    return ioError("fsync", path_, error);
  if (const int error = fd.close())
    return ioError("close", path_, error);
  return syncEntryOnce();
}

core::Result<std::vector<std::string>> readEvents(const std::filesystem::path& path) {
  std::vector<std::string> events;
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT)
      return events;
    return ioError("open", path, errno);
  }
  std::string text;
  if (const int error = readAll(fd.get(), text))
    return ioError("read", path, error);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos)
      break;  // no newline: a torn last line, not an event
    events.emplace_back(text, start, end - start);
    start = end + 1;
  }
  return events;
}

}  // namespace rawfeed::events::jsonl
