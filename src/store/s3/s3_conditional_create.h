#pragma once

#include <functional>
#include <mutex>
#include <optional>

#include "core/result.h"
#include "store/s3/s3_options.h"

namespace rawfeed::store::s3 {

// How a create-only put is made.
enum class CreateMethod {
  kIfNoneMatch,  // one PUT with If-None-Match: *; 412 means the key was taken (AWS, moto)
  kHeadThenPut,  // HEAD, then PUT when absent: two requests, and racing writers may both write
};

const char* createMethodName(CreateMethod method);

// The probe: two create-only PUTs of one fresh key. A server that honours If-None-Match answers
// the second with 412; one that ignores it (fauxqs, s3rver) answers 200, having overwritten;
// one that refuses the header (400/501) cannot do conditional creates either. Anything else
// (credentials, a missing bucket, a throttle, a network failure) decides nothing and is returned
// as the error, so the next create-only put probes again.
core::Result<CreateMethod> decideFromProbe(const core::Status& first_put,
                                           const core::Status& second_put);

// The store's choice, made once: fixed by the config (always / never), or probed on first use
// (auto) and then kept for the life of the store. Thread-safe: concurrent first users wait for
// one probe.
class ConditionalCreatePolicy {
 public:
  using Probe = std::function<core::Result<CreateMethod>()>;

  explicit ConditionalCreatePolicy(ConditionalCreate mode);

  // The method to use, running `probe` first when still undecided.
  core::Result<CreateMethod> method(const Probe& probe);
  std::optional<CreateMethod> decided() const;

 private:
  mutable std::mutex mutex_;  // guards decided_ and serialises probes
  std::optional<CreateMethod> decided_;
};

}  // namespace rawfeed::store::s3
