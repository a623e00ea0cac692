#include "http/http_client.h"

#include <algorithm>
#include <future>

#include "core/ascii.h"

namespace rawfeed::http {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (core::equalsNoCase(key, name)) {
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
