#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::config {

// Where a domain's queue, lake and tracker are, read once from their configured text into types.
// Each backend claims the locations it serves by a line in the scheme tables of locations.cpp
// (as DuckDB's file systems claim their paths); app/backend_factory.cpp opens a location by its
// backend's name. Adding a backend is its folder plus one line in each of those two tables.

// The backends rawfeed ships; a location's `backend` is one of these (or a newer table line's).
inline constexpr std::string_view kSqliteQueue = "sqlite";
inline constexpr std::string_view kSqsQueue = "sqs";
inline constexpr std::string_view kLocalLake = "local";
inline constexpr std::string_view kS3Lake = "s3";

struct QueueLocation {
  std::string backend{kSqliteQueue};
  std::string uri = "sqlite";  // as written
  // What the backend needs to open it: sqlite: the database's absolute path, empty for the
  // embedded default (state_dir/queues/DOMAIN.db); sqs: the queue's name or URL.
  std::string address;
};

struct LakeLocation {
  std::string backend{kLocalLake};
  std::string uri = "lake";  // as written (a relative directory resolved)
  // local: the absolute directory; s3: the bucket.
  std::string address;
  std::string prefix;  // s3: the key prefix, without a trailing '/'
  // True when hosts other than this one reach the lake (auto picks the lake tracker then).
  bool shared = false;
};

// Where batches are tracked: SQLite in the state directory (workers share that directory), the
// lake (workers on many hosts), or auto: the lake when it is shared, SQLite otherwise.
enum class TrackerKind { kAuto, kSqlite, kLake };

// kInvalidInput naming the text and the forms the known backends accept.
core::Result<QueueLocation> parseQueueLocation(std::string_view uri);
// A plain path (relative ones made absolute against the working directory), file:///path or
// s3://bucket[/prefix].
core::Result<LakeLocation> parseLakeLocation(std::string_view uri);
core::Result<TrackerKind> parseTrackerKind(std::string_view text);
std::string_view trackerKindName(TrackerKind kind);
// auto resolved against the lake: kSqlite or kLake.
TrackerKind effectiveTracker(TrackerKind kind, const LakeLocation& lake);

}  // namespace rawfeed::config
