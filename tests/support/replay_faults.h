#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

// Test support: which requests the replay server spoils, and how.
namespace rawfeed::testing {

enum class FaultKind {
  k429,  // Yahoo's rate-limit page: `Too Many Requests\r\n`, text/html
  k500,
  k503,
  kReset,  // the connection is closed without a response
  kHang,   // no response for ReplayFaults::hang, longer than any sane client timeout
};

// "429", "500", "503", "reset", "hang".
std::optional<FaultKind> parseFaultKind(std::string_view text);
std::string_view faultKindName(FaultKind kind);

struct ReplayFaults {
  std::chrono::milliseconds latency{0};  // added to every request, concurrently
  std::chrono::milliseconds hang{std::chrono::seconds(30)};
  int fail_first = 0;  // the first N requests of each symbol fail with fail_first_kind
  FaultKind fail_first_kind = FaultKind::k429;
  std::vector<std::pair<FaultKind, double>> rates;  // each request: kind with probability p
  std::uint64_t seed = 1;
  std::optional<int> retry_after_seconds;  // sent on 429s when set (Yahoo sends none)
};

// Decides per request. Deterministic for a given seed and order of requests. Thread-safe.
class FaultPlan {
 public:
  explicit FaultPlan(ReplayFaults faults = {});
  const ReplayFaults& faults() const { return faults_; }
  std::optional<FaultKind> decide(const std::string& symbol);

 private:
  const ReplayFaults faults_;
  std::mutex mutex_;  // guards seen_ and engine_
  std::unordered_map<std::string, int> seen_;
  std::mt19937_64 engine_;
};

}  // namespace rawfeed::testing
