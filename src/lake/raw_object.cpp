#include "lake/raw_object.h"

#include "lake/compression.h"
#include "lake/record_writer.h"

namespace rawfeed::lake {

core::Result<RawObject> encodeObject(std::string_view symbol,
                                     const std::vector<core::Record>& records, Format format,
                                     core::Compression compression, int level) {
  RawObject object;
  object.bytes = serialize(symbol, records, format);
  object.content_type = contentType(format);
  if (compression != core::Compression::kNone) {
    auto compressed = compress(object.bytes, compression, level);
    if (!compressed.ok())
      return compressed.error();
    object.bytes = std::move(compressed).value();
    object.content_encoding = core::contentEncoding(compression);
  }
  object.description = describeEncoded(object.bytes, records.size());
  return object;
}

}  // namespace rawfeed::lake
