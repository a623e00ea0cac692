#include "http/curl/curl_transfer.h"

#include <fcntl.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "core/ascii.h"
#include "http/curl/curl_errors.h"

namespace rawfeed::http::curl {
namespace {

bool isHttps(const std::string& origin) {
  return origin.rfind("https://", 0) == 0;
}

// Applies options in order and remembers the first refusal, so one check covers them all.
class Options {
 public:
  explicit Options(CURL* easy) : easy_(easy) {}
  template <class V>
  Options& set(CURLoption option, V value) {
    if (code_ == CURLE_OK) {
      code_ = curl_easy_setopt(easy_, option, value);
    }
    return *this;
  }
  CURLcode code() const { return code_; }

 private:
  CURL* easy_;
  CURLcode code_ = CURLE_OK;
};

}  // namespace

Transfer::Transfer(CURL* easy, PendingRequest pending)
    : easy_(easy), pending_(std::move(pending)) {}

Transfer::~Transfer() {
  curl_slist_free_all(header_list_);
}

// Every socket curl opens is closed on exec: a child process (an alarm's command) must not
// inherit connections, and the loop keeps idle ones registered with epoll, which a copy held
// by a child would keep reporting after curl closed its own.
int Transfer::closeOnExec(void* /*clientp*/, curl_socket_t socket, curlsocktype /*purpose*/) {
  const int flags = ::fcntl(socket, F_GETFD);
  if (flags >= 0)
    (void)::fcntl(socket, F_SETFD, flags | FD_CLOEXEC);
  return CURL_SOCKOPT_OK;
}

CURLcode Transfer::configure(const TransferSettings& settings) {
  const HttpRequest& request = pending_.request;
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    curl_slist* grown = curl_slist_append(header_list_, line.c_str());
    if (grown == nullptr) {
      return CURLE_OUT_OF_MEMORY;
    }
    header_list_ = grown;
  }
  // Zero: no limit on the exchange (curl's 0); the connect timeout still applies.
  const bool unlimited = request.timeout.count() == 0;
  const long timeout_ms =
      unlimited ? 0L : static_cast<long>(std::max<std::int64_t>(1, request.timeout.count()));
  const long connect_ms =
      unlimited ? static_cast<long>(settings.connect_timeout.count())
                : std::min(timeout_ms, static_cast<long>(settings.connect_timeout.count()));
  Options options(easy_);
  options.set(CURLOPT_URL, request.url.c_str())
      .set(CURLOPT_PRIVATE, static_cast<void*>(this))
      .set(CURLOPT_PROTOCOLS_STR, "http,https")
      // Signals are no way to time out a resolver on a multi-threaded process.
      .set(CURLOPT_NOSIGNAL, 1L)
      .set(CURLOPT_ERRORBUFFER, error_.data())
      .set(CURLOPT_WRITEFUNCTION, &Transfer::onBody)
      .set(CURLOPT_WRITEDATA, static_cast<void*>(this))
      .set(CURLOPT_HEADERFUNCTION, &Transfer::onHeader)
      .set(CURLOPT_HEADERDATA, static_cast<void*>(this))
      // "" offers every encoding this libcurl can decode; bodies arrive decoded — unless the
      // caller wants the stored bytes (decode_content false): then nothing is offered and
      // nothing decoded.
      .set(CURLOPT_ACCEPT_ENCODING, pending_.request.decode_content ? "" : nullptr)
      .set(CURLOPT_HTTP_CONTENT_DECODING, pending_.request.decode_content ? 1L : 0L)
      .set(CURLOPT_TIMEOUT_MS, timeout_ms)
      .set(CURLOPT_CONNECTTIMEOUT_MS, connect_ms)
      .set(CURLOPT_TCP_KEEPALIVE, 1L)
      .set(CURLOPT_TCP_NODELAY, 1L)
      .set(CURLOPT_SOCKOPTFUNCTION, &closeOnExec)
      .set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS))
      .set(CURLOPT_USERAGENT, settings.user_agent.c_str())
      .set(CURLOPT_HTTPHEADER, header_list_);
  if (!settings.ca_file.empty())
    options.set(CURLOPT_CAINFO, settings.ca_file.c_str());
  if (isHttps(pending_.origin)) {
    // Wait for a connection that may multiplex (HTTP/2) rather than opening one per request.
    options.set(CURLOPT_PIPEWAIT, 1L);
  }
  if (options.code() != CURLE_OK) {
    return options.code();
  }
  return configureMethod();
}

CURLcode Transfer::configureMethod() {
  const HttpRequest& request = pending_.request;
  Options options(easy_);
  if (request.method == "GET") {
    options.set(CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    options.set(CURLOPT_NOBODY, 1L);
  } else {
    if (request.method == "POST") {
      options.set(CURLOPT_POST, 1L);
    } else {
      options.set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (!request.body.empty() || request.method == "POST") {
      // The body lives in pending_ for the whole exchange, so curl need not copy it.
      options.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()))
          .set(CURLOPT_POSTFIELDS, request.body.data());
    }
  }
  return options.code();
}

core::Result<HttpResponse> Transfer::finish(CURLcode code) {
  if (code != CURLE_OK) {
    return transferError(code, error_.data(), pending_.request.method, pending_.request.url);
  }
  long status = 0;
  double seconds = 0;
  if (curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
      curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME, &seconds) != CURLE_OK) {
    return transferError(CURLE_BAD_FUNCTION_ARGUMENT, "getinfo failed", pending_.request.method,
                         pending_.request.url);
  }
  response_.status = static_cast<int>(status);
  response_.seconds = seconds;
  return std::move(response_);
}

std::size_t Transfer::onBody(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  transfer->response_.body.append(data, size * count);
  return size * count;
}

std::size_t Transfer::onHeader(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line starts a new header block (after 100 Continue or a redirect): keep
    // only the final response's headers.
    transfer->response_.headers.clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    transfer->response_.headers.emplace_back(
        core::asciiLower(core::trimAscii(line.substr(0, colon), " \t\r\n\v\f")),
        std::string(core::trimAscii(line.substr(colon + 1), " \t\r\n\v\f")));
  }
  return size * count;
}

}  // namespace rawfeed::http::curl
