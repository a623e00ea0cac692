#include "lake/raw_object.h"

#include "lake/record_writer.h"

namespace rawfeed::lake {

core::Result<RawObject> encodeObject(std::string_view symbol,
                                     const std::vector<core::Record>& records, Format format,
                                     bool gzip, int gzip_level) {
  RawObject object;
  object.bytes = serialize(symbol, records, format);
  object.content_type = contentType(format);
  if (gzip) {
    auto compressed = gzipCompress(object.bytes, gzip_level);
    if (!compressed.ok())
      return compressed.error();
    object.bytes = std::move(compressed).value();
    object.content_encoding = "gzip";
  }
  object.description = describeEncoded(object.bytes, records.size());
  return object;
}

}  // namespace rawfeed::lake
