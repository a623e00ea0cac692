#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::store::local {

// One regular file met by walkFiles.
struct WalkEntry {
  std::string_view key;   // path relative to the root, '/'-separated
  std::string_view name;  // last segment of key
  int dir_fd = -1;        // the open directory holding it, for *at() calls
  std::uint64_t size = 0;
  std::int64_t mtime_seconds = 0;
};

using WalkVisitor = std::function<core::Status(const WalkEntry&)>;

// Visits every regular file under root/start_dir (start_dir "" is the root; it holds no ".."),
// recursively, in no particular order; symlinks and other special files are not followed or
// visited. In start_dir itself only names beginning with first_level_prefix are visited.
// A start_dir that does not exist, or entries that vanish meanwhile, are not errors; any other
// failure is kInternal naming the path. A visitor's error stops the walk and is returned.
core::Status walkFiles(const std::string& root, std::string_view start_dir,
                       std::string_view first_level_prefix, const WalkVisitor& visit);

}  // namespace rawfeed::store::local
