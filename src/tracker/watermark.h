#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::tracker {

// How far one symbol of one table is known to have landed: what an incremental fetch starts
// after, and whether it needs to ask at all. Reported by the worker for every symbol the source
// answered (bars or none) and merged into the domain's watermarks when the batch completes.
struct SymbolWatermark {
  std::string symbol;
  // The latest partition day with bars in the lake (closed sessions only: the source adapter
  // never hands on a bar that is still forming); empty while it has none.
  std::string last_day;
  // Unix seconds of the latest answer that covered the present (a period up to now, or a window
  // reaching today): every session that had closed by then is in the lake or had no bars. 0 when
  // no such answer is known (a backfill of the past proves nothing about today).
  std::int64_t checked_at = 0;
  std::string time_zone;          // the exchange's IANA zone from that answer; empty: UTC
  int session_close_minute = -1;  // its regular session's close, local minutes; -1 unknown
  bool weekends = false;          // it has had bars on a Saturday or a Sunday (crypto)

  bool operator==(const SymbolWatermark&) const = default;
};

// `base` moved forward by `update`: the later day, the later check (and that check's exchange
// facts), weekends once seen. Commutative for the days and checks, so merging the same reports
// in any order, or twice, gives the same watermark.
SymbolWatermark mergeWatermark(const SymbolWatermark& base, const SymbolWatermark& update);

// The JSON object of one watermark (fixed key order), and back: kInvalidInput naming the field.
std::string watermarkJson(const SymbolWatermark& watermark);
core::Result<SymbolWatermark> parseWatermarkJson(std::string_view text);

// Whose watermarks: one table of one domain at one interval from one source (the raw key's
// fixed segments).
struct WatermarkScope {
  std::string domain;
  std::string table_name;
  std::string interval;
  std::string data_source;
};

// Where a domain's watermarks are kept: the state directory on one machine, the lake when hosts
// share it. Merging is idempotent (mergeWatermark), so a finalizer that runs twice does no harm;
// two merges of one scope at the same instant may lose one's update, which costs the symbols it
// named one request more on the next incremental run and loses no data.
class WatermarkStore {
 public:
  virtual ~WatermarkStore() = default;
  // Sorted by symbol; empty when nothing was kept yet.
  virtual core::Result<std::vector<SymbolWatermark>> load(const WatermarkScope& scope) = 0;
  virtual core::Status merge(const WatermarkScope& scope,
                             std::span<const SymbolWatermark> updates) = 0;
  // The same for more updates than a caller wants to hold (a batch of 100,000 symbols): `feed`
  // hands each update to its argument, in symbol order (several of one symbol in a row are
  // merged), once.
  using UpdateSink = std::function<core::Status(const SymbolWatermark&)>;
  using UpdateFeed = std::function<core::Status(const UpdateSink&)>;
  virtual core::Status mergeOrdered(const WatermarkScope& scope, const UpdateFeed& feed) = 0;
  // Where the watermarks live, for people ("lake:_rawfeed/watermarks/...").
  virtual std::string location(const WatermarkScope& scope) const = 0;
};

}  // namespace rawfeed::tracker
