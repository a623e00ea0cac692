#include "server/router.h"

#include <gtest/gtest.h>

namespace rawfeed::server {
namespace {

struct RouteCase {
  const char* method;
  const char* path;
  RouteId id;
  const char* domain;
  bool mutating;
};

TEST(Router, MatchesEveryEndpoint) {
  const RouteCase cases[] = {
      {"GET", "/", RouteId::kDashboard, "", false},
      {"HEAD", "/", RouteId::kDashboard, "", false},
      {"GET", "/static/dashboard.js", RouteId::kStatic, "", false},
      {"GET", "/healthz", RouteId::kHealth, "", false},
      {"GET", "/metrics", RouteId::kMetrics, "", false},
      {"GET", "/v1/status", RouteId::kStatus, "", false},
      {"GET", "/v1/domains/customer-data/timeseries", RouteId::kTimeseries, "customer-data", false},
      {"GET", "/v1/domains/customer-data/batches", RouteId::kBatches, "customer-data", false},
      {"GET", "/v1/domains/d/lake", RouteId::kLake, "d", false},
      {"GET", "/v1/domains/d/dlq", RouteId::kDeadLetters, "d", false},
      {"POST", "/v1/domains/d/dlq/redrive", RouteId::kRedrive, "d", true},
      {"POST", "/v1/domains/d/runs", RouteId::kRuns, "d", true},
      {"POST", "/v1/events", RouteId::kEvents, "", true},
  };
  for (const RouteCase& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    const RouteLookup lookup = findRoute(c.method, c.path);
    ASSERT_TRUE(lookup.match.has_value());
    EXPECT_EQ(lookup.match->id, c.id);
    EXPECT_EQ(lookup.match->domain, c.domain);
    EXPECT_EQ(lookup.match->mutating, c.mutating);
  }
}

TEST(Router, StaticKeepsTheAssetName) {
  EXPECT_EQ(findRoute("GET", "/static/dashboard.css").match->asset, "dashboard.css");
  EXPECT_FALSE(findRoute("GET", "/static/").match.has_value());
  EXPECT_FALSE(findRoute("GET", "/static").match.has_value());
}

TEST(Router, UnknownPathsAreNotFound) {
  for (const char* path : {"/nope", "/v1", "/v1/domains", "/v1/domains//lake", "/v1/status/",
                           "/v1/domains/d/lake/x", "/healthz/", "", "//"}) {
    SCOPED_TRACE(path);
    const RouteLookup lookup = findRoute("GET", path);
    EXPECT_FALSE(lookup.match.has_value());
    EXPECT_FALSE(lookup.path_exists);
  }
}

TEST(Router, WrongMethodNamesTheAllowedOnes) {
  RouteLookup lookup = findRoute("GET", "/v1/events");
  EXPECT_FALSE(lookup.match.has_value());
  EXPECT_TRUE(lookup.path_exists);
  EXPECT_EQ(lookup.allow, "POST");

  lookup = findRoute("POST", "/v1/status");
  EXPECT_TRUE(lookup.path_exists);
  EXPECT_EQ(lookup.allow, "GET, HEAD");

  lookup = findRoute("DELETE", "/v1/domains/d/runs");
  EXPECT_TRUE(lookup.path_exists);
  EXPECT_EQ(lookup.allow, "POST");
}

}  // namespace
}  // namespace rawfeed::server
