#include "store/local/directory_maker.h"

#include <sys/stat.h>

#include <cerrno>

#include "store/local/posix_io.h"

namespace rawfeed::store::local {

namespace {

std::string parentOf(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

core::Status ioError(const char* what, const std::string& path, int error) {
  return core::makeError(core::ErrorCode::kInternal,
                         std::string(what) + " '" + path + "': " + errnoText(error));
}

bool isDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// mkdir -p for the root itself; fsyncs the parent of each directory it creates.
core::Status makeAncestry(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0) {
    const int error = fsyncDirectory(parentOf(path));
    return error == 0 ? core::okStatus() : ioError("fsync directory", parentOf(path), error);
  }
  const int error = errno;
  if (error == EEXIST) {
    return isDirectory(path) ? core::okStatus() : ioError("create directory", path, ENOTDIR);
  }
  if (error != ENOENT || path == "/")
    return ioError("create directory", path, error);
  if (auto status = makeAncestry(parentOf(path)); !status.ok())
    return status;
  return makeAncestry(path);
}

}  // namespace

DirectoryMaker::DirectoryMaker(std::string root) : root_(std::move(root)) {}

std::optional<bool> DirectoryMaker::known(std::string_view relative_dir) const {
  std::lock_guard lock(known_mutex_);
  if (!root_ready_)
    return std::nullopt;
  if (relative_dir.empty())
    return false;
  const auto found = known_.find(relative_dir);
  return found == known_.end() ? std::nullopt : std::optional<bool>(found->second);
}

void DirectoryMaker::forget() {
  std::lock_guard lock(known_mutex_);
  known_.clear();
  root_ready_ = false;
}

core::Result<bool> DirectoryMaker::ensure(std::string_view relative_dir) {
  if (auto made = known(relative_dir))
    return *made;
  std::lock_guard create_lock(create_mutex_);
  if (auto status = ensureRootLocked(); !status.ok())
    return status.error();
  // Walk down, so each level's parent is known durable before the level is made.
  bool made_here = false;
  std::size_t end = 0;
  while (end < relative_dir.size()) {
    end = relative_dir.find('/', end + 1);
    if (end == std::string_view::npos)
      end = relative_dir.size();
    const std::string level(relative_dir.substr(0, end));
    if (auto made = known(level)) {
      made_here = *made;
      continue;
    }
    auto made = makeLocked(level);
    if (!made.ok())
      return made.error();
    made_here = *made;
    std::lock_guard lock(known_mutex_);
    known_.emplace(level, made_here);
  }
  return made_here;
}

core::Status DirectoryMaker::ensureRootLocked() {
  {
    std::lock_guard lock(known_mutex_);
    if (root_ready_)
      return core::okStatus();
  }
  if (auto status = makeAncestry(root_); !status.ok())
    return status;
  std::lock_guard lock(known_mutex_);
  root_ready_ = true;
  return core::okStatus();
}

core::Result<bool> DirectoryMaker::makeLocked(const std::string& relative_dir) {
  const std::string path = root_ + "/" + relative_dir;
  bool made = true;
  if (::mkdir(path.c_str(), 0755) != 0) {
    const int error = errno;
    if (error != EEXIST)
      return ioError("create directory", path, error).error();
    if (!isDirectory(path))
      return ioError("create directory", path, ENOTDIR).error();
    made = false;
  }
  // Also when it already existed: another process may have made it without fsyncing yet.
  // Once per directory per process, so cheap.
  const std::string parent = parentOf(path);
  if (const int error = fsyncDirectory(parent); error != 0)
    return ioError("fsync directory", parent, error).error();
  return made;
}

}  // namespace rawfeed::store::local
