#include "aws/profile_provider.h"

#include <fmt/format.h>

#include "aws/ini_file.h"
#include "aws/shared_config.h"

namespace rawfeed::aws {

namespace {

// The keys of one section, or why there are none. `where` names the file for messages.
core::Result<Credentials> keysOf(const IniSection& section, const std::string& where) {
  auto access_key = section.get("aws_access_key_id");
  auto secret = section.get("aws_secret_access_key");
  if (access_key && !access_key->empty() && secret && !secret->empty()) {
    return Credentials{*access_key, *secret, section.get("aws_session_token").value_or(""),
                       std::nullopt};
  }
  for (const char* key : {"role_arn", "credential_process", "sso_session", "sso_start_url",
                          "web_identity_token_file"}) {
    if (section.get(key)) {
      return core::unauthenticated(
          fmt::format("{} in {} is not supported (use static keys, "
                      "environment variables or a container/instance role)",
                      key, where));
    }
  }
  if (access_key || secret) {
    return core::unauthenticated(
        fmt::format("{} has only one of aws_access_key_id and "
                    "aws_secret_access_key",
                    where));
  }
  return core::unauthenticated(fmt::format("no aws_access_key_id in {}", where));
}

}  // namespace

ProfileProvider::ProfileProvider(EnvLookup env, std::optional<std::string> profile)
    : env_(std::move(env)), profile_(profile ? std::move(*profile) : activeProfile(env_)) {}

std::string ProfileProvider::describe() const {
  return fmt::format("profile '{}'", profile_);
}

core::Result<Credentials> ProfileProvider::credentials() {
  const SharedConfigFiles files = sharedConfigFiles(env_);
  auto credentials_file = IniFile::load(files.credentials);
  auto config_file = IniFile::load(files.config);
  // A malformed file is an error to fix, never a reason to fall through to other sources.
  for (const auto* loaded : {&credentials_file, &config_file}) {
    if (!*loaded && loaded->error().code != core::ErrorCode::kNotFound) {
      return core::unauthenticated(loaded->error().message);
    }
  }
  if (!credentials_file && !config_file) {
    return core::unauthenticated(
        fmt::format("{} not found (nor {})", files.credentials.string(), files.config.string()));
  }
  std::string reason;
  if (credentials_file) {
    if (auto section = credentials_file->section(profile_)) {
      auto found = keysOf(*section, files.credentials.string());
      if (found)
        return found;
      reason = found.error().message;
    }
  }
  if (config_file) {
    if (auto section = configProfileSection(*config_file, profile_)) {
      auto found = keysOf(*section, files.config.string());
      if (found || reason.empty())
        return found;
    }
  }
  if (!reason.empty())
    return core::unauthenticated(reason);
  std::string searched;
  if (credentials_file)
    searched = files.credentials.string();
  if (config_file)
    searched += fmt::format("{}{}", searched.empty() ? "" : " or ", files.config.string());
  return core::unauthenticated(fmt::format("no such profile in {}", searched));
}

}  // namespace rawfeed::aws
