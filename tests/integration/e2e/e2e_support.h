#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "contract/temp_dir.h"
#include "integration/e2e/subprocess.h"
#include "support/replay_server.h"
#include "support/yahoo_fixtures.h"

// Shared by the end-to-end tests: a replay server answering with recorded fixtures, a config
// file, and readers of what `rawfeed` left in the lake and the state directory.
namespace rawfeed::e2e {

namespace fs = std::filesystem;

inline void serveFixture(testing::ReplayServer& server, const std::string& symbol,
                         const std::string& fixture) {
  const auto responses = testing::loadYahooFixture(testing::yahooFixtureDir() / fixture);
  testing::ReplayResponse response;
  response.status = responses.front().status;
  response.headers = responses.front().headers;
  response.body = responses.front().body;
  server.registry().put(symbol, response);
}

inline std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The segment of the corporate-actions table (config corporate_actions_table, the default):
// its objects and manifests are listed apart from the bars'.
inline constexpr const char* kActionsTableSegment = "/corporate_actions/";

struct LakeListing {
  std::map<std::string, std::string> objects;           // key → bytes, the bars' table
  std::map<std::string, std::string> manifests;         // key → bytes, the bars' table
  std::map<std::string, std::string> action_objects;    // the corporate-actions table
  std::map<std::string, std::string> action_manifests;  // the corporate-actions table
  std::vector<std::string> temporaries;
};

// Safe to call while a writer is busy in the lake: a temporary that vanishes between the
// directory read and the look at it is skipped, not an error.
inline LakeListing listLake(const fs::path& lake) {
  LakeListing listing;
  std::error_code error;
  if (!fs::exists(lake, error))
    return listing;
  for (auto it = fs::recursive_directory_iterator(lake, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    std::error_code status_error;
    if (!it->is_regular_file(status_error) || status_error)
      continue;
    const std::string name = it->path().filename().string();
    const std::string key = it->path().lexically_relative(lake).string();
    const bool actions = key.find(kActionsTableSegment) != std::string::npos;
    if (name.rfind(".tmp-", 0) == 0) {
      listing.temporaries.push_back(key);
    } else if (name == "_batch.manifest.json") {
      (actions ? listing.action_manifests : listing.manifests)[key] = readFile(it->path());
    } else {
      (actions ? listing.action_objects : listing.objects)[key] = readFile(it->path());
    }
  }
  return listing;
}

inline std::vector<nlohmann::json> readEvents(const fs::path& state) {
  std::vector<nlohmann::json> events;
  std::ifstream in(state / "events" / "completion.jsonl");
  std::string line;
  while (std::getline(in, line))
    events.push_back(nlohmann::json::parse(line));
  return events;
}

// The recorded answer most e2e tests serve for every symbol (the replay server's template): a
// month of Tokyo daily bars, 23 sessions, so 23 one-record objects per symbol.
inline std::string tokyoMonthTemplate() {
  return testing::loadYahooFixture(testing::yahooFixtureDir() / "1301.T_1d_1mo_2024-11.json")
      .front()
      .body;
}

// A config with one domain whose state and lake live in `dir`.
inline fs::path writeConfig(const fs::path& dir, const std::string& extra_domain_keys = "") {
  const fs::path path = dir / "rawfeed.toml";
  std::ofstream out(path);
  out << "environment = \"e2e\"\n"
      << "[domains.customer-data]\n"
      << "symbols = [\"AAPL\"]\n"
      << "lake = \"" << (dir / "lake").string() << "\"\n"
      << "state_dir = \"" << (dir / "state").string() << "\"\n"
      << extra_domain_keys << "\n";
  return path;
}

}  // namespace rawfeed::e2e
