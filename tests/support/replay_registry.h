#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

// Test support: what the replay server answers for each symbol. Tests, the offline demo and the
// benchmark only; never linked into the product.
namespace rawfeed::testing {

struct ReplayResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-cased names
  std::string body;                                          // identity-encoded
};

// symbol → response, else the template with the symbol substituted, else Yahoo's 404.
// Thread-safe: tests may add responses while the server runs.
class ReplayRegistry {
 public:
  void put(std::string symbol, ReplayResponse response);
  // `body` must contain `"symbol":"..."`; each such value is replaced by the requested symbol.
  void setTemplate(std::string body);

  // Every `{SYMBOL}.json` in `dir`: a plain body is served with status 200, a fixture wrapper
  // (tests/support/yahoo_fixtures.h) with its recorded status and headers. Returns how many
  // were loaded; throws std::runtime_error naming the file on unreadable input.
  std::size_t loadDirectory(const std::filesystem::path& dir);
  void loadTemplate(const std::filesystem::path& file);

  ReplayResponse lookup(const std::string& symbol) const;

 private:
  mutable std::mutex mutex_;  // guards responses_ and template_
  std::unordered_map<std::string, ReplayResponse> responses_;
  std::optional<std::string> template_;
};

// A csv_http answer: 200, text/csv, `body` as given.
ReplayResponse csvResponse(std::string body);
// Yahoo's exact body and headers for a symbol it does not know.
ReplayResponse notFoundResponse();
// The success headers Yahoo sends with a chart body.
std::vector<std::pair<std::string, std::string>> chartHeaders();
// `body` with every `"symbol":"<old>"` value replaced by `symbol` (JSON-escaped).
std::string substituteSymbol(std::string_view body, std::string_view symbol);

}  // namespace rawfeed::testing
