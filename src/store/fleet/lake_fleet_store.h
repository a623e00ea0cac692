#pragma once

#include <mutex>
#include <string>

#include "http/governor/fleet_store.h"
#include "store/object_store.h"

namespace rawfeed::store::fleet {

// The fleet of many hosts and Lambda invocations sharing one lake: each source host's record is
// the object `_rawfeed/governor/{host}.json`, read and overwritten whole. Object stores offer no
// compare-and-swap here, so two members syncing at the same instant may lose one's update; the
// merge tolerates it (every member re-reports its rate, a pause and a ceiling at its next sync),
// and within this process updates are serialised.
class LakeFleetStore final : public http::governor::FleetStore {
 public:
  explicit LakeFleetStore(ObjectStore& lake) : lake_(lake) {}
  core::Result<http::governor::HostRecord> update(
      const std::string& host,
      const std::function<void(http::governor::HostRecord&)>& change) override;
  core::Result<http::governor::HostRecord> read(const std::string& host) override;
  std::string location() const override;

  static std::string keyFor(const std::string& host);

 private:
  ObjectStore& lake_;
  std::mutex mutex_;
};

}  // namespace rawfeed::store::fleet
