#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "contract/temp_dir.h"

namespace rawfeed::store::local::testing {

// A fresh directory per test, removed with everything in it afterwards.
using TempDir = contract::TempDir;

inline void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Every entry under root (files and directories), relative, sorted: what is really on disk.
inline std::vector<std::string> diskEntries(const std::filesystem::path& root) {
  std::vector<std::string> entries;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(root, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    entries.push_back(std::filesystem::relative(it->path(), root).string());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

}  // namespace rawfeed::store::local::testing
