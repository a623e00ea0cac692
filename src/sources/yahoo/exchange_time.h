#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rawfeed::sources::yahoo {

// Local calendar arithmetic in an exchange's time zone: the IANA zone when the tz database
// knows it (correct across DST), else a fixed UTC offset (Yahoo's gmtoffset, which is the
// offset at recording time, not at bar time), else UTC. Days count from 1970-01-01.
class ExchangeTime {
 public:
  // Never fails; fallback() says which substitute was used, empty when the zone was found.
  static ExchangeTime forExchange(std::string_view zone_name,
                                  std::optional<std::int64_t> gmtoffset);

  std::int64_t localDay(std::int64_t unix_seconds) const;
  std::int64_t localSecondsOfDay(std::int64_t unix_seconds) const;
  // The UTC instant of 00:00 local on that day (the earliest one if midnight is repeated, the
  // transition if it is skipped).
  std::int64_t startOfLocalDay(std::int64_t day) const;
  const std::string& fallback() const { return fallback_; }

 private:
  struct Zone;
  std::int64_t toLocal(std::int64_t unix_seconds) const;

  std::shared_ptr<const Zone> zone_;  // null: fixed offset
  std::int64_t offset_seconds_ = 0;
  std::string fallback_;
};

}  // namespace rawfeed::sources::yahoo
