#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/compression.h"
#include "core/result.h"
#include "lake/format.h"

namespace rawfeed::lake {

// What the manifest says about one stored object (contracts §6).
struct ObjectDescription {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;  // as stored, i.e. compressed
  std::string sha256;       // of the stored bytes

  bool operator==(const ObjectDescription&) const = default;
};

// Describes an object already in the lake from its stored bytes: when skip-existing leaves it
// alone, the manifest must still list it. Records are JSON lines, or CSV rows after the header
// (a quoted field may hold a newline). Corrupt or truncated compressed bytes are kInvalidInput; so
// is a CSV object without its header line.
core::Result<ObjectDescription> describeObject(std::string_view stored_bytes, Format format,
                                               core::Compression compression);

// The same for bytes this process just encoded, whose record count is known: no read-back.
ObjectDescription describeEncoded(std::string_view stored_bytes, std::uint64_t records);

}  // namespace rawfeed::lake
