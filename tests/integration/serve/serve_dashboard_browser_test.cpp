// `rawfeed serve` as a process after a scheduled, an event-driven and a manual run: /metrics,
// /v1/status and the lake agree, and the dashboard in headless Chromium shows the same figures
// as /metrics. The screenshot is left in the build folder as an artifact.
#include <array>
#include <cstdio>
#include <regex>
#include <set>

#include "integration/serve/serve_domains.h"

namespace rawfeed::serve_test {
namespace {

using nlohmann::json;

constexpr const char* kChromium = "/usr/bin/chromium";

std::string makeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "rawfeed-chromium-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  return made == nullptr ? std::string() : std::string(made);
}

// Headless Chromium, quiet and offline (flags as in tests/integration/server), in a fresh
// profile; returns what it printed on stdout. Virtual time lets the page's polls run at once.
std::string runChromium(const std::string& mode, const std::string& log_path) {
  const std::string profile = makeTempDir();
  std::string command = std::string("timeout 60 ") + kChromium +
                        " --headless --no-sandbox --disable-gpu --disable-background-networking"
                        " --disable-component-update --disable-sync --no-first-run"
                        " --disable-dev-shm-usage --hide-scrollbars --virtual-time-budget=5000"
                        " --user-data-dir=" +
                        profile + " " + mode + " 2>>" + log_path;
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 8192> buffer{};
    std::size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
      output.append(buffer.data(), got);
    }
    ::pclose(pipe);
  }
  fs::remove_all(profile);
  return output;
}

// The text of <span data-metric="name" data-domain="domain">…</span> in the dumped DOM.
std::optional<std::string> domText(const std::string& dom, const std::string& name,
                                   const std::string& domain) {
  const std::regex pattern("<span data-metric=\"" + name + "\" data-domain=\"" + domain +
                           "\">([^<]*)</span>");
  std::smatch match;
  if (!std::regex_search(dom, match, pattern))
    return std::nullopt;
  return match[1].str();
}

// The dashboard's exact figures and the series /metrics exposes for each.
struct Figure {
  const char* name;
  std::string series;
};
std::vector<Figure> figuresOf(const std::string& domain) {
  return {{"queue_visible", domainSeries("rawfeed_queue_messages_visible", domain)},
          {"queue_in_flight", domainSeries("rawfeed_queue_messages_in_flight", domain)},
          {"dlq_depth", domainSeries("rawfeed_dlq_messages", domain)},
          {"oldest_age_seconds", domainSeries("rawfeed_queue_oldest_message_age_seconds", domain)},
          {"symbols_ok_total", symbolsSeries(domain, "ok")},
          {"objects_written_total", domainSeries("rawfeed_objects_written_total", domain)}};
}

bool queueEmpty(const json& status) {
  const json& queue = status["queue"];
  return queue["visible"] == 0 && queue["in_flight"] == 0 && queue["delayed"] == 0;
}

