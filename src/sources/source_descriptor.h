#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "http/http_client.h"
#include "sources/source.h"

namespace rawfeed::sources {

// The domain's [source] table as a source reads it (the app copies it from config, so sources
// never depend on config). A key a source has no use for is ignored by it.
struct SourceSettings {
  std::string base_url;
  std::string user_agent;
  std::chrono::milliseconds timeout{20000};
  int max_retries = 2;  // re-sends after the first attempt, for throttled/transient answers
  // The HttpClient paces and pauses each host (http/governor): a 429 is re-sent and waits there;
  // an attempt gives up when the host is paused beyond throttle_wait.
  bool governed = false;
  std::chrono::milliseconds throttle_wait{120000};
  // Yahoo's cookie + crumb session (session = auto | always | never).
  std::string session = "auto";
  std::string cookie_url;
  std::string crumb_url;
};

// What a source is created over; all must outlive it.
struct SourceContext {
  http::HttpClient& http;
  const core::Clock& clock;
  core::Random& random;
  SourceSettings settings;
};

// Everything rawfeed knows about one source before fetching: its name, what it serves, how far
// its history reaches, how it writes a symbol, and how to make its Source.
// Callers reach it through the registry (sources/source_registry.h) by the domain's data_source,
// never by a source's own namespace. Stateless and thread-safe.
class SourceDescriptor {
 public:
  virtual ~SourceDescriptor() = default;

  // The domain's `data_source` that selects it ("yahoo_finance"); also the lake's data_source=.
  virtual std::string_view name() const = 0;
  // The bar intervals it serves (a subset of config's known intervals).
  virtual std::vector<std::string_view> intervals() const = 0;
  bool supportsInterval(std::string_view interval) const;
  // A backfill (inclusive days) as the windows one request may ask for, oldest first.
  // kInvalidInput naming the limit when `interval`'s history does not reach back to the start,
  // or when start/end are not dates or end is before start.
  virtual core::Result<std::vector<DateWindow>> splitBackfill(std::string_view interval,
                                                              const DateWindow& backfill,
                                                              core::SystemTime now) const = 0;
  // One symbol as a universe wrote it, in this source's notation (trimmed, upper-cased, mapped);
  // kInvalidInput with the reason when it cannot be one. Idempotent.
  virtual core::Result<std::string> normalizeSymbol(std::string_view raw) const = 0;
  virtual std::unique_ptr<Source> create(const SourceContext& context) const = 0;
};

}  // namespace rawfeed::sources
