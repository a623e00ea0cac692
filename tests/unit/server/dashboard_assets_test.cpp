#include "server/dashboard_assets.h"

#include <gtest/gtest.h>

#include <string>

namespace rawfeed::server {
namespace {

TEST(DashboardAssets, AreEmbeddedWithTheirTypes) {
  const DashboardAsset* page = findDashboardAsset("index.html");
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("<!doctype html>"), std::string_view::npos);
  ASSERT_NE(findDashboardAsset("dashboard.js"), nullptr);
  EXPECT_EQ(findDashboardAsset("dashboard.js")->content_type, "text/javascript; charset=utf-8");
  ASSERT_NE(findDashboardAsset("dashboard.css"), nullptr);
  EXPECT_EQ(findDashboardAsset("missing.js"), nullptr);
}

// The headless check and operators' scripts rely on these hooks.
TEST(DashboardAssets, PageCarriesTheTestHooks) {
  const std::string_view page = findDashboardAsset("index.html")->body;
  for (const char* metric : {"queue_visible", "queue_in_flight", "dlq_depth", "oldest_age_seconds",
                             "symbols_ok_total", "objects_written_total", "gaps_missing_days"}) {
    EXPECT_NE(page.find(std::string("data-metric=\"") + metric + "\""), std::string_view::npos)
        << metric;
  }
  const std::string_view script = findDashboardAsset("dashboard.js")->body;
  EXPECT_NE(script.find("document.body.dataset.ready = '1'"), std::string_view::npos);
  EXPECT_NE(script.find("'data-alarm'"), std::string_view::npos);
  // Nothing from the internet.
  EXPECT_EQ(page.find("http://"), std::string_view::npos);
  EXPECT_EQ(page.find("https://"), std::string_view::npos);
}

}  // namespace
}  // namespace rawfeed::server
