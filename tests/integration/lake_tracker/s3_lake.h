#pragma once

#include <memory>
#include <string>

#include "integration/s3/test_servers.h"

namespace rawfeed::integration {

// moto starts without buckets; the other servers are given the test bucket at start. Empty
// when the bucket is there, else why not.
std::string prepareBucket(const TestServers& servers, const S3Server& server);

}  // namespace rawfeed::integration
