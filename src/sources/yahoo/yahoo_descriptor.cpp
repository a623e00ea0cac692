#include "sources/yahoo/yahoo_descriptor.h"

#include <utility>

#include "sources/yahoo/history_limits.h"
#include "sources/yahoo/yahoo_source.h"
#include "universe/symbol.h"

namespace rawfeed::sources::yahoo {
namespace {

class YahooFinanceDescriptor final : public SourceDescriptor {
 public:
  std::string_view name() const override { return "yahoo_finance"; }

  std::vector<std::string_view> intervals() const override {
    return {"1m", "2m", "5m", "15m", "30m", "60m", "90m", "1h", "1d", "5d", "1wk", "1mo", "3mo"};
  }

  core::Result<std::vector<DateWindow>> splitBackfill(std::string_view interval,
                                                      const DateWindow& backfill,
                                                      core::SystemTime now) const override {
    return yahoo::splitBackfill(interval, backfill.start, backfill.end, now);
  }

  core::Result<std::string> normalizeSymbol(std::string_view raw) const override {
    return universe::normalizeSymbol(raw);
  }

  std::unique_ptr<Source> create(const SourceContext& context) const override {
    const SourceSettings& settings = context.settings;
    YahooSourceOptions options;
    options.base_url = settings.base_url;
    options.user_agent = settings.user_agent;
    options.timeout = settings.timeout;
    options.max_retries = settings.max_retries;
    options.governed = settings.governed;
    options.throttle_wait = settings.throttle_wait;
    options.session = parseSessionMode(settings.session).value_or(SessionMode::kAuto);
    if (!settings.cookie_url.empty())
      options.cookie_url = settings.cookie_url;
    if (!settings.crumb_url.empty())
      options.crumb_url = settings.crumb_url;
    options.decode_on_own_thread = true;
    return std::make_unique<YahooSource>(context.http, context.clock, context.random,
                                         std::move(options));
  }
};

}  // namespace

const SourceDescriptor& yahooFinanceDescriptor() {
  static const YahooFinanceDescriptor descriptor;
  return descriptor;
}

}  // namespace rawfeed::sources::yahoo
