#pragma once

#include <string>
#include <string_view>

namespace rawfeed::store::local {

// Owns one file descriptor; closes it once. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();
  // Closes now and reports close(2)'s errno (0 on success): for a written file, close can be
  // where a deferred write error surfaces.
  int reset();

 private:
  int fd_ = -1;
};

// strerror for errno values, thread-safe.
std::string errnoText(int error);

// Each returns 0 or the errno of the failing call; EINTR is retried.
int writeAll(int fd, std::string_view bytes);
// Appends the rest of fd to out. size_hint: the expected size (from fstat), read in one go.
int readAll(int fd, std::size_t size_hint, std::string& out);
// fdatasync: for a file just created it flushes the size too, which is all a reader needs;
// the directory entry is made durable separately.
int syncFileData(int fd);
int fsyncDirectory(const std::string& path);

}  // namespace rawfeed::store::local
