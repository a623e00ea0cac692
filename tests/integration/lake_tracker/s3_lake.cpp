#include "integration/lake_tracker/s3_lake.h"

namespace rawfeed::integration {

std::string prepareBucket(const TestServers& servers, const S3Server& server) {
  if (&server != &servers.moto)
    return {};
  static const core::Status created = ensureBucket(servers.moto, servers.region, servers.bucket);
  return created.ok() ? std::string()
                      : "creating the bucket on moto: " + created.error().describe();
}

}  // namespace rawfeed::integration
