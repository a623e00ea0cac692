#include "lambda/orchestrator_handler.h"

namespace rawfeed::lambda {

core::Result<std::string> OrchestratorHandler::handle(const Invocation& invocation) {
  auto trigger = pipeline::parseTriggerEvent(invocation.payload);
  if (!trigger.ok()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "not a trigger event: " + trigger.error().message);
  }
  if (!trigger->trigger_type)
    trigger->trigger_type = "schedule";
  return start_(*trigger);
}

}  // namespace rawfeed::lambda
