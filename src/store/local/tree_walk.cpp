#include "store/local/tree_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "store/local/posix_io.h"

namespace rawfeed::store::local {

namespace {

// Closes a DIR stream (and with it the descriptor it took over).
struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirStream = std::unique_ptr<DIR, DirCloser>;

bool vanished(int error) {
  return error == ENOENT || error == ENOTDIR;
}

core::Status walkError(const std::string& root, const std::string& key, int error) {
  return core::makeError(core::ErrorCode::kInternal,
                         "list '" + root + "/" + key + "': " + errnoText(error));
}

class Walker {
 public:
  Walker(const std::string& root, const WalkVisitor& visit) : root_(root), visit_(visit) {}

  // key: the directory's path relative to the root ("" for the root); fd: it, opened.
  core::Status walk(int fd, std::string& key, std::string_view name_prefix) {
    DirStream dir(::fdopendir(fd));
    if (!dir) {
      const int error = errno;
      ::close(fd);
      return walkError(root_, key, error);
    }
    const std::size_t key_size = key.size();
    while (true) {
      errno = 0;
      const dirent* entry = ::readdir(dir.get());
      if (entry == nullptr) {
        if (errno != 0)
          return walkError(root_, key, errno);
        return core::okStatus();
      }
      const std::string_view name = entry->d_name;
      if (name == "." || name == ".." || name.substr(0, name_prefix.size()) != name_prefix) {
        continue;
      }
      if (key_size != 0)
        key.push_back('/');
      key.append(name);
      auto status = visitEntry(::dirfd(dir.get()), key, name, entry->d_type);
      key.resize(key_size);
      if (!status.ok())
        return status;
    }
  }

 private:
  core::Status visitEntry(int dir_fd, std::string& key, std::string_view name, unsigned char type) {
    const std::string name_text(name);
    if (type == DT_DIR)
      return descend(dir_fd, key, name_text);
    if (type != DT_REG && type != DT_UNKNOWN)
      return core::okStatus();
    struct stat st {};
    if (::fstatat(dir_fd, name_text.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return vanished(errno) ? core::okStatus() : walkError(root_, key, errno);
    }
    if (S_ISDIR(st.st_mode))
      return descend(dir_fd, key, name_text);
    if (!S_ISREG(st.st_mode))
      return core::okStatus();
    return visit_(WalkEntry{key, name, dir_fd, static_cast<std::uint64_t>(st.st_size),
                            static_cast<std::int64_t>(st.st_mtim.tv_sec)});
  }

  core::Status descend(int dir_fd, std::string& key, const std::string& name) {
    const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      return vanished(errno) ? core::okStatus() : walkError(root_, key, errno);
    return walk(fd, key, "");
  }

  const std::string& root_;
  const WalkVisitor& visit_;
};

}  // namespace

core::Status walkFiles(const std::string& root, std::string_view start_dir,
                       std::string_view first_level_prefix, const WalkVisitor& visit) {
  std::string key(start_dir);
  const std::string path = key.empty() ? root : root + "/" + key;
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return vanished(errno) ? core::okStatus() : walkError(root, key, errno);
  Walker walker(root, visit);
  return walker.walk(fd, key, first_level_prefix);
}

}  // namespace rawfeed::store::local
