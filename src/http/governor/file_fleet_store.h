#pragma once

#include <filesystem>
#include <string>

#include "http/governor/fleet_store.h"

namespace rawfeed::http::governor {

// The fleet of one machine: {dir}/{host}.json, read-modify-written under an exclusive lock on
// {dir}/{host}.lock, so every `rawfeed work` process sharing the state directory sees the same
// record and none loses another's update; replaced by rename, so a crash leaves the old or the
// new record, never half of one.
class FileFleetStore final : public FleetStore {
 public:
  explicit FileFleetStore(std::filesystem::path dir);
  core::Result<HostRecord> update(const std::string& host,
                                  const std::function<void(HostRecord&)>& change) override;
  core::Result<HostRecord> read(const std::string& host) override;
  std::string location() const override { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace rawfeed::http::governor
