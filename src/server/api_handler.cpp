#include "server/api_handler.h"

#include <algorithm>

#include <fmt/format.h>

#include "server/dashboard_assets.h"
#include "server/error_reply.h"
#include "server/json_body.h"
#include "server/request_params.h"

namespace rawfeed::server {
namespace {

constexpr std::string_view kChallenge = R"(Bearer realm="rawfeed")";
constexpr std::string_view kInvalidTokenChallenge =
    R"(Bearer realm="rawfeed", error="invalid_token")";

ApiReply unauthorized(std::string_view message, std::string_view challenge) {
  ApiReply reply = errorReply(401, message);
  reply.headers.emplace_back("WWW-Authenticate", std::string(challenge));
  return reply;
}

std::optional<ApiReply> authReply(AuthOutcome outcome) {
  switch (outcome) {
    case AuthOutcome::kAccepted:
      return std::nullopt;
    case AuthOutcome::kNotConfigured:
      return errorReply(403,
                        "no API token is configured on this server, so mutating endpoints are "
                        "disabled; restart `rawfeed serve` with a token to enable them");
    case AuthOutcome::kMissing:
      return unauthorized("missing Authorization header; send 'Authorization: Bearer <token>'",
                          kChallenge);
    case AuthOutcome::kWrongScheme:
      return unauthorized("the Authorization header must use the Bearer scheme", kChallenge);
    case AuthOutcome::kWrongToken:
      return unauthorized("invalid bearer token", kInvalidTokenChallenge);
  }
  return errorReply(500, "unhandled authentication outcome");
}

ApiReply tooLarge(std::size_t limit) {
  return errorReply(413, fmt::format("request body too large: the limit is {} bytes", limit));
}

ApiReply jsonReply(core::Result<std::string> result, int success_status = 200) {
  if (!result) {
    return errorReply(result.error());
  }
  ApiReply reply;
  reply.status = success_status;
  reply.body = std::move(*result);
  return reply;
}

// The endpoints without parameters take none; a stray one is most likely a typo.
std::optional<ApiReply> rejectQuery(const ApiRequest& request,
                                    std::initializer_list<std::string_view> known) {
  if (auto names = checkQueryNames(request.query, known); !names) {
    return errorReply(names.error());
  }
  return std::nullopt;
}

}  // namespace

ApiHandler::ApiHandler(Service& service, ApiHandlerOptions options)
    : service_(service),
      auth_(std::move(options.bearer_token)),
      max_body_bytes_(options.max_body_bytes) {}

std::optional<ApiReply> ApiHandler::screen(const ApiRequest& head) const {
  const RouteLookup lookup = findRoute(head.method, head.path);
  if (!lookup.match) {
    if (!lookup.path_exists) {
      return errorReply(404, fmt::format("no such endpoint: {}", head.path));
    }
    ApiReply reply = errorReply(405, fmt::format("method {} is not allowed on {}; use {}",
                                                 head.method, head.path, lookup.allow));
    reply.headers.emplace_back("Allow", lookup.allow);
    return reply;
  }
  return screenRoute(head, *lookup.match);
}

std::optional<ApiReply> ApiHandler::screenRoute(const ApiRequest& head,
                                                const RouteMatch& route) const {
  // Credentials first: an anonymous caller learns nothing about domains or limits.
  if (route.mutating) {
    if (auto refused = authReply(auth_.check(head.authorization))) {
      return refused;
    }
  }
  if (!route.domain.empty()) {
    const auto domains = service_.domains();
    if (std::find(domains.begin(), domains.end(), route.domain) == domains.end()) {
      return errorReply(404, fmt::format("unknown domain '{}'", route.domain));
    }
  }
  if (head.content_length && *head.content_length > max_body_bytes_) {
    return tooLarge(max_body_bytes_);
  }
  return std::nullopt;
}

ApiReply ApiHandler::handle(const ApiRequest& request) {
  const RouteLookup lookup = findRoute(request.method, request.path);
  if (!lookup.match) {
    return *screen(request);
  }
  if (auto refused = screenRoute(request, *lookup.match)) {
    return *refused;
  }
  // Chunked bodies declare no length; the transport caps what it keeps, this catches the rest.
  if (request.body.size() > max_body_bytes_) {
    return tooLarge(max_body_bytes_);
  }
  return dispatch(request, *lookup.match);
}

ApiReply ApiHandler::dispatch(const ApiRequest& request, const RouteMatch& route) {
  switch (route.id) {
    case RouteId::kDashboard:
      return serveAsset("index.html");
    case RouteId::kStatic:
      return serveAsset(route.asset);
    case RouteId::kHealth: {
      ApiReply reply;
      reply.body = R"({"status":"ok"})";
      return reply;
    }
    case RouteId::kMetrics: {
      ApiReply reply;
      reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
      reply.body = service_.metricsText();
      return reply;
    }
    case RouteId::kStatus:
      if (auto bad = rejectQuery(request, {})) {
        return *bad;
      }
      return jsonReply(service_.statusJson());
    case RouteId::kTimeseries:
      if (auto bad = rejectQuery(request, {})) {
        return *bad;
      }
      return jsonReply(service_.timeseriesJson(route.domain));
    case RouteId::kBatches:
      return batches(request, route.domain);
    case RouteId::kLake:
      if (auto bad = rejectQuery(request, {})) {
        return *bad;
      }
      return jsonReply(service_.lakeJson(route.domain));
    case RouteId::kDeadLetters:
      return deadLetters(request, route.domain);
    case RouteId::kRedrive:
      return redrive(request, route.domain);
    case RouteId::kRuns:
      return runs(request, route.domain);
    case RouteId::kEvents:
      return events(request);
  }
  return errorReply(500, "unhandled route");
}

ApiReply ApiHandler::serveAsset(std::string_view name) const {
  const DashboardAsset* asset = findDashboardAsset(name);
  if (asset == nullptr) {
    return errorReply(404, fmt::format("no such dashboard file: {}", name));
  }
  ApiReply reply;
  reply.content_type = std::string(asset->content_type);
  reply.body = std::string(asset->body);
  // Everything the page needs comes from this server; nothing inline, nothing remote.
  reply.headers.emplace_back("Content-Security-Policy",
                             "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  return reply;
}

ApiReply ApiHandler::batches(const ApiRequest& request, const std::string& domain) {
  if (auto bad = rejectQuery(request, {"limit"})) {
    return *bad;
  }
  auto limit = parseLimit(queryValue(request.query, "limit"), kDefaultBatchesLimit);
  if (!limit) {
    return errorReply(limit.error());
  }
  return jsonReply(service_.batchesJson(domain, *limit));
}

ApiReply ApiHandler::deadLetters(const ApiRequest& request, const std::string& domain) {
  auto filter = deadLetterFilterFromQuery(request.query);
  if (!filter) {
    return errorReply(filter.error());
  }
  return jsonReply(service_.deadLettersJson(domain, *filter));
}

ApiReply ApiHandler::redrive(const ApiRequest& request, const std::string& domain) {
  if (auto bad = rejectQuery(request, {})) {
    return *bad;
  }
  auto parsed = parseRedriveRequest(request.body);
  if (!parsed) {
    return errorReply(parsed.error());
  }
  return jsonReply(service_.redriveDeadLetters(domain, parsed->filter, parsed->dry_run));
}

ApiReply ApiHandler::runs(const ApiRequest& request, const std::string& domain) {
  if (auto bad = rejectQuery(request, {"dry_run"})) {
    return *bad;
  }
  auto dry_run = parseBoolParam("dry_run", queryValue(request.query, "dry_run"), false);
  if (!dry_run) {
    return errorReply(dry_run.error());
  }
  // Every trigger field is optional (contracts §1), so no body means the domain's defaults.
  const bool empty = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
  const std::string_view trigger = empty ? std::string_view("{}") : request.body;
  if (auto syntax = checkJsonObject(trigger); !syntax) {
    return errorReply(syntax.error());
  }
  // 202: a real run is accepted and proceeds in the background; a dry run is complete.
  return jsonReply(service_.startRun(domain, trigger, *dry_run), *dry_run ? 200 : 202);
}

ApiReply ApiHandler::events(const ApiRequest& request) {
  if (auto bad = rejectQuery(request, {})) {
    return *bad;
  }
  if (auto syntax = checkJsonObject(request.body); !syntax) {
    return errorReply(syntax.error());
  }
  return jsonReply(service_.acceptEvents(request.body));
}

}  // namespace rawfeed::server
