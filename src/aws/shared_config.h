#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "aws/environment.h"
#include "aws/ini_file.h"

namespace rawfeed::aws {

// Where the AWS shared files live and which profile is active, resolved as the SDKs do:
// AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config
// under $HOME; AWS_PROFILE, else "default".
struct SharedConfigFiles {
  std::filesystem::path credentials;
  std::filesystem::path config;
};

SharedConfigFiles sharedConfigFiles(const EnvLookup& env);
std::string activeProfile(const EnvLookup& env);

// The profile's section in the config file, where it is "[profile NAME]" — except the default
// profile, which may also be written "[default]".
std::optional<IniSection> configProfileSection(const IniFile& config, std::string_view profile);

// A value of the active profile in the config file (e.g. "region"); nullopt when the file, the
// profile or the key is missing. A malformed file reads as missing here: callers that need to
// report it load the file themselves.
std::optional<std::string> configProfileValue(const EnvLookup& env, std::string_view key);

}  // namespace rawfeed::aws
