#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::store {

enum class PutMode {
  kCreateOnly,  // leave an existing object alone (skip-existing): one call decides
  kOverwrite,
};

struct PutOptions {
  PutMode mode = PutMode::kCreateOnly;
  std::string content_type = "application/octet-stream";
  std::string content_encoding;  // "gzip", "zstd" or empty (core::contentEncoding)
};

enum class PutOutcome { kWritten, kAlreadyExists };

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
};

// A flat key space of immutable objects (the lake). put() returns only once the object is
// durable, and a reader never sees a half-written one. Keys are '/'-separated relative paths
// without "." or ".." segments (kInvalidInput otherwise). Errors: kNotFound, kInvalidInput,
// kInternal (local I/O), kTransient/kThrottled/kUnauthenticated (remote). Thread-safe.
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  virtual core::Result<PutOutcome> put(std::string_view key, std::string_view bytes,
                                       const PutOptions& options) = 0;
  virtual core::Result<std::string> get(std::string_view key) = 0;
  virtual core::Result<ObjectInfo> head(std::string_view key) = 0;
  // Every object whose key starts with prefix, in key order.
  virtual core::Result<std::vector<ObjectInfo>> list(std::string_view prefix) = 0;
  // Idempotent, like S3's DELETE: removing a key that is not there succeeds.
  virtual core::Status remove(std::string_view key) = 0;
  // Where the objects live, for people: "file:///srv/lake", "s3://bucket/prefix".
  virtual std::string location() const = 0;
};

}  // namespace rawfeed::store
