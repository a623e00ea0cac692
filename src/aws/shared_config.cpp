#include "aws/shared_config.h"

namespace rawfeed::aws {

namespace {

std::filesystem::path expandHome(const EnvLookup& env, const std::string& path) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const std::string home = envValue(env, "HOME").value_or("");
    return std::filesystem::path(home) / path.substr(path.size() > 1 ? 2 : 1);
  }
  return path;
}

}  // namespace

SharedConfigFiles sharedConfigFiles(const EnvLookup& env) {
  return SharedConfigFiles{
      expandHome(env, envValue(env, "AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials")),
      expandHome(env, envValue(env, "AWS_CONFIG_FILE").value_or("~/.aws/config")),
  };
}

std::string activeProfile(const EnvLookup& env) {
  return envValue(env, "AWS_PROFILE").value_or("default");
}

std::optional<IniSection> configProfileSection(const IniFile& config, std::string_view profile) {
  std::string prefixed = "profile ";
  prefixed += profile;
  if (auto section = config.section(prefixed))
    return section;
  if (profile == "default")
    return config.section("default");
  return std::nullopt;
}

std::optional<std::string> configProfileValue(const EnvLookup& env, std::string_view key) {
  auto config = IniFile::load(sharedConfigFiles(env).config);
  if (!config)
    return std::nullopt;
  auto section = configProfileSection(*config, activeProfile(env));
  if (!section)
    return std::nullopt;
  auto value = section->get(key);
  if (!value || value->empty())
    return std::nullopt;
  return value;
}

}  // namespace rawfeed::aws
