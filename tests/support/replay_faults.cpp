#include "support/replay_faults.h"

namespace rawfeed::testing {

std::optional<FaultKind> parseFaultKind(std::string_view text) {
  if (text == "429") {
    return FaultKind::k429;
  }
  if (text == "500") {
    return FaultKind::k500;
  }
  if (text == "503") {
    return FaultKind::k503;
  }
  if (text == "reset") {
    return FaultKind::kReset;
  }
  if (text == "hang") {
    return FaultKind::kHang;
  }
  return std::nullopt;
}

std::string_view faultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::k429:
      return "429";
    case FaultKind::k500:
      return "500";
    case FaultKind::k503:
      return "503";
    case FaultKind::kReset:
      return "reset";
    case FaultKind::kHang:
      return "hang";
  }
  return "?";
}

FaultPlan::FaultPlan(ReplayFaults faults) : faults_(std::move(faults)), engine_(faults_.seed) {}

std::optional<FaultKind> FaultPlan::decide(const std::string& symbol) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (faults_.fail_first > 0 && seen_[symbol]++ < faults_.fail_first) {
    return faults_.fail_first_kind;
  }
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (const auto& [kind, probability] : faults_.rates) {
    if (uniform(engine_) < probability) {
      return kind;
    }
  }
  return std::nullopt;
}

}  // namespace rawfeed::testing
