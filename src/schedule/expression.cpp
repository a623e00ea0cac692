#include "schedule/expression.h"

#include <fmt/format.h>

#include <string>

#include "core/ascii.h"
#include "schedule/cron_parser.h"
#include "schedule/rate_parser.h"

namespace rawfeed::schedule {
namespace {

// The inside of "<name>(...)", or nullopt when the text is not in that form.
std::optional<std::string_view> inside(std::string_view text, std::string_view name) {
  if (text.size() < name.size() + 2 || text.substr(0, name.size()) != name ||
      text[name.size()] != '(' || text.back() != ')') {
    return std::nullopt;
  }
  return text.substr(name.size() + 1, text.size() - name.size() - 2);
}

template <class T>
core::Result<ExpressionSpec> prefixed(std::string_view expression, core::Result<T> parsed) {
  if (!parsed) {
    return core::makeError(parsed.error().code,
                           fmt::format("{}: {}", expression, parsed.error().message));
  }
  if constexpr (std::is_same_v<T, std::chrono::seconds>) {
    return ExpressionSpec(RateSpec{*parsed});
  } else {
    return ExpressionSpec(std::move(parsed).value());
  }
}

}  // namespace

core::Result<ExpressionSpec> parseExpression(std::string_view expression) {
  const std::string_view text = core::trimAscii(expression);
  if (const auto fields = inside(text, "cron")) {
    return prefixed(text, parseAwsCron(*fields));
  }
  if (const auto fields = inside(text, "rate")) {
    return prefixed(text, parseRate(*fields));
  }
  if (text.empty() || text.find('(') != std::string_view::npos) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           fmt::format("'{}': expected cron(...), rate(...) or a five-field cron "
                                       "line (minute hour day-of-month month day-of-week)",
                                       text));
  }
  return prefixed(text, parseUnixCron(text));
}

}  // namespace rawfeed::schedule
