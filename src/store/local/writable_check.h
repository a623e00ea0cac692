#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.h"

namespace rawfeed::store::local {

// Whether `dir` is a directory this process can write into: created (with its ancestors) when
// missing, then a small probe file is written, synced and removed. kInternal with one line that
// names `what` ("lake", "state directory"), the path and the cause — a file in the directory's
// place, a read-only mount, no permission, a full disk — so that a run stops before it sends
// anything instead of failing message by message.
core::Status checkWritableDirectory(const std::filesystem::path& dir, std::string_view what);

}  // namespace rawfeed::store::local