TEST_F(ServeTest, MetricsStatusLakeAndDashboardAgreeAfterRuns) {
  ASSERT_TRUE(fs::exists(kChromium))
      << "chromium is required for the dashboard check: apt-get install -y chromium "
         "(scripts/install-deps.sh installs it)";
  waitClearOfNextFire();
  const std::string scheduled_batch = scheduledBatchId(kScheduled, lastWholeHour());
  auto serve = startServe(writeServeConfig(dir_.path(), twoDomains()), "serve");
  ASSERT_TRUE(serve);

  const json event = {{"source", "crm"},
                      {"detail-type", "Symbol Added"},
                      {"detail", {{"symbols", {"NVDA", "TSLA", "NOPE-404"}}}}};
  const Reply accepted = serve->post("/v1/events", event.dump());
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const std::string event_batch = accepted.json()["entries"][0].value("batch_id", "");
  ASSERT_FALSE(event_batch.empty()) << accepted.body;
  const Reply manual =
      serve->post("/v1/domains/events/runs", R"({"symbols":["KO"],"batch_id":"manual-ko"})");
  ASSERT_EQ(manual.status, 202) << manual.body;

  for (const auto& [domain, batch_id] :
       {std::pair<std::string, std::string>{kScheduled, scheduled_batch},
        {kEvents, event_batch},
        {kEvents, "manual-ko"}}) {
    const json batch = waitComplete(*serve, domain, batch_id);
    ASSERT_TRUE(batch.is_object() && batch["status"] == "complete")
        << domain << " " << batch_id << ": " << batch.dump();
  }
  // Complete batches, and no message left behind in either queue.
  ASSERT_TRUE(pollUntil(seconds(10), [&] {
    return queueEmpty(statusOf(*serve, kScheduled)) && queueEmpty(statusOf(*serve, kEvents));
  }));

  const std::string metrics = serve->get("/metrics").body;
  const std::map<std::string, std::set<std::string>> expected_symbols = {
      {kScheduled, {"AAPL", "MSFT", "SPY"}}, {kEvents, {"NVDA", "TSLA", "KO"}}};
  for (const auto& [domain, symbols] : expected_symbols) {
    SCOPED_TRACE(domain);
    const json counters = statusOf(*serve, domain)["counters"];
    const auto objects = domainObjects(lake(), domain);
    std::set<std::string> landed;
    for (const auto& [key, bytes] : objects)
      landed.insert(symbolOfKey(key));
    EXPECT_EQ(landed, symbols);

    const auto ok = metricValue(metrics, symbolsSeries(domain, "ok"));
    const auto written =
        metricValue(metrics, domainSeries("rawfeed_objects_written_total", domain));
    ASSERT_TRUE(ok && written) << metrics;
    EXPECT_EQ(*ok, static_cast<double>(symbols.size()));
    EXPECT_EQ(*ok, counters["symbols_ok_total"].get<double>());
    EXPECT_EQ(*written, counters["objects_written_total"].get<double>());
    EXPECT_EQ(*written, static_cast<double>(objects.size()));
    std::uint64_t bytes = 0;
    for (const auto& [key, content] : objects)
      bytes += content.size();
    EXPECT_EQ(metricValue(metrics, domainSeries("rawfeed_bytes_written_total", domain)),
              static_cast<double>(bytes));
    EXPECT_EQ(counters["bytes_written_total"], bytes);
  }
  // The unknown symbol of the event: Yahoo's 404, counted under its outcome.
  EXPECT_EQ(metricValue(metrics, symbolsSeries(kEvents, "not_found")), 1.0);
  EXPECT_EQ(statusOf(*serve, kEvents)["counters"]["symbols_failed_total"], 1);

  // The lake audit behind the "Lake gaps" tile runs once asked for: the runs left no gap.
  ASSERT_TRUE(pollUntil(seconds(20), [&] {
    return !statusOf(*serve, kScheduled)["gaps"]["checked_at"].is_null() &&
           !statusOf(*serve, kEvents)["gaps"]["checked_at"].is_null();
  }));

  // The dashboard, rendered by a real browser against this serve.
  const std::string artifacts = std::string(RAWFEED_BINARY_DIR) + "/artifacts";
  fs::create_directories(artifacts);
  const std::string log = artifacts + "/serve-chromium.log";
  const std::string url = serve->url() + "/";
  const std::string dom = runChromium("--dump-dom " + url, log);
  ASSERT_FALSE(dom.empty()) << "chromium printed no DOM; see " << log;
  std::ofstream(artifacts + "/serve-dashboard-dom.html") << dom;
  ASSERT_NE(dom.find("<body data-ready=\"1\""), std::string::npos)
      << "the page never finished its first load of every domain; DOM in "
      << artifacts + "/serve-dashboard-dom.html";

  // No run is in progress, so the page and a fresh /metrics see the same state.
  const std::string now = serve->get("/metrics").body;
  for (const std::string domain : {kScheduled, kEvents}) {
    SCOPED_TRACE(domain);
    for (const Figure& figure : figuresOf(domain)) {
      const auto value = metricValue(now, figure.series);
      ASSERT_TRUE(value) << figure.series << " is not in /metrics";
      const std::string shown = domText(dom, figure.name, domain).value_or("<missing>");
      if (std::string(figure.name) == "oldest_age_seconds" && shown == "—") {
        // An empty queue has no oldest message: the page shows a dash, /metrics exports 0.
        EXPECT_EQ(*value, 0.0) << figure.series;
        continue;
      }
      char expected[32];
      std::snprintf(expected, sizeof(expected), "%.15g", *value);
      EXPECT_EQ(shown, expected) << figure.name << " vs " << figure.series;
    }
    EXPECT_NE(dom.find("data-state=\""), std::string::npos);
    EXPECT_EQ(domText(dom, "gaps_missing_days", domain), "0");
  }
  EXPECT_NE(dom.find(" symbols (checked "), std::string::npos) << "the gaps' age is shown";
  for (const std::string& batch_id : {scheduled_batch, event_batch, std::string("manual-ko")}) {
    EXPECT_NE(dom.find("data-batch=\"" + batch_id + "\""), std::string::npos) << batch_id;
  }
  EXPECT_NE(dom.find(kSchedule), std::string::npos);

  const std::string shot = artifacts + "/serve-dashboard.png";
  fs::remove(shot);
  (void)runChromium("--screenshot=" + shot + " --window-size=1400,1800 " + url, log);
  ASSERT_TRUE(fs::exists(shot)) << "no screenshot; see " << log;
  EXPECT_GT(fs::file_size(shot), 20'000u);
  std::printf("[ artifact ] %s\n", shot.c_str());

  const Exit stopped = serve->stop();
  ASSERT_FALSE(stopped.timed_out);
  EXPECT_EQ(stopped.status, 0) << serve->process().err();
}

}  // namespace
}  // namespace rawfeed::serve_test
