#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string>

namespace rawfeed::testing {

// The test servers' settings, as scripts/aws-test-servers.sh writes them: each variable from the
// process environment when set (CI exports the file), else from out/aws-test-servers.env.
class AwsTestEnv {
 public:
  AwsTestEnv() {
    std::ifstream file(std::string(RAWFEED_SOURCE_DIR) + "/out/aws-test-servers.env");
    std::string line;
    while (std::getline(file, line)) {
      if (line.empty() || line[0] == '#')
        continue;
      const auto eq = line.find('=');
      if (eq != std::string::npos)
        file_[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }

  std::optional<std::string> get(const std::string& name) const {
    if (const char* value = std::getenv(name.c_str()); value != nullptr && *value != '\0') {
      return std::string(value);
    }
    if (auto it = file_.find(name); it != file_.end() && !it->second.empty())
      return it->second;
    return std::nullopt;
  }

 private:
  std::map<std::string, std::string> file_;
};

// The value, or a failed test saying how to get it: never a silent skip, since a missing server
// would otherwise pass as green. Use as: `auto url = requireSetting(env, "X"); if (!url) return;`
// after which the test (or SetUp) has failed fatally.
inline std::optional<std::string> requireSetting(const AwsTestEnv& env, const std::string& name) {
  auto value = env.get(name);
  if (!value) {
    ADD_FAILURE() << name
                  << " is not set: the AWS test servers are not running. Start them with "
                     "`scripts/aws-test-servers.sh start` (stop: `scripts/aws-test-servers.sh "
                     "stop`), which writes out/aws-test-servers.env.";
  }
  return value;
}

}  // namespace rawfeed::testing
