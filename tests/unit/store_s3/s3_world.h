#pragma once

#include <memory>

#include "store/s3/s3_object_store.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/fixed_random.h"
#include "support/fakes/recording_logger.h"
#include "support/fakes/static_credentials.h"
#include "unit/store_s3/s3_fakes.h"

namespace rawfeed::store::s3::testing {

// Everything an S3ObjectStore needs, faked: the bucket "lake" at a path-style endpoint.
struct FakeWorld {
  static S3Options options() {
    S3Options options;
    options.bucket = "lake";
    options.prefix = "raw";
    options.region = "us-east-1";
    options.endpoint = "http://s3.test:9000";
    return options;
  }
  std::unique_ptr<S3ObjectStore> make(S3Options options = FakeWorld::options()) {
    auto store = S3ObjectStore::create(std::move(options), s3, credentials, clock, random, &logger);
    if (!store) {
      ADD_FAILURE() << store.error().describe();
      return nullptr;
    }
    return std::move(store).value();
  }

  FakeS3 s3;
  fakes::StaticCredentials credentials;
  fakes::FakeClock clock;
  fakes::FixedRandom random;
  fakes::RecordingLogger logger;
};

}  // namespace rawfeed::store::s3::testing
