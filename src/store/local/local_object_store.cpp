#include "store/local/local_object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <random>
#include <set>

#include "store/local/object_key.h"
#include "store/local/posix_io.h"
#include "store/local/tree_walk.h"

namespace rawfeed::store::local {

namespace {

constexpr int kMaxTempAttempts = 16;

std::string normaliseRoot(const std::filesystem::path& root) {
  std::error_code ignored;  // if absolute() fails, the path as given names the problem later
  std::filesystem::path absolute = std::filesystem::absolute(root, ignored);
  if (absolute.empty())
    absolute = root;
  std::string text = absolute.lexically_normal().string();
  while (text.size() > 1 && text.back() == '/')
    text.pop_back();
  return text;
}

std::uint64_t makeNonce() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32 | device()) ^
         static_cast<std::uint64_t>(::getpid());
}

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

core::Error ioError(std::string_view op, std::string_view key, const char* what,
                    const std::string& path, int error) {
  return core::makeError(core::ErrorCode::kInternal, std::string(op) + " '" + std::string(key) +
                                                         "': " + what + " '" + path +
                                                         "': " + errnoText(error));
}

core::Error notFound(std::string_view key) {
  return core::makeError(core::ErrorCode::kNotFound, "object '" + std::string(key) + "' not found");
}

core::Error withOperation(std::string_view op, std::string_view key, const core::Error& error) {
  return core::makeError(error.code,
                         std::string(op) + " '" + std::string(key) + "': " + error.message);
}

bool missing(int error) {
  return error == ENOENT || error == ENOTDIR;
}

std::string_view parentKey(std::string_view key) {
  const std::size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : key.substr(0, slash);
}

bool isTempKey(std::string_view key) {
  return key.substr(0, kTempPrefix.size()) == kTempPrefix ||
         key.find(std::string("/") + std::string(kTempPrefix)) != std::string_view::npos;
}

}  // namespace

LocalObjectStore::LocalObjectStore(const std::filesystem::path& root, const core::Clock& clock)
    : root_(normaliseRoot(root)), clock_(clock), directories_(root_), temp_nonce_(makeNonce()) {}

std::string LocalObjectStore::pathOf(std::string_view key) const {
  std::string path;
  path.reserve(root_.size() + 1 + key.size());
  path.append(root_).push_back('/');
  path.append(key);
  return path;
}

std::string LocalObjectStore::location() const {
  return "file://" + root_;
}

core::Result<PutOutcome> LocalObjectStore::put(std::string_view key, std::string_view bytes,
                                               const PutOptions& options) {
  if (auto status = validateKey(key); !status.ok())
    return status.error();
  const std::string target = pathOf(key);
  const std::string_view rel_dir = parentKey(key);
  auto made_here = directories_.ensure(rel_dir);
  if (!made_here.ok())
    return withOperation("put", key, made_here.error());
  // Skip-existing re-runs leave almost every key alone: answer them without writing anything —
  // unless this process made the directory, which then held nothing of an earlier run (a new
  // day's partition: the common case, one system call saved per object). The rename below still
  // decides races either way.
  struct stat st {};
  if (options.mode == PutMode::kCreateOnly && !*made_here && ::lstat(target.c_str(), &st) == 0) {
    return PutOutcome::kAlreadyExists;
  }
  const std::string dir = rel_dir.empty() ? root_ : pathOf(rel_dir);
  auto temp = writeTemp(key, dir, bytes);
  if (!temp.ok())
    return temp.error();
  auto outcome = publish(key, *temp, target, options.mode);
  if (!outcome.ok() || *outcome == PutOutcome::kAlreadyExists)
    return outcome;
  // The rename is durable only once the directory is: now, or at the caller's flush().
  if (!options.durable_on_return)
    return PutOutcome::kWritten;
  if (const int error = directory_syncer_.sync(dir); error != 0) {
    return ioError("put", key, "fsync directory", dir, error);
  }
  return PutOutcome::kWritten;
}

core::Status LocalObjectStore::flush(std::span<const std::string> keys) {
  std::set<std::string_view> directories;
  for (const auto& key : keys) {
    if (auto status = validateKey(key); !status.ok())
      return status;
    directories.insert(parentKey(key));
  }
  // Concurrent flushes of one directory share its fsync (DirectorySyncer).
  for (const std::string_view rel_dir : directories) {
    const std::string dir = rel_dir.empty() ? root_ : pathOf(rel_dir);
    if (const int error = directory_syncer_.sync(dir); error != 0) {
      return core::makeError(core::ErrorCode::kInternal,
                             "flush: fsync directory '" + dir + "': " + errnoText(error));
    }
  }
  return core::okStatus();
}

core::Result<std::string> LocalObjectStore::writeTemp(std::string_view key, const std::string& dir,
                                                      std::string_view bytes) {
  const std::string stem = dir + "/" + std::string(kTempPrefix) + hex(temp_nonce_) + "-";
  for (int attempt = 0; attempt < kMaxTempAttempts; ++attempt) {
    std::string temp = stem + std::to_string(temp_counter_.fetch_add(1));
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd.valid()) {
      const int error = errno;
      if (error == EEXIST)
        continue;  // a crashed process with our nonce and counter: unlikely
      if (error == ENOENT && attempt == 0) {
        // A directory we knew of was removed behind our back: make it again, once.
        directories_.forget();
        if (auto made = directories_.ensure(parentKey(key)); !made.ok()) {
          return withOperation("put", key, made.error());
        }
        continue;
      }
      return ioError("put", key, "create", temp, error);
    }
    const char* what = "write";
    int error = writeAll(fd.get(), bytes);
    if (error == 0) {
      what = "fsync";
      error = syncFileData(fd.get());
    }
    if (error == 0) {
      what = "close";
      error = fd.reset();
    }
    if (error != 0) {
      ::unlink(temp.c_str());
      return ioError("put", key, what, temp, error);
    }
    return temp;
  }
  return ioError("put", key, "create temp in", dir, EEXIST);
}

