#include "unit/store_s3/s3_fakes.h"

#include <algorithm>

namespace rawfeed::store::s3::testing {

namespace {

http::HttpResponse answer(int status, std::string body = {}, http::Headers headers = {}) {
  http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

http::HttpResponse s3Error(int status, std::string_view code, std::string_view message) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>";
  body += code;
  body += "</Code><Message>";
  body += message;
  body += "</Message><RequestId>FAKE0001</RequestId></Error>";
  return answer(status, std::move(body), {{"content-type", "application/xml"}});
}

std::string xmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::map<std::string, std::string> parseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view piece = query.substr(0, amp);
    const std::size_t eq = piece.find('=');
    out[aws::percentDecode(piece.substr(0, eq))] =
        eq == std::string_view::npos ? "" : aws::percentDecode(piece.substr(eq + 1));
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
  return out;
}

}  // namespace

FakeS3::FakeS3(std::string bucket)
    : bucket_(std::move(bucket)),
      http_([this](const http::HttpRequest& request) -> fakes::FakeHttpClient::Answer {
        std::lock_guard lock(mutex_);
        return handle(request);
      }) {}

http::HttpResponse FakeS3::handle(const http::HttpRequest& request) {
  if (headerOf(request, "authorization").rfind("AWS4-HMAC-SHA256 Credential=", 0) != 0) {
    return s3Error(403, "AccessDenied", "unsigned request");
  }
  // http://host:port/path?query
  std::string_view url = request.url;
  url.remove_prefix(url.find("://") + 3);
  const std::string_view host = url.substr(0, url.find('/'));
  std::string_view target = url.substr(host.size());
  const std::size_t question = target.find('?');
  const auto query =
      parseQuery(question == std::string_view::npos ? "" : target.substr(question + 1));
  std::string path = aws::percentDecode(target.substr(0, question));
  std::string bucket;
  std::string key;
  if (host.rfind(bucket_ + ".", 0) == 0) {  // virtual-hosted
    bucket = bucket_;
    key = path.substr(1);
  } else {
    const std::size_t slash = path.find('/', 1);
    bucket = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    key = slash == std::string::npos ? "" : path.substr(slash + 1);
  }
  if (bucket != bucket_)
    return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");

  if (key.empty()) {
    if (request.method == "GET" && query.count("list-type") != 0)
      return list(query);
    return s3Error(400, "InvalidRequest", "unsupported bucket call");
  }
  const auto found = objects_.find(key);
  if (request.method == "PUT") {
    if (!headerOf(request, "if-none-match").empty()) {
      if (if_none_match_ == IfNoneMatch::kRefuse) {
        return s3Error(501, "NotImplemented", "If-None-Match is not implemented");
      }
      if (if_none_match_ == IfNoneMatch::kHonour && found != objects_.end()) {
        return s3Error(412, "PreconditionFailed", "At least one of the pre-conditions failed");
      }
    }
    objects_[key] = Object{request.body, headerOf(request, "content-encoding")};
    return answer(200, {}, {{"etag", "\"fake\""}});
  }
  if (request.method == "DELETE") {
    if (found == objects_.end() && delete_missing_404_) {
      return s3Error(404, "NoSuchKey", "The specified key does not exist.");
    }
    if (found != objects_.end())
      objects_.erase(found);
    return answer(204);
  }
  if (found == objects_.end()) {
    if (request.method == "HEAD")
      return answer(404);
    return s3Error(404, "NoSuchKey", "The specified key does not exist.");
  }
  std::string encoding = found->second.content_encoding;
  if (auto it = query.find("response-content-encoding"); it != query.end())
    encoding = it->second;
  http::Headers headers = {{"content-length", std::to_string(found->second.body.size())}};
  if (!encoding.empty())
    headers.emplace_back("content-encoding", encoding);
  if (request.method == "HEAD")
    return answer(200, {}, std::move(headers));
  return answer(200, found->second.body, std::move(headers));
}

http::HttpResponse FakeS3::list(const std::map<std::string, std::string>& query) {
  const std::string prefix = query.count("prefix") ? query.at("prefix") : "";
  int max_keys = query.count("max-keys") ? std::stoi(query.at("max-keys")) : 1000;
  max_keys = std::min(max_keys, page_cap_);
  auto it = objects_.lower_bound(prefix);
  if (auto token = query.find("continuation-token"); token != query.end()) {
    it = objects_.upper_bound(token->second.substr(4));  // "tok:<last key>"
  }
  std::string contents;
  std::string last;
  int count = 0;
  for (; it != objects_.end() && it->first.rfind(prefix, 0) == 0 && count < max_keys; ++it) {
    contents += "<Contents><Key>";
    contents += xmlEscape(it->first);
    contents += "</Key><Size>";
    contents += std::to_string(it->second.body.size());
    contents += "</Size></Contents>";
    last = it->first;
    ++count;
  }
  const bool truncated = it != objects_.end() && it->first.rfind(prefix, 0) == 0;
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult ";
  body += "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>";
  body += bucket_;
  body += "</Name><KeyCount>";
  body += std::to_string(count);
  body += "</KeyCount>";
  body += contents;
  if (truncated) {
    body += "<IsTruncated>true</IsTruncated><NextContinuationToken>tok:";
    body += xmlEscape(last);
    body += "</NextContinuationToken>";
  } else {
    body += "<IsTruncated>false</IsTruncated>";
  }
  body += "</ListBucketResult>";
  return answer(200, std::move(body), {{"content-type", "application/xml"}});
}

}  // namespace rawfeed::store::s3::testing
