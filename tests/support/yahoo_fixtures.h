#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

// Test support: finds ../shared and reads the recorded Yahoo responses in their wrapper formats
// (see ../shared/fixtures/yahoo/README.md). Tests only; never linked into the product.
namespace rawfeed::testing {

// RAWFEED_SHARED_DIR from the environment when set, else the path compiled in by CMake.
std::filesystem::path sharedDir();
std::filesystem::path yahooFixtureDir();
// True when the fixture folder exists; otherwise prints one line naming the missing path, so
// a test that needs it can fail loudly rather than skip silently.
bool yahooFixturesPresent();

struct RecordedResponse {
  std::string fixture;  // file name
  std::string url;      // the recorded request URL when the wrapper has one, else empty
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-cased names, as recorded
  std::string body;  // the identity-encoded body bytes (gzip bodies are decompressed)
};

// Every interaction in one fixture file: one for .json/.txt, several for a vcrpy cassette.
// Throws std::runtime_error naming the file on unreadable input (tests only).
std::vector<RecordedResponse> loadYahooFixture(const std::filesystem::path& file);

// All fixture files (*.json, *.txt, *.yaml) except documentation, sorted by name.
std::vector<std::filesystem::path> listYahooFixtures();

}  // namespace rawfeed::testing
