#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::http::curl {

// "scheme://host:port" with scheme and host lower-cased and the default port made explicit: the
// key that per-host limits and connection reuse share. Only http and https are accepted;
// anything else, or a URL without a host, is kInvalidInput.
core::Result<std::string> urlOrigin(std::string_view url);

// The URL as it may appear in an error message: without user info, query or fragment, so that
// no credential or token leaks into logs, and cut to a readable length.
std::string urlForMessage(std::string_view url);

}  // namespace rawfeed::http::curl
