#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::pipeline {

// Entries (a sort key and a payload, any bytes) handed back in key order without holding them
// all: an external merge sort. Entries gather in memory up to `memory_budget` bytes (entries and
// their index); a full
// buffer is sorted and spilled as one run to an anonymous temporary file (in $TMPDIR, else /tmp;
// unlinked at once, so gone when closed or when the process dies), and drain() merges the runs. So
// a batch's manifests cost the budget and the open runs' read buffers, not a copy of every object
// entry. Entries with equal keys come out in payload order, so the output is the same whatever
// order they went in. Not thread-safe.
class SortedSpool {
 public:
  explicit SortedSpool(std::size_t memory_budget = std::size_t{4} << 20);
  ~SortedSpool();
  SortedSpool(const SortedSpool&) = delete;
  SortedSpool& operator=(const SortedSpool&) = delete;

  // kInternal when a run cannot be spilled (the temporary directory is full or unwritable).
  core::Status add(std::string_view key, std::string_view payload);
  // Every entry added, in (key, payload) order; an error from `visit` ends the drain and is
  // returned. Once: the spool is empty afterwards.
  using Visitor = std::function<core::Status(std::string_view key, std::string_view payload)>;
  core::Status drain(const Visitor& visit);

  std::size_t entries() const { return entries_; }
  std::size_t runs() const { return runs_.size(); }  // spilled so far

 private:
  struct Entry {
    std::size_t offset;
    std::uint32_t key_size;
    std::uint32_t payload_size;
  };
  struct FileCloser {
    void operator()(std::FILE* file) const;
  };
  using RunFile = std::unique_ptr<std::FILE, FileCloser>;

  void sortBuffer();
  core::Status spill();

  std::size_t memory_budget_;
  std::string buffer_;
  std::vector<Entry> index_;
  std::vector<RunFile> runs_;
  std::size_t entries_ = 0;
};

}  // namespace rawfeed::pipeline
