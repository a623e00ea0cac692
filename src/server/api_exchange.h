#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rawfeed::server {

using QueryParams = std::vector<std::pair<std::string, std::string>>;
using ReplyHeaders = std::vector<std::pair<std::string, std::string>>;

// One HTTP request as the API sees it, free of the HTTP library's types so that routing, auth
// and validation are plain functions a unit test can call.
struct ApiRequest {
  std::string method;                           // "GET", "POST", ...
  std::string path;                             // percent-decoded, without the query
  QueryParams query;                            // percent-decoded, in the order given
  std::string authorization;                    // the header's value; empty when absent
  std::optional<std::uint64_t> content_length;  // as declared; absent for chunked bodies
  std::string body;                             // empty while only the head is known
};

struct ApiReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  ReplyHeaders headers;
};

}  // namespace rawfeed::server
