#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "aws/api_operations.h"
#include "deploy/handler_operations.h"
#include "deploy/stack_plan.h"

namespace rawfeed::deploy {

// The IAM policy documents of the stack's roles (CloudFormation JSON, references included).

// The handler's role: one statement per resource of the registry's uses (aws/api_operations),
// with exactly the actions used on it, on exactly this domain's resource. A "*" resource only
// for the allow-listed actions (wildcardAllowList()).
nlohmann::ordered_json handlerPolicyDocument(const StackPlan& plan, Handler handler);

// The scheduler's role: lambda:InvokeFunction on the orchestrator, sqs:SendMessage on the
// schedule's DLQ (the scheduler dead-letters with its execution role).
nlohmann::ordered_json schedulerPolicyDocument(const char* function_id, const char* dlq_id);

// EventBridge's role for a Step Functions or event bus target: its one action on that ARN.
nlohmann::ordered_json transformTargetPolicyDocument(const std::string& target_arn);

}  // namespace rawfeed::deploy
