#pragma once

#include <string_view>

#include "core/result.h"

namespace rawfeed::http::curl {

// Classifies a CURLcode (passed as int so that no curl type leaves this folder's .cpp files):
// a bad URL or scheme is the caller's fault (kInvalidInput); whatever else stopped an exchange
// from producing a response — connect failure, reset, timeout, truncated or undecodable body,
// TLS trouble — is kTransient, as the HttpClient contract promises.
core::ErrorCode classifyCurlCode(int code);

// "<curl's text>: <curl's detail> (<METHOD> <url without query>)".
core::Error transferError(int code, std::string_view detail, std::string_view method,
                          std::string_view url);

}  // namespace rawfeed::http::curl
