#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/local/directory_maker.h"
#include "store/local/directory_syncer.h"
#include "store/object_store.h"

namespace rawfeed::store::local {

// The lake on a local directory: a key is a path under the root. put() writes a temp file
// (".tmp-*") beside the target, fsyncs it, then renames it into place — with RENAME_NOREPLACE
// (or link(2)) for kCreateOnly, so exactly one of racing writers, in any process, wins — and
// fsyncs the directory (or leaves that to flush(), for puts without durable_on_return); new
// directories are fsynced into their parents. A crash therefore
// leaves the whole object or none under its key, plus at worst a temp file that list/get never
// show and sweepTemporaries() removes. Content type and encoding are not stored (the key's
// extension says them). Errors: kInvalidInput for a key the contract forbids (nothing is
// written), kNotFound from get/head/remove, kInternal naming the path and errno text for I/O
// failures. Thread-safe, and safe with other processes sharing the root.
class LocalObjectStore final : public ObjectStore {
 public:
  // root need not exist yet: the first put creates it. A relative root is made absolute now.
  explicit LocalObjectStore(const std::filesystem::path& root,
                            const core::Clock& clock = core::systemClock());

  core::Result<PutOutcome> put(std::string_view key, std::string_view bytes,
                               const PutOptions& options) override;
  core::Result<std::string> get(std::string_view key) override;
  core::Result<ObjectInfo> head(std::string_view key) override;
  core::Result<std::vector<ObjectInfo>> list(std::string_view prefix) override;
  core::Status remove(std::string_view key) override;
  std::string location() const override;  // "file:///abs/root"
  // fsyncs each distinct directory of `keys` once (shared with concurrent callers).
  core::Status flush(std::span<const std::string> keys) override;

  // Removes temp files last modified more than older_than ago: the leftovers of puts that died.
  // older_than must exceed the longest put, or a live put loses its temp and fails. Returns how
  // many were removed.
  core::Result<std::size_t> sweepTemporaries(std::chrono::seconds older_than);

  const std::string& root() const { return root_; }

 private:
  std::string pathOf(std::string_view key) const;
  core::Result<std::string> writeTemp(std::string_view key, const std::string& dir,
                                      std::string_view bytes);
  core::Result<PutOutcome> publish(std::string_view key, const std::string& temp,
                                   const std::string& target, PutMode mode);
  int renameNoReplace(const std::string& from, const std::string& to);

  const std::string root_;  // absolute, normalised, no trailing '/'
  const core::Clock& clock_;
  DirectoryMaker directories_;
  DirectorySyncer directory_syncer_;
  const std::uint64_t temp_nonce_;  // tells this store's temps from another process's
  std::atomic<std::uint64_t> temp_counter_{0};
  std::atomic<bool> no_replace_unsupported_{false};  // the file system refused renameat2 flags
};

}  // namespace rawfeed::store::local
