#pragma once

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "aws/environment.h"
#include "core/result.h"

namespace rawfeed::aws::testing {

// An environment made of exactly these variables: tests never touch the process's.
inline EnvLookup envOf(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end())
      return std::nullopt;
    return it->second;
  };
}

inline void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Joins pieces; `"literal" + std::string` trips GCC 12's bogus -Wrestrict.
inline std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts)
    out += part;
  return out;
}

// The secret every test uses, so each error path can assert it never appears.
inline const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline const std::string kToken = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";

inline void expectNoSecret(const core::Error& error) {
  EXPECT_EQ(error.describe().find(kSecret), std::string::npos) << error.describe();
  EXPECT_EQ(error.describe().find(kToken), std::string::npos) << error.describe();
}

}  // namespace rawfeed::aws::testing