core::Result<PutOutcome> LocalObjectStore::publish(std::string_view key, const std::string& temp,
                                                   const std::string& target, PutMode mode) {
  const int error = mode == PutMode::kOverwrite
                        ? (::rename(temp.c_str(), target.c_str()) == 0 ? 0 : errno)
                        : renameNoReplace(temp, target);
  if (error == 0)
    return PutOutcome::kWritten;
  ::unlink(temp.c_str());
  if (error == EEXIST && mode == PutMode::kCreateOnly)
    return PutOutcome::kAlreadyExists;
  return ioError("put", key, "rename into", target, error);
}

int LocalObjectStore::renameNoReplace(const std::string& from, const std::string& to) {
  if (!no_replace_unsupported_.load(std::memory_order_relaxed)) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
      return 0;
    if (errno != EINVAL && errno != ENOSYS)
      return errno;
    no_replace_unsupported_.store(true, std::memory_order_relaxed);
  }
  // link(2) fails with EEXIST just as atomically; the temp name is then dropped.
  if (::link(from.c_str(), to.c_str()) != 0)
    return errno;
  ::unlink(from.c_str());  // a failure leaves a temp for sweepTemporaries, nothing worse
  return 0;
}

core::Result<std::string> LocalObjectStore::get(std::string_view key) {
  if (auto status = validateKey(key); !status.ok())
    return status.error();
  const std::string path = pathOf(key);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (missing(errno))
      return notFound(key);
    return ioError("get", key, "open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return ioError("get", key, "stat", path, errno);
  if (!S_ISREG(st.st_mode))
    return notFound(key);
  std::string bytes;
  if (const int error = readAll(fd.get(), static_cast<std::size_t>(st.st_size), bytes)) {
    return ioError("get", key, "read", path, error);
  }
  return bytes;
}

core::Result<ObjectInfo> LocalObjectStore::head(std::string_view key) {
  if (auto status = validateKey(key); !status.ok())
    return status.error();
  const std::string path = pathOf(key);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (missing(errno))
      return notFound(key);
    return ioError("head", key, "stat", path, errno);
  }
  if (!S_ISREG(st.st_mode))
    return notFound(key);
  return ObjectInfo{std::string(key), static_cast<std::uint64_t>(st.st_size)};
}

core::Result<std::vector<ObjectInfo>> LocalObjectStore::list(std::string_view prefix) {
  const std::size_t slash = prefix.rfind('/');
  const std::string_view rel_dir =
      slash == std::string_view::npos ? std::string_view() : prefix.substr(0, slash);
  const std::string_view name_prefix =
      slash == std::string_view::npos ? prefix : prefix.substr(slash + 1);
  std::vector<ObjectInfo> objects;
  // No valid key lies under an invalid directory (and "..", in particular, must not escape).
  if (!rel_dir.empty() && !validateKey(rel_dir).ok())
    return objects;
  auto status = walkFiles(root_, rel_dir, name_prefix, [&objects](const WalkEntry& entry) {
    if (!isTempKey(entry.key))
      objects.push_back(ObjectInfo{std::string(entry.key), entry.size});
    return core::okStatus();
  });
  if (!status.ok())
    return status.error();
  std::sort(objects.begin(), objects.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return objects;
}

core::Status LocalObjectStore::remove(std::string_view key) {
  if (auto status = validateKey(key); !status.ok())
    return status.error();
  const std::string path = pathOf(key);
  if (::unlink(path.c_str()) != 0) {
    // Idempotent like S3's DELETE: an object that is not there is removed already.
    if (missing(errno))
      return core::okStatus();
    if (errno == EISDIR)
      return notFound(key);
    return ioError("remove", key, "unlink", path, errno);
  }
  const std::string_view rel_dir = parentKey(key);
  const std::string dir = rel_dir.empty() ? root_ : pathOf(rel_dir);
  if (const int error = fsyncDirectory(dir); error != 0) {
    return ioError("remove", key, "fsync directory", dir, error);
  }
  return core::okStatus();
}

core::Result<std::size_t> LocalObjectStore::sweepTemporaries(std::chrono::seconds older_than) {
  const std::int64_t cutoff =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count() -
      older_than.count();
  std::size_t removed = 0;
  auto status = walkFiles(root_, "", "", [&](const WalkEntry& entry) -> core::Status {
    if (entry.name.substr(0, kTempPrefix.size()) != kTempPrefix)
      return core::okStatus();
    if (entry.mtime_seconds >= cutoff)
      return core::okStatus();
    const std::string name(entry.name);
    if (::unlinkat(entry.dir_fd, name.c_str(), 0) == 0) {
      ++removed;
    } else if (errno != ENOENT) {
      return ioError("sweep", entry.key, "unlink", pathOf(entry.key), errno);
    }
    return core::okStatus();
  });
  if (!status.ok())
    return status.error();
  return removed;
}

}  // namespace rawfeed::store::local
