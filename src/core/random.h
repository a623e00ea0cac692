#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace rawfeed::core {

// Randomness is injected (backoff jitter, ids) so tests can pin it. Thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [0, 1).
  virtual double uniform01() = 0;
  virtual std::uint64_t next64() = 0;
};

class SystemRandom final : public Random {
 public:
  SystemRandom();
  double uniform01() override;
  std::uint64_t next64() override;

 private:
  std::mutex mutex_;  // guards engine_
  std::mt19937_64 engine_;
};

// An RFC 4122 version 4 UUID in lower-case hex, e.g. "1b4e28ba-2fa1-4d2b-883f-0016d3cca427".
std::string newUuid(Random& random);

}  // namespace rawfeed::core
