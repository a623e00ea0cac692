#include "http/http_client.h"

#include <algorithm>
#include <cctype>
#include <future>

namespace rawfeed::http {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return std::nullopt;
}

core::Result<HttpResponse> HttpClient::perform(HttpRequest request) {
  std::promise<core::Result<HttpResponse>> promise;
  auto future = promise.get_future();
  send(std::move(request),
       [&promise](core::Result<HttpResponse> result) { promise.set_value(std::move(result)); });
  return future.get();
}

}  // namespace rawfeed::http
