#include "app/deploy_command.h"

#include <fstream>
#include <iostream>
#include <system_error>

#include <fmt/format.h>

#include "app/exit_codes.h"
#include "config/config.h"
#include "deploy/stack_template.h"

namespace rawfeed::app {

namespace {

core::Status writeWhole(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temporary = path;
  temporary += ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      return core::makeError(core::ErrorCode::kInvalidInput,
                             fmt::format("{}: cannot be written", path.string()));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return core::makeError(core::ErrorCode::kInvalidInput,
                           fmt::format("{}: cannot be written", path.string()));
  }
  return core::okStatus();
}

}  // namespace

int deployAwsCommand(const DeployOptions& options) {
  auto config = config::loadConfig(options.config_path);
  if (!config.ok())
    return reportFailure(config.error());
  std::string name = options.domain;
  if (name.empty()) {
    if (config->domains.size() != 1) {
      std::string known;
      for (const auto& [domain, settings] : config->domains)
        known += " " + domain;
      return reportFailure(
          core::makeError(core::ErrorCode::kInvalidInput,
                          "deploy aws: say which domain with --domain (configured:" + known + ")"));
    }
    name = config->domains.begin()->first;
  }
  const config::DomainConfig* domain = config->domain(name);
  if (domain == nullptr) {
    return reportFailure(core::makeError(
        core::ErrorCode::kInvalidInput,
        fmt::format("{}: no domain '{}' is configured", options.config_path.string(), name)));
  }
  std::vector<std::string> notes;
  auto rendered = deploy::renderStack(*domain, config->environment, &notes);
  if (!rendered.ok())
    return reportFailure(rendered.error());
  for (const auto& note : notes)
    std::cerr << "rawfeed: note: " << note << "\n";
  if (options.out == "-") {
    std::cout << *rendered;
    return std::cout ? kExitOk : kExitInternal;
  }
  if (auto written = writeWhole(options.out, *rendered); !written.ok()) {
    return reportFailure(written.error());
  }
  std::cerr << fmt::format("rawfeed: stack of domain {} written to {} ({} bytes)\n", name,
                           options.out.string(), rendered->size());
  return kExitOk;
}

}  // namespace rawfeed::app
