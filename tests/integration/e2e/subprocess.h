#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

// Test support: runs a program with its stdout and stderr captured in files.
namespace rawfeed::e2e {

class Subprocess {
 public:
  // file_size_limit: RLIMIT_FSIZE for the child (bytes), with SIGXFSZ ignored, so that a write
  // past it fails with EFBIG the way a full disk fails with ENOSPC: a disk-full stand-in that
  // needs no mount.
  Subprocess(std::vector<std::string> argv, const std::filesystem::path& output_dir,
             const std::string& name, std::optional<std::uint64_t> file_size_limit = std::nullopt)
      : out_(output_dir / (name + ".stdout")), err_(output_dir / (name + ".stderr")) {
    // Everything the child needs is made before the fork: between fork and exec the child of a
    // threaded test (a replay server, a writer pool) may only make async-signal-safe calls. A
    // malloc there can wait forever on a lock another thread held at the fork (seen under ASan).
    std::vector<char*> args;
    for (auto& arg : argv)
      args.push_back(arg.data());
    args.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      if (file_size_limit) {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{static_cast<rlim_t>(*file_size_limit),
                           static_cast<rlim_t>(*file_size_limit)};
        ::setrlimit(RLIMIT_FSIZE, &limit);
      }
      const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = ::open("/dev/null", O_RDONLY);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::dup2(in, 0);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Subprocess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }

  // The exit status, or 128 + signal.
  int wait() {
    if (exited_)
      return status_;
    int raw = 0;
    ::waitpid(pid_, &raw, 0);
    exited_ = true;
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    return status_;
  }
  void kill(int signal) { ::kill(pid_, signal); }
  std::string out() const { return read(out_); }
  std::string err() const { return read(err_); }

 private:
  static std::string read(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
};

}  // namespace rawfeed::e2e
