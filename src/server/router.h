#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rawfeed::server {

enum class RouteId {
  kDashboard,    // GET /
  kStatic,       // GET /static/{asset}
  kHealth,       // GET /healthz
  kMetrics,      // GET /metrics
  kStatus,       // GET /v1/status
  kTimeseries,   // GET /v1/domains/{d}/timeseries
  kBatches,      // GET /v1/domains/{d}/batches
  kLake,         // GET /v1/domains/{d}/lake
  kDeadLetters,  // GET /v1/domains/{d}/dlq
  kRedrive,      // POST /v1/domains/{d}/dlq/redrive
  kRuns,         // POST /v1/domains/{d}/runs
  kEvents,       // POST /v1/events
};

struct RouteMatch {
  RouteId id = RouteId::kHealth;
  std::string domain;     // the {d} segment, empty for routes without one
  std::string asset;      // the file name under /static/
  bool mutating = false;  // needs the bearer token
};

// What the path and method say: a route, or why not. A path that exists under another method
// gives 405 with the methods that would work, so a client learns its mistake.
struct RouteLookup {
  std::optional<RouteMatch> match;
  bool path_exists = false;  // false: 404
  std::string allow;         // for 405: "GET, HEAD" or "POST"
};

// Pure: no I/O. HEAD is served wherever GET is.
RouteLookup findRoute(std::string_view method, std::string_view path);

}  // namespace rawfeed::server
