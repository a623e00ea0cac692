#pragma once

// Internal to the curl backend: the only header here that names curl types.
#include <curl/curl.h>

#include <array>
#include <chrono>
#include <string>

#include "http/http_client.h"

namespace rawfeed::http::curl {

// A request the client accepted and has not finished yet.
struct PendingRequest {
  HttpRequest request;
  HttpClient::Callback done;
  std::string origin;  // urlOrigin(request.url), the per-host limit's key
};

struct TransferSettings {
  std::chrono::milliseconds connect_timeout{10000};
  std::string user_agent;
  std::string ca_file;  // empty: libcurl's default
};

// One exchange while curl owns it: configures the easy handle, collects headers and body, and
// turns curl's outcome into a Result. curl keeps pointers into it, so it must not move.
class Transfer {
 public:
  Transfer(CURL* easy, PendingRequest pending);
  ~Transfer();  // frees the header list; the easy handle stays the caller's
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // CURLE_OK, or the first option curl refused.
  CURLcode configure(const TransferSettings& settings);
  core::Result<HttpResponse> finish(CURLcode code);

  CURL* easy() const { return easy_; }
  const std::string& origin() const { return pending_.origin; }
  // Moves the request back out, e.g. to fail it with the caller's callback.
  PendingRequest& pending() { return pending_; }

 private:
  static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* self);
  static int closeOnExec(void* clientp, curl_socket_t socket, curlsocktype purpose);
  CURLcode configureMethod();

  CURL* easy_;
  PendingRequest pending_;
  curl_slist* header_list_ = nullptr;
  HttpResponse response_;
  std::array<char, CURL_ERROR_SIZE> error_{};
};

}  // namespace rawfeed::http::curl
