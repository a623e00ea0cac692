#include "store/local/posix_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rawfeed::store::local {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

int UniqueFd::reset() {
  if (fd_ < 0)
    return 0;
  // Linux closes the descriptor even when close() fails with EINTR, so never retry it.
  const int rc = ::close(fd_);
  fd_ = -1;
  return rc == 0 ? 0 : errno;
}

std::string errnoText(int error) {
  char buffer[256];
  // The GNU variant returns a pointer that may or may not be buffer.
  return ::strerror_r(error, buffer, sizeof buffer);
}

int writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

int readAll(int fd, std::size_t size_hint, std::string& out) {
  // One spare byte so that a file of exactly size_hint bytes ends with one short read at EOF.
  std::size_t filled = out.size();
  out.resize(filled + size_hint + 1);
  while (true) {
    if (filled == out.size())
      out.resize(out.size() * 2);
    const ssize_t n = ::read(fd, out.data() + filled, out.size() - filled);
    if (n == 0)
      break;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    filled += static_cast<std::size_t>(n);
  }
  out.resize(filled);
  return 0;
}

int syncFileData(int fd) {
  while (::fdatasync(fd) != 0) {
    if (errno != EINTR)
      return errno;
  }
  return 0;
}

int fsyncDirectory(const std::string& path) {
  UniqueFd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid())
    return errno;
  while (::fsync(dir.get()) != 0) {
    if (errno != EINTR)
      return errno;
  }
  return dir.reset();
}

}  // namespace rawfeed::store::local
