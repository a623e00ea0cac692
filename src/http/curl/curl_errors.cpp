#include "http/curl/curl_errors.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include "http/curl/url_origin.h"

namespace rawfeed::http::curl {

core::ErrorCode classifyCurlCode(int code) {
  switch (static_cast<CURLcode>(code)) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return core::ErrorCode::kInvalidInput;
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return core::ErrorCode::kInternal;
    default:
      return core::ErrorCode::kTransient;
  }
}

core::Error transferError(int code, std::string_view detail, std::string_view method,
                          std::string_view url) {
  const char* summary = curl_easy_strerror(static_cast<CURLcode>(code));
  std::string message =
      detail.empty() || detail == summary
          ? fmt::format("{} ({} {})", summary, method, urlForMessage(url))
          : fmt::format("{}: {} ({} {})", summary, detail, method, urlForMessage(url));
  return core::makeError(classifyCurlCode(code), std::move(message));
}

}  // namespace rawfeed::http::curl
