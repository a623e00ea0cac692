#include "sources/csv_http/csv_http_descriptor.h"

#include <algorithm>
#include <utility>

#include "core/time_format.h"
#include "sources/csv_http/csv_http_source.h"

namespace rawfeed::sources::csv_http {
namespace {

constexpr std::int64_t kMaxDaysPerRequest = 3660;

core::Error invalid(std::string message) {
  return core::makeError(core::ErrorCode::kInvalidInput, std::move(message));
}

bool symbolChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '^' ||
         c == '=' || c == '_';
}

class CsvHttpDescriptor final : public SourceDescriptor {
 public:
  std::string_view name() const override { return "csv_http"; }

  std::vector<std::string_view> intervals() const override { return {"1d"}; }

  core::Result<std::vector<DateWindow>> splitBackfill(std::string_view interval,
                                                      const DateWindow& backfill,
                                                      core::SystemTime) const override {
    if (interval != "1d")
      return invalid("csv_http serves interval 1d only, not " + std::string(interval));
    const auto first = core::parseDate(backfill.start);
    const auto last = core::parseDate(backfill.end);
    if (!first || !last)
      return invalid("backfill " + backfill.start + " .. " + backfill.end + " is not two dates");
    if (*last < *first)
      return invalid("backfill end " + backfill.end + " is before start " + backfill.start);
    std::vector<DateWindow> windows;
    for (std::int64_t day = *first; day <= *last; day += kMaxDaysPerRequest) {
      const std::int64_t end = std::min(*last, day + kMaxDaysPerRequest - 1);
      windows.push_back({core::formatDate(day), core::formatDate(end)});
    }
    return windows;
  }

  core::Result<std::string> normalizeSymbol(std::string_view raw) const override {
    const auto begin = raw.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos)
      return invalid("empty symbol");
    raw = raw.substr(begin, raw.find_last_not_of(" \t\r\n") - begin + 1);
    std::string symbol;
    for (const char c : raw)
      symbol += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (symbol.size() > 20)
      return invalid("longer than 20 characters (" + std::to_string(symbol.size()) + ")");
    for (const char c : symbol) {
      if (!symbolChar(c)) {
        return invalid(std::string("character '") + c +
                       "' is not allowed (only A-Z 0-9 . - ^ = _)");
      }
    }
    return symbol;
  }

  std::unique_ptr<Source> create(const SourceContext& context) const override {
    return std::make_unique<CsvHttpSource>(context.http, context.clock, context.random,
                                           context.settings);
  }
};

}  // namespace

const SourceDescriptor& csvHttpDescriptor() {
  static const CsvHttpDescriptor descriptor;
  return descriptor;
}

}  // namespace rawfeed::sources::csv_http
