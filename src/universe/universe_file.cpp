#include "universe/universe_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace rawfeed::universe {

namespace {

core::Result<std::vector<std::string>> parseJsonArray(std::string_view text,
                                                      std::string_view origin) {
  nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           std::string(origin) + ": not valid JSON (expected an array of strings)");
  }
  if (!document.is_array()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           std::string(origin) + ": expected a JSON array of strings");
  }
  std::vector<std::string> entries;
  entries.reserve(document.size());
  for (std::size_t i = 0; i < document.size(); ++i) {
    if (!document[i].is_string()) {
      return core::makeError(
          core::ErrorCode::kInvalidInput,
          std::string(origin) + ": element " + std::to_string(i) + " is not a string");
    }
    entries.push_back(document[i].get<std::string>());
  }
  return entries;
}

}  // namespace

core::Result<std::vector<std::string>> parseUniverse(std::string_view text,
                                                     std::string_view origin) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '[')
    return parseJsonArray(text, origin);
  std::vector<std::string> entries;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    const auto b = line.find_first_not_of(" \t\r");
    if (b != std::string_view::npos) {
      const auto e = line.find_last_not_of(" \t\r");
      entries.emplace_back(line.substr(b, e - b + 1));
    }
    start = end + 1;
  }
  return entries;
}

core::Result<std::vector<std::string>> readUniverseFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::makeError(core::ErrorCode::kNotFound,
                           "universe file " + path.string() + " cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  return parseUniverse(content.str(), path.string());
}

}  // namespace rawfeed::universe
