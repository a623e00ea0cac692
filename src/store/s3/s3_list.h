#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/object_store.h"

namespace rawfeed::store::s3 {

// ListObjectsV2, one page at a time: the query for a page and the reading of its answer.

// list-type=2, prefix (when not empty), max-keys, continuation-token (when not empty): raw
// values, for S3Call::query.
std::vector<std::pair<std::string, std::string>> listQuery(std::string_view stored_prefix,
                                                           std::string_view continuation_token,
                                                           int max_keys);

struct ListPage {
  std::vector<ObjectInfo> objects;  // keys as stored in the bucket, in the server's order
  bool truncated = false;
  std::string next_token;  // set when truncated
};

// A <ListBucketResult> body. kTransient for a malformed answer (a truncated or foreign body from
// a proxy: asking again may work), and for a truncated page without a continuation token, which
// would otherwise loop or silently lose the rest.
core::Result<ListPage> parseListPage(std::string_view xml);

}  // namespace rawfeed::store::s3
