#include "store/s3/s3_list.h"

#include <charconv>

#include <fmt/format.h>

#include "store/s3/s3_xml.h"

namespace rawfeed::store::s3 {

namespace {

core::Error malformed(std::string_view why) {
  return core::makeError(core::ErrorCode::kTransient,
                         fmt::format("S3 ListObjectsV2: malformed answer: {}", why));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> listQuery(std::string_view stored_prefix,
                                                           std::string_view continuation_token,
                                                           int max_keys) {
  std::vector<std::pair<std::string, std::string>> query;
  query.emplace_back("list-type", "2");
  if (!stored_prefix.empty())
    query.emplace_back("prefix", std::string(stored_prefix));
  query.emplace_back("max-keys", std::to_string(max_keys));
  if (!continuation_token.empty()) {
    query.emplace_back("continuation-token", std::string(continuation_token));
  }
  return query;
}

core::Result<ListPage> parseListPage(std::string_view xml) {
  if (xmlElements(xml, "ListBucketResult").empty())
    return malformed("no <ListBucketResult>");
  ListPage page;
  for (const std::string_view contents : xmlElements(xml, "Contents")) {
    auto key = xmlText(contents, "Key");
    const auto size = xmlText(contents, "Size");
    if (!key || key->empty())
      return malformed("a <Contents> without a <Key>");
    ObjectInfo info;
    info.key = std::move(*key);
    if (size) {
      const auto [end, ec] = std::from_chars(size->data(), size->data() + size->size(), info.size);
      if (ec != std::errc() || end != size->data() + size->size()) {
        return malformed(fmt::format("<Size> '{}' of '{}'", *size, info.key));
      }
    }
    page.objects.push_back(std::move(info));
  }
  page.truncated = xmlText(xml, "IsTruncated").value_or("false") == "true";
  if (page.truncated) {
    page.next_token = xmlText(xml, "NextContinuationToken").value_or("");
    if (page.next_token.empty())
      return malformed("truncated without <NextContinuationToken>");
  }
  return page;
}

}  // namespace rawfeed::store::s3
