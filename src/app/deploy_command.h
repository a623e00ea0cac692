#pragma once

#include <filesystem>
#include <string>

namespace rawfeed::app {

struct DeployOptions {
  std::filesystem::path config_path = "rawfeed.toml";
  std::string domain;               // may be empty when the file has exactly one domain
  std::filesystem::path out = "-";  // "-": standard output
};

// `rawfeed deploy aws`: writes the domain's CloudFormation template. Bad configuration: every
// problem on stderr, exit 2, nothing written (an existing --out file is left as it was); the
// file appears whole or not at all (written beside, then renamed).
int deployAwsCommand(const DeployOptions& options);

}  // namespace rawfeed::app
