#include "server/router.h"

#include <array>
#include <vector>

namespace rawfeed::server {
namespace {

struct RouteSpec {
  std::string_view method;
  std::string_view pattern;  // "{d}" matches one segment, a final "*" the rest (one or more)
  RouteId id;
};

constexpr std::array kRoutes = {
    RouteSpec{"GET", "/", RouteId::kDashboard},
    RouteSpec{"GET", "/static/*", RouteId::kStatic},
    RouteSpec{"GET", "/healthz", RouteId::kHealth},
    RouteSpec{"GET", "/metrics", RouteId::kMetrics},
    RouteSpec{"GET", "/v1/status", RouteId::kStatus},
    RouteSpec{"GET", "/v1/domains/{d}/timeseries", RouteId::kTimeseries},
    RouteSpec{"GET", "/v1/domains/{d}/batches", RouteId::kBatches},
    RouteSpec{"GET", "/v1/domains/{d}/lake", RouteId::kLake},
    RouteSpec{"GET", "/v1/domains/{d}/dlq", RouteId::kDeadLetters},
    RouteSpec{"POST", "/v1/domains/{d}/dlq/redrive", RouteId::kRedrive},
    RouteSpec{"POST", "/v1/domains/{d}/runs", RouteId::kRuns},
    RouteSpec{"POST", "/v1/events", RouteId::kEvents},
};

// "/a/b" → {"a","b"}; "/" → {}. Empty inner segments ("//") stay, so they match nothing.
std::vector<std::string_view> segmentsOf(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.size() <= 1) {
    return segments;
  }
  std::size_t start = 1;
  while (true) {
    const std::size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) {
      return segments;
    }
    start = slash + 1;
  }
}

// Fills domain/asset on a match.
bool matches(std::string_view pattern, std::string_view path, RouteMatch& out) {
  const auto want = segmentsOf(pattern);
  const auto have = segmentsOf(path);
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "*") {
      if (i >= have.size()) {
        return false;
      }
      std::string rest;
      for (std::size_t j = i; j < have.size(); ++j) {
        if (have[j].empty()) {
          return false;
        }
        if (j > i) {
          rest += '/';
        }
        rest += have[j];
      }
      out.asset = rest;
      return true;
    }
    if (i >= have.size() || have[i].empty()) {
      return false;
    }
    if (want[i] == "{d}") {
      out.domain = std::string(have[i]);
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return want.size() == have.size();
}

}  // namespace

RouteLookup findRoute(std::string_view method, std::string_view path) {
  RouteLookup lookup;
  if (path.empty() || path.front() != '/') {
    return lookup;
  }
  const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  for (const RouteSpec& spec : kRoutes) {
    RouteMatch candidate;
    if (!matches(spec.pattern, path, candidate)) {
      continue;
    }
    lookup.path_exists = true;
    if (spec.method == effective) {
      candidate.id = spec.id;
      candidate.mutating = spec.method == "POST";
      lookup.match = std::move(candidate);
      return lookup;
    }
    if (!lookup.allow.empty()) {
      lookup.allow += ", ";
    }
    lookup.allow += spec.method == "GET" ? "GET, HEAD" : std::string(spec.method);
  }
  return lookup;
}

}  // namespace rawfeed::server
