#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "server/api_exchange.h"
#include "server/bearer_auth.h"
#include "server/router.h"
#include "server/service.h"

namespace rawfeed::server {

struct ApiHandlerOptions {
  std::string bearer_token;  // empty: every POST is refused (403), the server stays read-only
  std::size_t max_body_bytes = 1 << 20;
};

// Turns a request into a reply: routing, auth, limits and syntax checks, then exactly one call to
// the Service. Any rejection happens before the Service is asked to act, so a refused request
// never starts or moves anything (domains() is the only Service call made while judging).
// Independent of the HTTP library so a test can drive it on one thread. Thread-safe when the
// Service is.
class ApiHandler {
 public:
  ApiHandler(Service& service, ApiHandlerOptions options);

  // Judges what the head alone can tell — path, method, credentials, domain, declared size —
  // so that a doomed upload is refused before its body is read. nullopt: go on.
  std::optional<ApiReply> screen(const ApiRequest& head) const;

  // The full request, body included (screen() is applied again).
  ApiReply handle(const ApiRequest& request);

 private:
  std::optional<ApiReply> screenRoute(const ApiRequest& head, const RouteMatch& route) const;
  ApiReply dispatch(const ApiRequest& request, const RouteMatch& route);
  ApiReply serveAsset(std::string_view name) const;
  ApiReply runs(const ApiRequest& request, const std::string& domain);
  ApiReply events(const ApiRequest& request);
  ApiReply deadLetters(const ApiRequest& request, const std::string& domain);
  ApiReply redrive(const ApiRequest& request, const std::string& domain);
  ApiReply batches(const ApiRequest& request, const std::string& domain);

  Service& service_;
  BearerAuth auth_;
  std::size_t max_body_bytes_;
};

}  // namespace rawfeed::server
