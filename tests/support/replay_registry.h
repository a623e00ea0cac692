#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
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

// A chart request's window as Yahoo reads `period1`/`period2` (unix seconds): the bars stamped in
// [period1, period2). A missing bound is open (Yahoo reads a missing period2 as "now").
struct ReplayWindow {
  std::optional<std::int64_t> period1;
  std::optional<std::int64_t> period2;

  bool bounded() const { return period1.has_value() || period2.has_value(); }
};

// A parsed template, shared by lookups (defined in the .cpp).
struct ReplayTemplate;

// symbol → response, else the template with the symbol substituted, else Yahoo's 404.
// Thread-safe: tests may add responses while the server runs.
class ReplayRegistry {
 public:
  void put(std::string symbol, ReplayResponse response);
  // `body` must contain `"symbol":"..."`; each such value is replaced by the requested symbol.
  // A chart body (`chart.result[0]` with a sorted `timestamp` array) is parsed here, once, so
  // that a windowed lookup can answer with only the window's bars.
  void setTemplate(std::string body);

  // Every `{SYMBOL}.json` in `dir`: a plain body is served with status 200, a fixture wrapper
  // (tests/support/yahoo_fixtures.h) with its recorded status and headers. Returns how many
  // were loaded; throws std::runtime_error naming the file on unreadable input.
  std::size_t loadDirectory(const std::filesystem::path& dir);
  void loadTemplate(const std::filesystem::path& file);

  ReplayResponse lookup(const std::string& symbol) const;
  // A registered response is the same whatever the window. The template, when the window is
  // bounded and the template is a chart body, answers as Yahoo answers a window: `timestamp` and
  // every per-bar array under `indicators` (quote[].open/high/low/close/volume,
  // adjclose[].adjclose, any other of the same length) cut to the bars in the window, events
  // outside those bars dropped, `meta.range` "" — and, with no bar in the window, Yahoo's no-data
  // shape (no `timestamp`, `quote:[{}]`, `adjclose:[{}]`). Other templates are served whole.
  ReplayResponse lookup(const std::string& symbol, const ReplayWindow& window) const;

 private:
  mutable std::mutex mutex_;  // guards responses_ and template_ (the pointer, not its cache)
  std::unordered_map<std::string, ReplayResponse> responses_;
  std::shared_ptr<const ReplayTemplate> template_;
};

// A csv_http answer: 200, text/csv, `body` as given.
ReplayResponse csvResponse(std::string body);
// Yahoo's exact body and headers for a symbol it does not know.
ReplayResponse notFoundResponse();
// The success headers Yahoo sends with a chart body.
std::vector<std::pair<std::string, std::string>> chartHeaders();
// `body` with every `"symbol":"<old>"` value replaced by `symbol` (JSON-escaped).
std::string substituteSymbol(std::string_view body, std::string_view symbol);
// `period1` and `period2` of a chart request's query values (empty: absent); a value that is not
// a whole number of seconds is ignored.
ReplayWindow parseReplayWindow(std::string_view period1, std::string_view period2);

}  // namespace rawfeed::testing
