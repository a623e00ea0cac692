#include "pipeline/sorted_spool.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <queue>
#include <tuple>

#include <stdlib.h>
#include <unistd.h>

namespace rawfeed::pipeline {

namespace {

core::Error spoolError(std::string_view what) {
  return core::makeError(core::ErrorCode::kInternal,
                         std::string("sorted spool: ") + std::string(what) + ": " +
                             std::strerror(errno) + " (the temporary directory: $TMPDIR or /tmp)");
}

// One spilled run read back entry by entry. A run is a sequence of (u32 key size, u32 payload
// size, key, payload) in sorted order.
class RunReader {
 public:
  explicit RunReader(std::FILE* file) : file_(file) {}

  // false at the end of the run; an error when the run cannot be read back.
  core::Result<bool> next() {
    std::uint32_t sizes[2];
    const std::size_t got = std::fread(sizes, sizeof(std::uint32_t), 2, file_);
    if (got == 0 && std::feof(file_))
      return false;
    if (got != 2)
      return spoolError("reading a run back");
    entry_.resize(std::size_t{sizes[0]} + sizes[1]);
    if (!entry_.empty() && std::fread(entry_.data(), 1, entry_.size(), file_) != entry_.size())
      return spoolError("reading a run back");
    key_size_ = sizes[0];
    return true;
  }
  std::string_view key() const { return std::string_view(entry_).substr(0, key_size_); }
  std::string_view payload() const { return std::string_view(entry_).substr(key_size_); }

 private:
  std::FILE* file_;
  std::string entry_;
  std::size_t key_size_ = 0;
};

// A file no other process can open and that is gone once closed, or once the process dies: made
// in $TMPDIR (else /tmp) and unlinked at once. (tmpfile(3) would ignore $TMPDIR.)
std::FILE* anonymousTempFile() {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::filesystem::path dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  std::string path = (dir / "rawfeed-spool-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0)
    return nullptr;
  ::unlink(path.c_str());
  std::FILE* file = ::fdopen(fd, "w+b");
  if (file == nullptr)
    ::close(fd);
  return file;
}

}  // namespace

void SortedSpool::FileCloser::operator()(std::FILE* file) const {
  std::fclose(file);
}

SortedSpool::SortedSpool(std::size_t memory_budget) : memory_budget_(memory_budget) {}

SortedSpool::~SortedSpool() = default;

core::Status SortedSpool::add(std::string_view key, std::string_view payload) {
  if (key.size() > UINT32_MAX || payload.size() > UINT32_MAX) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "sorted spool: an entry of 4 GiB or more");
  }
  const std::size_t entry_bytes = key.size() + payload.size() + sizeof(Entry);
  if (!index_.empty() &&
      buffer_.size() + index_.size() * sizeof(Entry) + entry_bytes > memory_budget_) {
    if (auto spilled = spill(); !spilled.ok())
      return spilled;
  }
  // The whole budget at once: a block that size is mapped (never copied by growing), its pages
  // counted only once written.
  if (buffer_.capacity() < memory_budget_ && entries_ == 0 && runs_.empty())
    buffer_.reserve(memory_budget_);
  index_.push_back({buffer_.size(), static_cast<std::uint32_t>(key.size()),
                    static_cast<std::uint32_t>(payload.size())});
  buffer_.append(key);
  buffer_.append(payload);
  ++entries_;
  return core::okStatus();
}

void SortedSpool::sortBuffer() {
  const std::string_view all(buffer_);
  std::sort(index_.begin(), index_.end(), [all](const Entry& a, const Entry& b) {
    const auto a_key = all.substr(a.offset, a.key_size);
    const auto b_key = all.substr(b.offset, b.key_size);
    if (a_key != b_key)
      return a_key < b_key;
    return all.substr(a.offset + a.key_size, a.payload_size) <
           all.substr(b.offset + b.key_size, b.payload_size);
  });
}

core::Status SortedSpool::spill() {
  sortBuffer();
  RunFile file(anonymousTempFile());
  if (!file)
    return spoolError("creating a temporary file");
  for (const auto& entry : index_) {
    const std::uint32_t sizes[2] = {entry.key_size, entry.payload_size};
    if (std::fwrite(sizes, sizeof(std::uint32_t), 2, file.get()) != 2 ||
        std::fwrite(buffer_.data() + entry.offset, 1,
                    std::size_t{entry.key_size} + entry.payload_size,
                    file.get()) != std::size_t{entry.key_size} + entry.payload_size) {
      return spoolError("writing a run");
    }
  }
  if (std::fflush(file.get()) != 0 || std::fseek(file.get(), 0, SEEK_SET) != 0)
    return spoolError("writing a run");
  runs_.push_back(std::move(file));
  buffer_.clear();
  index_.clear();
  // Gives the buffer's memory back between runs only when it grew far past the budget (one
  // huge entry); otherwise it is reused as it is.
  if (buffer_.capacity() > 2 * memory_budget_)
    buffer_.shrink_to_fit();
  return core::okStatus();
}

core::Status SortedSpool::drain(const Visitor& visit) {
  const auto finish = [this](core::Status status) {
    buffer_.clear();
    buffer_.shrink_to_fit();
    index_.clear();
    index_.shrink_to_fit();
    runs_.clear();
    entries_ = 0;
    return status;
  };
  if (runs_.empty()) {
    // Everything fit in memory: no file at all.
    sortBuffer();
    const std::string_view all(buffer_);
    for (const auto& entry : index_) {
      if (auto visited = visit(all.substr(entry.offset, entry.key_size),
                               all.substr(entry.offset + entry.key_size, entry.payload_size));
          !visited.ok())
        return finish(visited);
    }
    return finish(core::okStatus());
  }
  if (!index_.empty()) {
    if (auto spilled = spill(); !spilled.ok())
      return finish(spilled);
  }
  buffer_.shrink_to_fit();
  index_.shrink_to_fit();
  std::vector<RunReader> readers;
  readers.reserve(runs_.size());
  for (const auto& run : runs_)
    readers.emplace_back(run.get());
  const auto later = [&readers](std::size_t a, std::size_t b) {
    return std::forward_as_tuple(readers[a].key(), readers[a].payload()) >
           std::forward_as_tuple(readers[b].key(), readers[b].payload());
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heads(later);
  for (std::size_t i = 0; i < readers.size(); ++i) {
    auto more = readers[i].next();
    if (!more.ok())
      return finish(more.error());
    if (*more)
      heads.push(i);
  }
  while (!heads.empty()) {
    const std::size_t i = heads.top();
    heads.pop();
    if (auto visited = visit(readers[i].key(), readers[i].payload()); !visited.ok())
      return finish(visited);
    auto more = readers[i].next();
    if (!more.ok())
      return finish(more.error());
    if (*more)
      heads.push(i);
  }
  return finish(core::okStatus());
}

}  // namespace rawfeed::pipeline
