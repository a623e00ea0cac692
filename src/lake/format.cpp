#include "lake/format.h"

#include <string>

namespace rawfeed::lake {

core::Result<Format> parseFormat(std::string_view name) {
  if (name == "json")
    return Format::kJsonLines;
  if (name == "csv")
    return Format::kCsv;
  return core::makeError(
      core::ErrorCode::kInvalidInput,
      "file_format: unknown format '" + std::string(name) + "' (expected \"json\" or \"csv\")");
}

std::string_view formatName(Format format) {
  return format == Format::kCsv ? "csv" : "json";
}

std::string_view contentType(Format format) {
  return format == Format::kCsv ? "text/csv" : "application/x-ndjson";
}

}  // namespace rawfeed::lake
