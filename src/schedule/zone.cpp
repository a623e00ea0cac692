#include "schedule/zone.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <stdexcept>

namespace rawfeed::schedule {

struct Zone::Impl {
  std::string name;
  const date::time_zone* zone = nullptr;  // owned by the process-wide tz database
};

core::Result<Zone> Zone::locate(std::string_view name) {
  if (name.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "time zone is empty; name an IANA zone such as UTC or Asia/Seoul");
  }
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return Zone(std::make_shared<const Impl>(Impl{std::string(name), zone}));
  } catch (const std::exception&) {
    // date reports an unknown zone (and an unreadable database) by throwing; we return values.
    return core::makeError(core::ErrorCode::kInvalidInput,
                           fmt::format("unknown time zone '{}'", name));
  }
}

WallMinutes Zone::wallMinute(core::SystemTime t) const {
  const auto local = impl_->zone->to_local(date::floor<std::chrono::seconds>(t));
  return date::floor<std::chrono::minutes>(local).time_since_epoch();
}

std::optional<core::SystemTime> Zone::firstInstant(WallMinutes wall) const {
  const date::local_seconds local{wall};
  const date::local_info info = impl_->zone->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    return std::nullopt;
  }
  // For an ambiguous time `first` is the offset before the fall-back, i.e. the earlier instant.
  return date::sys_seconds{local.time_since_epoch() - info.first.offset};
}

std::string Zone::localDate(core::SystemTime t) const {
  const auto local = impl_->zone->to_local(date::floor<std::chrono::seconds>(t));
  const date::year_month_day ymd{date::floor<date::days>(local)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

const std::string& Zone::name() const {
  return impl_->name;
}

}  // namespace rawfeed::schedule
