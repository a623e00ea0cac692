#pragma once

#include <simdjson.h>

#include <string>

#include "core/result.h"
#include "tracker/watermark.h"

// Private to the tracker module: the watermark's JSON form read from and written into the
// documents that carry watermarks (a line of the watermark document, an entry of a chunk
// result), so that both read and write it one way.
namespace rawfeed::tracker {

// kInvalidInput naming the field that is wrong.
core::Result<SymbolWatermark> watermarkFromElement(simdjson::dom::element element);

void appendWatermarkJson(std::string& out, const SymbolWatermark& watermark);

}  // namespace rawfeed::tracker
