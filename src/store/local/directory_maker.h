#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::store::local {

// Creates the directories under a root that puts write into, durably: a new directory's entry
// is fsynced in its parent before anything is published inside it, because otherwise a crash
// can lose the directory and every object in it. Remembers which directories are known to be
// there so the per-object path costs no syscalls for them. Thread-safe.
class DirectoryMaker {
 public:
  // root: absolute, without a trailing '/'. Created (with missing ancestors) on first use.
  explicit DirectoryMaker(std::string root);

  // Ensures root/relative_dir exists ("" is the root itself). True when this process made it
  // (so it held nothing when it was made), false when it was there before (the root always
  // counts as that). kInternal naming the path.
  core::Result<bool> ensure(std::string_view relative_dir);
  // Drops what is known, after a put found a directory gone (someone pruned the tree).
  void forget();

 private:
  // nullopt: not known yet; else whether this process made it.
  std::optional<bool> known(std::string_view relative_dir) const;
  core::Status ensureRootLocked();
  core::Result<bool> makeLocked(const std::string& relative_dir);

  const std::string root_;
  mutable std::mutex known_mutex_;  // guards known_ and root_ready_; held only for lookups
  std::map<std::string, bool, std::less<>> known_;  // directory -> made by this process
  bool root_ready_ = false;
  // Serialises directory creation, so that a second thread waits for the first one's fsyncs
  // instead of seeing EEXIST and publishing into a directory that is not durable yet.
  std::mutex create_mutex_;
};

}  // namespace rawfeed::store::local
