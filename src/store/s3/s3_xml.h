#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rawfeed::store::s3 {

// Just enough XML for S3's answers (ListBucketResult, Error): flat elements of text, no CDATA,
// no comments inside the elements read. A purpose-built reader rather than a library: the
// shapes are fixed and small, and no third-party type need cross a header.

// The raw content of every <tag>…</tag> (attributes allowed on the open tag; <tag/> gives an
// empty one), in document order. Elements are not nested in themselves in S3's answers, so the
// first closing tag ends each.
std::vector<std::string_view> xmlElements(std::string_view xml, std::string_view tag);
// The first element's decoded text, nullopt when absent or malformed.
std::optional<std::string> xmlText(std::string_view xml, std::string_view tag);
// Text with the five named entities and numeric references (&#61; &#x3D;) decoded; nullopt for
// anything else after '&', so that a key is never silently misread.
std::optional<std::string> xmlDecode(std::string_view text);

}  // namespace rawfeed::store::s3
