#include "store/fleet/lake_fleet_store.h"

namespace rawfeed::store::fleet {

std::string LakeFleetStore::keyFor(const std::string& host) {
  return "_rawfeed/governor/" + http::governor::hostFileName(host) + ".json";
}

std::string LakeFleetStore::location() const {
  return lake_.location() + "/_rawfeed/governor/";
}

core::Result<http::governor::HostRecord> LakeFleetStore::read(const std::string& host) {
  auto text = lake_.get(keyFor(host));
  if (text.ok())
    return http::governor::decodeHostRecord(*text);
  if (text.error().code == core::ErrorCode::kNotFound)
    return http::governor::HostRecord{};
  return text.error();
}

core::Result<http::governor::HostRecord> LakeFleetStore::update(
    const std::string& host, const std::function<void(http::governor::HostRecord&)>& change) {
  std::lock_guard lock(mutex_);
  const std::string key = keyFor(host);
  http::governor::HostRecord record;
  auto text = lake_.get(key);
  if (text.ok()) {
    record = http::governor::decodeHostRecord(*text);
  } else if (text.error().code != core::ErrorCode::kNotFound) {
    return text.error();
  }
  change(record);
  PutOptions options;
  options.mode = PutMode::kOverwrite;
  options.content_type = "application/json";
  auto put = lake_.put(key, http::governor::encodeHostRecord(record), options);
  if (!put.ok())
    return put.error();
  return record;
}

}  // namespace rawfeed::store::fleet
