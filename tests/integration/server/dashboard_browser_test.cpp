// The dashboard in a real browser: headless Chromium loads the page from an ApiServer over the
// FakeService, runs its scripts against the live API, and the DOM must show the fake's figures
// (the same ones /metrics reports). Screenshots are left in the build folder as artifacts.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "integration/server/server_fixture.h"

namespace rawfeed::server::testing {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

std::string chromiumCommand(const std::string& user_data_dir, const std::string& mode) {
  // The flags keep a headless run quiet and offline: no sandbox (CI runs as root), no GPU, no
  // background fetches, no first-run UI. Virtual time lets the page's polls run without waiting.
  std::string command = "timeout 90 ";
  command += kChromium;
  command +=
      " --headless --no-sandbox --disable-gpu --disable-background-networking"
      " --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage"
      " --hide-scrollbars --virtual-time-budget=5000 --user-data-dir=";
  command += user_data_dir;
  command += ' ';
  command += mode;
  return command;
}

std::string run(const std::string& command, const std::string& log_path) {
  std::string full = command + " 2>>" + log_path;
  std::string output;
  FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) {
    return output;
  }
  std::array<char, 8192> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    output.append(buffer.data(), got);
  }
  ::pclose(pipe);
  return output;
}

std::string makeTempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "rawfeed-chromium-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  return made == nullptr ? std::string() : std::string(made);
}

// The text of <span data-metric="name" data-domain="domain">…</span> in the dumped DOM.
std::optional<std::string> metricText(const std::string& dom, const std::string& name,
                                      const std::string& domain) {
  const std::regex pattern("<span data-metric=\"" + name + "\" data-domain=\"" + domain +
                           "\">([^<]*)</span>");
  std::smatch match;
  if (!std::regex_search(dom, match, pattern)) {
    return std::nullopt;
  }
  return match[1].str();
}

std::optional<std::string> alarmState(const std::string& dom, const std::string& alarm,
                                      const std::string& domain) {
  const std::regex pattern("data-alarm=\"" + alarm + "\" data-domain=\"" + domain +
                           "\" data-state=\"([A-Z_]+)\"");
  std::smatch match;
  if (!std::regex_search(dom, match, pattern)) {
    return std::nullopt;
  }
  return match[1].str();
}

// The sample value of `metric{domain="..."}` in the Prometheus text.
std::optional<std::string> metricsValue(const std::string& text, const std::string& metric,
                                        const std::string& domain) {
  const std::string prefix = metric + "{domain=\"" + domain + "\"} ";
  const std::size_t at = text.find(prefix);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  const std::size_t start = at + prefix.size();
  return text.substr(start, text.find('\n', start) - start);
}

TEST_F(ServerTest, DashboardRendersLiveFiguresInHeadlessChromium) {
  ASSERT_TRUE(std::filesystem::exists(kChromium))
      << "chromium is required for the dashboard check: apt-get install -y chromium";
  const std::string artifacts = std::string(RAWFEED_BINARY_DIR) + "/artifacts";
  std::filesystem::create_directories(artifacts);
  const std::string log = artifacts + "/chromium.log";
  const std::string url = server_->baseUrl() + "/";

  const std::string profile = makeTempDir();
  ASSERT_FALSE(profile.empty());
  const std::string dom = run(chromiumCommand(profile, "--dump-dom " + url), log);
  std::filesystem::remove_all(profile);
  ASSERT_FALSE(dom.empty()) << "chromium printed no DOM; see " << log;
  {
    FILE* file = std::fopen((artifacts + "/dashboard-dom.html").c_str(), "w");
    if (file != nullptr) {
      std::fwrite(dom.data(), 1, dom.size(), file);
      std::fclose(file);
    }
  }
  EXPECT_NE(dom.find("<body data-ready=\"1\""), std::string::npos)
      << "the page never finished its first load of every domain";

  const std::string metrics = service_.metricsText();
  for (const FakeFigures& f : service_.figures()) {
    SCOPED_TRACE(f.domain);
    const std::string oldest =
        f.oldest_age_seconds ? fmt::format("{}", *f.oldest_age_seconds) : "—";
    const std::pair<const char*, std::string> expected[] = {
        {"queue_visible", std::to_string(f.visible)},
        {"queue_in_flight", std::to_string(f.in_flight)},
        {"dlq_depth", std::to_string(f.dlq)},
        {"oldest_age_seconds", oldest},
        {"symbols_ok_total", std::to_string(f.symbols_ok_total)},
        {"objects_written_total", std::to_string(f.objects_written_total)},
    };
    for (const auto& [name, value] : expected) {
      EXPECT_EQ(metricText(dom, name, f.domain).value_or("<missing>"), value) << name;
    }
    // The page agrees with /metrics, not only with the fake's table.
    const std::pair<const char*, const char*> exported[] = {
        {"queue_visible", "rawfeed_queue_visible_messages"},
        {"queue_in_flight", "rawfeed_queue_in_flight_messages"},
        {"dlq_depth", "rawfeed_dlq_messages"},
        {"oldest_age_seconds", "rawfeed_queue_oldest_age_seconds"},
        {"symbols_ok_total", "rawfeed_symbols_ok_total"},
        {"objects_written_total", "rawfeed_objects_written_total"},
    };
    for (const auto& [name, metric] : exported) {
      if (auto value = metricsValue(metrics, metric, f.domain)) {
        EXPECT_EQ(metricText(dom, name, f.domain).value_or("<missing>"), *value) << metric;
      }
    }
    EXPECT_EQ(alarmState(dom, "queue_depth", f.domain).value_or("<missing>"), f.queue_depth_alarm);
    EXPECT_EQ(alarmState(dom, "oldest_message_age", f.domain).value_or("<missing>"),
              f.oldest_message_age_alarm);
    EXPECT_EQ(alarmState(dom, "worker_errors", f.domain).value_or("<missing>"),
              f.worker_errors_alarm);
  }
  // Charts were drawn, the tables filled, and outside text stayed text.
  EXPECT_NE(dom.find("class=\"series\""), std::string::npos);
  EXPECT_NE(dom.find("data-batch=\"2024-05-01-sched-7f3a\""), std::string::npos);
  EXPECT_NE(dom.find("data-message=\"m-1\""), std::string::npos);
  EXPECT_NE(dom.find("data-ds=\"2024-04-30\""), std::string::npos);
  EXPECT_EQ(dom.find("<b>XSS</b>"), std::string::npos);
  EXPECT_NE(dom.find("&lt;b&gt;XSS&lt;/b&gt;"), std::string::npos);

  // Artifacts: the first screen as an operator sees it, and the whole page.
  for (const auto& [name, size] :
       {std::pair<std::string, std::string>{"dashboard.png", "1400,1000"},
        {"dashboard-full.png", "1400,3200"}}) {
    const std::string shot = artifacts + "/" + name;
    std::filesystem::remove(shot);
    const std::string shot_profile = makeTempDir();
    (void)run(chromiumCommand(shot_profile,
                              "--screenshot=" + shot + " --window-size=" + size + " " + url),
              log);
    std::filesystem::remove_all(shot_profile);
    ASSERT_TRUE(std::filesystem::exists(shot)) << "no screenshot; see " << log;
    EXPECT_GT(std::filesystem::file_size(shot), 20'000u) << name;
  }
}

}  // namespace
}  // namespace rawfeed::server::testing
