#include "lake/raw_object.h"

#include "lake/compression.h"
#include "lake/record_writer.h"

namespace rawfeed::lake {
namespace {

core::Result<RawObject> encodeSerializedObject(std::string text, std::size_t rows, Format format,
                                               core::Compression compression, int level) {
  RawObject object;
  object.bytes = std::move(text);
  object.content_type = contentType(format);
  if (compression != core::Compression::kNone) {
    auto compressed = compress(object.bytes, compression, level);
    if (!compressed.ok())
      return compressed.error();
    object.bytes = std::move(compressed).value();
    object.content_encoding = core::contentEncoding(compression);
  }
  object.description = describeEncoded(object.bytes, rows);
  return object;
}

}  // namespace

core::Result<RawObject> encodeObject(std::string_view symbol,
                                     const std::vector<core::Record>& records, Format format,
                                     core::Compression compression, int level) {
  return encodeSerializedObject(serialize(symbol, records, format), records.size(), format,
                                compression, level);
}

core::Result<RawObject> encodeActionsObject(std::string_view symbol,
                                            const std::vector<core::CorporateAction>& actions,
                                            Format format, core::Compression compression,
                                            int level) {
  return encodeSerializedObject(serializeActions(symbol, actions, format), actions.size(), format,
                                compression, level);
}

}  // namespace rawfeed::lake
