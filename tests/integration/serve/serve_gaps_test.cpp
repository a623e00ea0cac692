// `rawfeed serve` shows each domain's lake gaps in /v1/status (the dashboard's "Lake gaps"):
// checked in the background when asked for, served with the time of the check.
#include "integration/serve/serve_support.h"

namespace rawfeed::serve_test {
namespace {

using nlohmann::json;

// A bars object of `domain` as the writer lays it out (contracts §4).
void landObject(const fs::path& lake, const std::string& domain, const std::string& symbol,
                const std::string& day) {
  const fs::path dir = lake / domain / "prices" / "interval=1d" / "data_source=yahoo_finance" /
                       ("year=" + day.substr(0, 4)) / ("month=" + day.substr(5, 2)) /
                       ("day=" + day.substr(8, 2));
  fs::create_directories(dir);
  std::ofstream(dir / (symbol + ".json")) << "{}\n";
}

json gapsOf(ServeProcess& serve, const std::string& domain) {
  const json status = serve.get("/v1/status").json();
  for (const auto& entry : status["domains"]) {
    if (entry["domain"] == domain)
      return entry.value("gaps", json());
  }
  return json();
}

class ServeGapsTest : public ServeTest {};

TEST_F(ServeGapsTest, StatusCarriesEachDomainsGapsOnceChecked) {
  for (const char* day : {"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"}) {
    landObject(lake(), "audited", "AAA", day);
    if (std::string(day) != "2024-01-04")
      landObject(lake(), "audited", "BBB", day);
  }
  auto serve = startServe(
      writeServeConfig(dir_.path(), {{"audited", {"AAA", "BBB"}, ""}, {"empty", {"KO", "PG"}, ""}}),
      "serve");
  ASSERT_TRUE(serve);
  json gaps;
  ASSERT_TRUE(pollUntil(seconds(20), [&] {
    gaps = gapsOf(*serve, "audited");
    return gaps.is_object() && !gaps["checked_at"].is_null();
  })) << gaps;
  EXPECT_EQ(gaps["symbols"], 2);
  EXPECT_EQ(gaps["symbols_with_gaps"], 1);
  EXPECT_EQ(gaps["missing_days"], 1);
  EXPECT_EQ(gaps["never_landed"], 0);
  EXPECT_TRUE(gaps["error"].is_null());
  EXPECT_EQ(gaps["refresh_seconds"], 300);

  ASSERT_TRUE(pollUntil(seconds(20), [&] {
    gaps = gapsOf(*serve, "empty");
    return gaps.is_object() && !gaps["checked_at"].is_null();
  })) << gaps;
  EXPECT_EQ(gaps["missing_days"], 0);
  EXPECT_EQ(gaps["never_landed"], 2);
  const Exit stopped = serve->stop();
  EXPECT_EQ(stopped.status, 0) << serve->process().err();
}

}  // namespace
}  // namespace rawfeed::serve_test
