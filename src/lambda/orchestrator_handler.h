#pragma once

#include <functional>
#include <string>

#include "lambda/runtime_loop.h"
#include "pipeline/batch_request.h"

namespace rawfeed::lambda {

// Registers and sends one batch; its summary document (published, chunks, batch_id, ...).
using StartBatch = std::function<core::Result<std::string>(const pipeline::TriggerEvent&)>;

// The orchestrator function: the event is a trigger (contracts §1) as EventBridge Scheduler's
// Input, or an EventBridge event whose detail is one; the response is the orchestration summary.
// An event that is neither is an invocation error (kInvalidInput naming the field and the rule)
// and nothing is enqueued. A trigger without trigger_type is "schedule".
class OrchestratorHandler final : public Handler {
 public:
  explicit OrchestratorHandler(StartBatch start) : start_(std::move(start)) {}
  core::Result<std::string> handle(const Invocation& invocation) override;

 private:
  StartBatch start_;
};

}  // namespace rawfeed::lambda
