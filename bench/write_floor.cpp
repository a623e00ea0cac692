// rawfeed-bench-write-floor: the disk floor of figure 2 (bench/README.md).
//
// Walks a lake a `rawfeed run` produced, loads every file (objects and manifests) into memory,
// then writes the same keys with the same bytes into a fresh root on the same filesystem using
// exactly the system calls LocalObjectStore::put makes (src/store/local/):
//
//   once per process: mkdir -p of the root, fsync of the parent of each level it created
//   once per partition directory level: mkdir, then fsync of its parent (also when it existed)
//   per object: lstat(target)                        (create-only skip check)
//               open(dir/.tmp-NONCE-N, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644)
//               write, fdatasync, close
//               renameat2(temp, target, RENAME_NOREPLACE)   (link + unlink where unsupported)
//               open(dir, O_DIRECTORY), fsync, close
//
// Nothing else: no encoding, no hashing, no queue, no network. So the time it takes is what the
// writes alone cost, and rawfeed cannot be faster than it with the same parallelism.
//
//   rawfeed-bench-write-floor --from LAKE --to FRESH_DIR [--threads T]
//
// --threads T writes from T threads taking objects from one shared list, as rawfeed's T workers
// do (worker_concurrency); T = 1 is the plain sequential floor.
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Object {
  std::string key;  // relative to the root, '/'-separated
  std::string bytes;
};

[[noreturn]] void die(const char* what, const std::string& path) {
  std::fprintf(stderr, "write-floor: %s '%s': %s\n", what, path.c_str(), std::strerror(errno));
  std::exit(1);
}

std::string readFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    die("open", path);
  std::string bytes;
  char buffer[65536];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) != 0;) {
    if (n < 0)
      die("read", path);
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

// Every regular file under root/relative, temporaries excluded.
void collect(const std::string& root, const std::string& relative, std::vector<Object>& out) {
  const std::string dir = relative.empty() ? root : root + "/" + relative;
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr)
    die("opendir", dir);
  while (const dirent* entry = ::readdir(stream)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || name.rfind(".tmp-", 0) == 0)
      continue;
    const std::string key = relative.empty() ? name : relative + "/" + name;
    struct stat st {};
    if (::lstat((root + "/" + key).c_str(), &st) != 0)
      die("stat", root + "/" + key);
    if (S_ISDIR(st.st_mode)) {
      collect(root, key, out);
    } else if (S_ISREG(st.st_mode)) {
      out.push_back({key, readFile(root + "/" + key)});
    }
  }
  ::closedir(stream);
}

std::string parentOf(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void fsyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    die("open directory", path);
  while (::fsync(fd) != 0) {
    if (errno != EINTR)
      die("fsync directory", path);
  }
  ::close(fd);
}

void makeAncestry(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0) {
    fsyncDirectory(parentOf(path));
    return;
  }
  if (errno == EEXIST)
    return;
  if (errno != ENOENT || path == "/")
    die("mkdir", path);
  makeAncestry(parentOf(path));
  makeAncestry(path);
}

// DirectoryMaker: each level made (and its parent fsynced) once per process, under one lock.
class Directories {
 public:
  explicit Directories(std::string root) : root_(std::move(root)) { makeAncestry(root_); }

  void ensure(const std::string& relative_dir) {
    {
      std::lock_guard lock(known_mutex_);
      if (relative_dir.empty() || known_.count(relative_dir) != 0)
        return;
    }
    std::lock_guard create(create_mutex_);
    std::size_t end = 0;
    while (end < relative_dir.size()) {
      end = relative_dir.find('/', end + 1);
      if (end == std::string::npos)
        end = relative_dir.size();
      const std::string level = relative_dir.substr(0, end);
      {
        std::lock_guard lock(known_mutex_);
        if (known_.count(level) != 0)
          continue;
      }
      const std::string path = root_ + "/" + level;
      if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
        die("mkdir", path);
      fsyncDirectory(parentOf(path));
      std::lock_guard lock(known_mutex_);
      known_.insert(level);
    }
  }

 private:
  std::string root_;
  std::mutex create_mutex_;
  std::mutex known_mutex_;
  std::set<std::string> known_;
};

void writeAll(int fd, const std::string& bytes, const std::string& path) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      die("write", path);
    written += static_cast<std::size_t>(n);
  }
}

void put(const std::string& root, Directories& directories, const Object& object,
         std::atomic<std::uint64_t>& counter) {
  const std::string target = root + "/" + object.key;
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0)
    return;  // never: the root is fresh
  const std::size_t slash = object.key.rfind('/');
  const std::string relative_dir = slash == std::string::npos ? "" : object.key.substr(0, slash);
  directories.ensure(relative_dir);
  const std::string dir = relative_dir.empty() ? root : root + "/" + relative_dir;
  const std::string temp = dir + "/.tmp-00000000f100f100-" + std::to_string(counter.fetch_add(1));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    die("create", temp);
  writeAll(fd, object.bytes, temp);
  while (::fdatasync(fd) != 0) {
    if (errno != EINTR)
      die("fdatasync", temp);
  }
  if (::close(fd) != 0)
    die("close", temp);
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno != EINVAL && errno != ENOSYS)
      die("rename", target);
    if (::link(temp.c_str(), target.c_str()) != 0)
      die("link", target);
    ::unlink(temp.c_str());
  }
  fsyncDirectory(dir);
}

double cpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  std::string from;
  std::string to;
  int threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--from")
      from = argv[i + 1];
    else if (flag == "--to")
      to = argv[i + 1];
    else if (flag == "--threads")
      threads = std::max(1, std::atoi(argv[i + 1]));
  }
  if (from.empty() || to.empty() || argc % 2 == 0) {
    std::fprintf(stderr, "usage: %s --from LAKE --to FRESH_DIR [--threads T]\n", argv[0]);
    return 2;
  }
  struct stat st {};
  if (::stat(to.c_str(), &st) == 0) {
    std::fprintf(stderr, "write-floor: '%s' exists; give a fresh directory\n", to.c_str());
    return 2;
  }
  std::vector<Object> objects;
  collect(from, "", objects);
  // rawfeed lands a symbol's days one after another and writes the manifests last: symbol-major
  // order (file name, then partition), manifests at the end.
  std::sort(objects.begin(), objects.end(), [](const Object& a, const Object& b) {
    const bool a_manifest = a.key.find("_batch.manifest") != std::string::npos;
    const bool b_manifest = b.key.find("_batch.manifest") != std::string::npos;
    if (a_manifest != b_manifest)
      return b_manifest;
    const std::string an = a.key.substr(a.key.rfind('/') + 1);
    const std::string bn = b.key.substr(b.key.rfind('/') + 1);
    return an != bn ? an < bn : a.key < b.key;
  });
  std::uint64_t bytes = 0;
  for (const auto& object : objects)
    bytes += object.bytes.size();

  const double cpu_before = cpuSeconds();
  const auto started = std::chrono::steady_clock::now();
  Directories directories(to);
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> counter{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&]() {
      for (std::size_t i = next.fetch_add(1); i < objects.size(); i = next.fetch_add(1)) {
        put(to, directories, objects[i], counter);
      }
    });
  }
  for (auto& thread : pool)
    thread.join();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "write-floor files=%zu bytes=%llu threads=%d wall_s=%.3f cpu_s=%.3f files_per_s=%.0f\n",
      objects.size(), static_cast<unsigned long long>(bytes), threads, wall,
      cpuSeconds() - cpu_before, static_cast<double>(objects.size()) / wall);
  return 0;
}
