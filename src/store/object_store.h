#pragma once

#include <cstdint>
#include <span>
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
  // false: put() may return before the object's name is durable — on a local disk the
  // directory's fsync is left for flush(), so that the puts of a whole delivery share one per
  // directory (group durability). The bytes are durable either way, and a reader still sees the
  // whole object or none. Durable for good once flush() with its key has returned.
  bool durable_on_return = true;
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
  // Makes durable the names of the objects under `keys` that puts without durable_on_return
  // left pending, and of any object found already there under them (a put that answered
  // kAlreadyExists may have met an object a crashed process had not made durable yet). One
  // directory fsync per distinct directory on a local disk; nothing to do on a store whose every
  // put is durable when it returns (S3). Pure, so that a store wrapping another forwards it.
  virtual core::Status flush(std::span<const std::string> keys) = 0;
};

}  // namespace rawfeed::store
