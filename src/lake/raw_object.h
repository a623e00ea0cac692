#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "lake/format.h"
#include "lake/gzip.h"
#include "lake/object_description.h"

namespace rawfeed::lake {

// One symbol-day ready for ObjectStore::put: the bytes, how to label them, and the manifest
// entry they will produce.
struct RawObject {
  std::string bytes;
  std::string_view content_type;      // contentType(format)
  std::string_view content_encoding;  // "gzip" or empty
  ObjectDescription description;
};

// serialize, then gzip when asked, then describe: the whole per-object encoding step.
// Errors only from gzip (kInvalidInput for a bad level).
core::Result<RawObject> encodeObject(std::string_view symbol,
                                     const std::vector<core::Record>& records, Format format,
                                     bool gzip, int gzip_level = kDefaultGzipLevel);

}  // namespace rawfeed::lake
