#include "aws/ini_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "core/ascii.h"

namespace rawfeed::aws {

namespace {}  // namespace

std::optional<std::string> IniSection::get(std::string_view key) const {
  const std::string wanted = core::asciiLower(key);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->first == wanted)
      return it->second;
  }
  return std::nullopt;
}

core::Result<IniFile> IniFile::parse(std::string_view text) {
  IniFile file;
  std::string nested_parent;  // the key whose value is an indented block, if any
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const std::string_view line = core::trimAscii(raw, " \t\r");
    if (line.empty() || line.front() == '#' || line.front() == ';')
      continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        return core::makeError(core::ErrorCode::kInvalidInput,
                               fmt::format("line {}: unterminated section header", line_number));
      }
      file.sections_.push_back(
          IniSection{std::string(core::trimAscii(line.substr(1, line.size() - 2), " \t\r")), {}});
      nested_parent.clear();
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             fmt::format("line {}: expected 'key = value'", line_number));
    }
    if (file.sections_.empty()) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             fmt::format("line {}: key outside any [section]", line_number));
    }
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    std::string key = core::asciiLower(core::trimAscii(line.substr(0, eq), " \t\r"));
    std::string value(core::trimAscii(line.substr(eq + 1), " \t\r"));
    auto& entries = file.sections_.back().entries;
    if (indented && !nested_parent.empty()) {
      entries.emplace_back(nested_parent + "." + key, std::move(value));
      continue;
    }
    nested_parent = value.empty() ? key : std::string();
    entries.emplace_back(std::move(key), std::move(value));
  }
  return file;
}

core::Result<IniFile> IniFile::load(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return core::makeError(core::ErrorCode::kNotFound, fmt::format("{} not found", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return core::makeError(core::ErrorCode::kInternal,
                           fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse(text.str());
  if (!parsed) {
    return core::makeError(parsed.error().code,
                           fmt::format("{}: {}", path.string(), parsed.error().message));
  }
  return parsed;
}

std::optional<IniSection> IniFile::section(std::string_view name) const {
  std::optional<IniSection> merged;
  for (const IniSection& section : sections_) {
    if (section.name != name)
      continue;
    if (!merged)
      merged = IniSection{section.name, {}};
    merged->entries.insert(merged->entries.end(), section.entries.begin(), section.entries.end());
  }
  return merged;
}

}  // namespace rawfeed::aws
