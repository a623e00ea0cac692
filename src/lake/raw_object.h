#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/compression.h"
#include "core/corporate_action.h"
#include "core/record.h"
#include "core/result.h"
#include "lake/format.h"
#include "lake/object_description.h"

namespace rawfeed::lake {

// One symbol-day ready for ObjectStore::put: the bytes, how to label them, and the manifest
// entry they will produce.
struct RawObject {
  std::string bytes;
  std::string_view content_type;      // contentType(format)
  std::string_view content_encoding;  // core::contentEncoding: "gzip", "zstd" or empty
  ObjectDescription description;
};

// serialize, then compress as asked, then describe: the whole per-object encoding step.
// Errors only from compression (kInvalidInput for a level outside the codec's range).
core::Result<RawObject> encodeObject(std::string_view symbol,
                                     const std::vector<core::Record>& records, Format format,
                                     core::Compression compression, int level);

// The same for one object of the corporate-actions table (serializeActions).
core::Result<RawObject> encodeActionsObject(std::string_view symbol,
                                            const std::vector<core::CorporateAction>& actions,
                                            Format format, core::Compression compression,
                                            int level);

}  // namespace rawfeed::lake
