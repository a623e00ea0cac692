#include "app/domain_loading.h"

#include <string>

#include "app/cli_overrides.h"

namespace rawfeed::app {

core::Result<LoadedDomain> loadDomain(const CommandOptions& options) {
  auto config = config::loadConfig(options.config_path);
  if (!config.ok())
    return config.error();
  std::string name = options.domain;
  if (name.empty()) {
    if (config->domains.size() != 1) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             "--domain is required: " + options.config_path.string() + " has " +
                                 std::to_string(config->domains.size()) + " domains");
    }
    name = config->domains.begin()->first;
  }
  const auto* found = config->domain(name);
  if (found == nullptr) {
    std::string known;
    for (const auto& [key, value] : config->domains)
      known += (known.empty() ? "" : ", ") + key;
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "unknown domain '" + name + "' (configured: " + known + ")");
  }
  LoadedDomain loaded{*config, *found};
  if (auto applied = applyDomainOverrides(options, loaded.domain); !applied.ok())
    return applied.error();
  return loaded;
}

}  // namespace rawfeed::app
