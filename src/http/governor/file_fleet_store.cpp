#include "http/governor/file_fleet_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rawfeed::http::governor {
namespace {

core::Error storageError(const std::string& what, const std::filesystem::path& path) {
  return core::makeError(core::ErrorCode::kInternal,
                         what + " " + path.string() + ": " + std::strerror(errno));
}

// Closes the descriptor (and so releases its lock) on every path out.
class LockFile {
 public:
  explicit LockFile(int fd) : fd_(fd) {}
  ~LockFile() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

FileFleetStore::FileFleetStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

core::Result<HostRecord> FileFleetStore::read(const std::string& host) {
  HostRecord record;
  // Renamed into place whole, so an unlocked read sees the old or the new record.
  if (std::ifstream in(dir_ / (hostFileName(host) + ".json")); in) {
    std::stringstream text;
    text << in.rdbuf();
    record = decodeHostRecord(text.str());
  }
  return record;
}

core::Result<HostRecord> FileFleetStore::update(const std::string& host,
                                                const std::function<void(HostRecord&)>& change) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) {
    return core::makeError(core::ErrorCode::kInternal,
                           "governor directory " + dir_.string() + ": " + error.message());
  }
  const std::string name = hostFileName(host);
  const auto lock_path = dir_ / (name + ".lock");
  const auto path = dir_ / (name + ".json");
  LockFile lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (lock.fd() < 0)
    return storageError("cannot open", lock_path);
  while (::flock(lock.fd(), LOCK_EX) != 0) {
    if (errno != EINTR)
      return storageError("cannot lock", lock_path);
  }
  HostRecord record;
  if (std::ifstream in(path); in) {
    std::stringstream text;
    text << in.rdbuf();
    record = decodeHostRecord(text.str());
  }
  change(record);
  const auto temp = dir_ / (name + ".json.tmp");
  {
    std::ofstream out(temp, std::ios::trunc);
    out << encodeHostRecord(record);
    out.flush();
    if (!out)
      return storageError("cannot write", temp);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0)
    return storageError("cannot replace", path);
  return record;
}

}  // namespace rawfeed::http::governor
