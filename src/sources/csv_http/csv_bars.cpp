#include "sources/csv_http/csv_bars.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "core/time_format.h"
#include "sources/number_text.h"
#include "sources/source.h"

namespace rawfeed::sources::csv_http {
namespace {

constexpr std::size_t kFields = 7;

// The next line of `rest` without its line ending; `rest` moves past it.
std::string_view nextLine(std::string_view& rest) {
  const std::size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

// The cells of a line; more than kFields are reported as kFields + 1.
std::vector<std::string_view> cells(std::string_view line) {
  std::vector<std::string_view> out;
  while (out.size() <= kFields) {
    const std::size_t comma = line.find(',');
    out.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos)
      break;
    line.remove_prefix(comma + 1);
  }
  return out;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// Why the values of a bar are not valid; nullopt when they are.
std::optional<std::string_view> valueProblem(const std::vector<std::string_view>& fields) {
  for (std::size_t i = 1; i < kFields; ++i) {
    if (fields[i].empty())
      continue;
    const auto problem = i + 1 == kFields ? volumeProblem(fields[i]) : priceProblem(fields[i]);
    if (problem)
      return problem;
  }
  return std::nullopt;
}

std::optional<std::string> cell(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  return std::string(text);
}

}  // namespace

core::Result<CsvBars> parseCsvBars(std::string_view body, const DayRange& window,
                                   std::int64_t today) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (body.substr(0, kBom.size()) == kBom)
    body.remove_prefix(kBom.size());
  std::string_view rest = body;
  std::string_view header;
  while (!rest.empty() && blank(header))
    header = nextLine(rest);
  if (header != kHeader) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "first line is not the header " + std::string(kHeader) + " but '" +
                               std::string(header.substr(0, 80)) + "'");
  }
  CsvBars out;
  std::set<std::int64_t> seen;
  std::map<std::int64_t, core::Record> kept;
  const auto invalid = [&out](std::string_view reason) { ++out.invalid_bars[std::string(reason)]; };
  while (!rest.empty()) {
    const std::string_view line = nextLine(rest);
    if (blank(line))
      continue;
    ++out.bars;
    const auto fields = cells(line);
    const auto day = fields.size() == kFields ? core::parseDate(fields[0]) : std::nullopt;
    if (!day) {
      invalid(invalid_bar::kMalformedLine);
      continue;
    }
    if (!core::isValidDay(*day)) {
      invalid(invalid_bar::kDateOutOfRange);
      continue;
    }
    if (*day < window.first || *day > window.last) {
      invalid(invalid_bar::kOutsideWindow);
      continue;
    }
    if (!seen.insert(*day).second) {
      invalid(invalid_bar::kDuplicateDate);
      continue;
    }
    if (std::all_of(fields.begin() + 1, fields.end(), [](auto f) { return f.empty(); })) {
      ++out.dropped_null_bars;
      continue;
    }
    if (const auto problem = valueProblem(fields)) {
      invalid(*problem);
      continue;
    }
    if (*day >= today) {
      ++out.dropped_open_bars;
      continue;
    }
    kept[*day] = core::Record{*day * 86400,    cell(fields[1]), cell(fields[2]), cell(fields[3]),
                              cell(fields[4]), cell(fields[5]), cell(fields[6])};
  }
  for (auto& [day, record] : kept)
    out.days.push_back({core::formatDate(day), {std::move(record)}});
  return out;
}

}  // namespace rawfeed::sources::csv_http
