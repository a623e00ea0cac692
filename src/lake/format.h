#pragma once

#include <string_view>

#include "core/result.h"

namespace rawfeed::lake {

// The file formats of a raw object (contracts §1 `file_format`, §5).
enum class Format {
  kJsonLines,  // "json": one JSON object a line
  kCsv,        // "csv": a header line, then one row a record
};

// "json" or "csv", exactly as in a trigger; anything else is kInvalidInput naming the value.
core::Result<Format> parseFormat(std::string_view name);
// The inverse of parseFormat: "json" or "csv" (also the key's file extension, contracts §4).
std::string_view formatName(Format format);
// The Content-Type an object of this format is stored with.
std::string_view contentType(Format format);

}  // namespace rawfeed::lake
