// S3's XML answers: a ListObjectsV2 page, the elements and entities of the purpose-built reader,
// and error bodies (REST-XML and, for a body that is not XML, the other AWS error forms) under
// the statuses that classify differently. Elements found must lie inside the document, a page
// must be usable (keys, a token when truncated), and escaping any text then decoding it must
// give the text back.
#include <algorithm>

#include "aws/aws_error.h"
#include "fuzz/fuzz_support.h"
#include "store/s3/s3_errors.h"
#include "store/s3/s3_list.h"
#include "store/s3/s3_xml.h"

namespace {

using namespace rawfeed;

std::string xmlEscape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
          out += "&#" + std::to_string(static_cast<int>(c)) + ";";
        } else {
          out += c;
        }
    }
  }
  return out;
}

void checkElements(std::string_view xml, std::string_view tag) {
  for (const std::string_view element : store::s3::xmlElements(xml, tag)) {
    FUZZ_CHECK(
        element.data() >= xml.data() && element.data() + element.size() <= xml.data() + xml.size(),
        "an element outside the document");
  }
  (void)store::s3::xmlText(xml, tag);
}

void checkListPage(std::string_view xml) {
  const auto page = store::s3::parseListPage(xml);
  if (!page.ok()) {
    FUZZ_CHECK(page.error().code == core::ErrorCode::kTransient, page.error().describe());
    return;
  }
  for (const store::ObjectInfo& object : page->objects)
    FUZZ_CHECK(!object.key.empty(), "an object without a key");
  FUZZ_CHECK(!page->truncated || !page->next_token.empty(), "truncated without a token");
}

void checkErrors(std::string_view body) {
  for (const int status : {200, 301, 400, 403, 404, 412, 500, 503}) {
    const http::HttpResponse response =
        fuzz::response(status, body, {{"x-amz-request-id", "4442587FB7D0A2F9"}});
    const aws::AwsError error = aws::parseAwsError(response);
    FUZZ_CHECK(error.status == status && !error.code.empty(), "an error without a code");
    const core::Error classified = store::s3::responseError(response, "GetObject", "key");
    FUZZ_CHECK(classified.code == aws::classifyAwsError(status, error.code),
               "responseError and classifyAwsError disagree");
    if (status == 503)
      FUZZ_CHECK(classified.code == core::ErrorCode::kThrottled, "503 is not kThrottled");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml = fuzz::asText(data, size);
  checkListPage(xml);
  for (const std::string_view tag : {"ListBucketResult", "Contents", "Key", "Size", "IsTruncated",
                                     "NextContinuationToken", "Error", "Code", "Message"}) {
    checkElements(xml, tag);
  }
  const auto decoded = store::s3::xmlDecode(xml);
  if (xml.find('&') == std::string_view::npos)
    FUZZ_CHECK(decoded && *decoded == xml, "text without '&' changed in decoding");
  const auto round_trip = store::s3::xmlDecode(xmlEscape(xml));
  FUZZ_CHECK(round_trip && *round_trip == xml, "escape + decode is not the identity");
  checkErrors(xml);
  return 0;
}
