#include "schedule/fire.h"

#include <fmt/format.h>

#include <chrono>

namespace rawfeed::schedule {

std::string fireBatchId(std::string_view name, core::SystemTime scheduled) {
  using namespace std::chrono;
  const sys_time<minutes> minute = floor<minutes>(scheduled);
  const sys_days day = floor<days>(minute);
  const year_month_day ymd(day);
  const hh_mm_ss<minutes> time(minute - day);
  return fmt::format("sched-{}-{:04}{:02}{:02}T{:02}{:02}Z", name, static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     time.hours().count(), time.minutes().count());
}

}  // namespace rawfeed::schedule
