#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::universe {

// The raw entries of a universe document: a JSON array of strings, or one symbol a line with
// '#' comments and blank lines ignored. Errors name the source and the line or position.
core::Result<std::vector<std::string>> parseUniverse(std::string_view text,
                                                     std::string_view origin);

// Reads and parses a universe file (kNotFound if it does not exist).
core::Result<std::vector<std::string>> readUniverseFile(const std::filesystem::path& path);

}  // namespace rawfeed::universe
