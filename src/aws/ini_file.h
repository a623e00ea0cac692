#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rawfeed::aws {

struct IniSection {
  std::string name;  // as written between the brackets, trimmed: "default", "profile prod"
  // Keys lower-cased (the SDKs treat them case-insensitively); a nested block such as
  // "s3 =\n  addressing_style = path" is stored as "s3.addressing_style".
  std::vector<std::pair<std::string, std::string>> entries;

  std::optional<std::string> get(std::string_view key) const;  // the last one wins
};

// The INI dialect of ~/.aws/credentials and ~/.aws/config: [sections], "key = value" lines,
// whole-line comments starting with '#' or ';', indented nested keys. Parse errors name the line
// number but never quote it: these files hold secrets.
class IniFile {
 public:
  static core::Result<IniFile> parse(std::string_view text);
  // kNotFound when the file does not exist; kInternal when it cannot be read.
  static core::Result<IniFile> load(const std::filesystem::path& path);

  // The last section of that name (a repeated section's keys are merged in order).
  std::optional<IniSection> section(std::string_view name) const;
  const std::vector<IniSection>& sections() const { return sections_; }

 private:
  std::vector<IniSection> sections_;
};

}  // namespace rawfeed::aws
