#include "schedule/logical_date.h"

#include "schedule/zone.h"

namespace rawfeed::schedule {

core::Result<std::string> logicalDate(core::SystemTime fire, std::string_view time_zone) {
  auto zone = Zone::locate(time_zone);
  if (!zone) {
    return zone.error();
  }
  return zone->localDate(fire);
}

}  // namespace rawfeed::schedule
