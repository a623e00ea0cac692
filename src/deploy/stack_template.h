#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "deploy/stack_plan.h"

namespace rawfeed::deploy {

// The domain's CloudFormation template (JSON, two-space indented, keys in a fixed order): the
// same plan gives the same bytes. What it holds is listed in README "Deploying on AWS".
std::string stackTemplateJson(const StackPlan& plan);

// planStack + stackTemplateJson + a check that every Ref, GetAtt, Sub and DependsOn resolves.
// kInvalidInput naming every configuration problem; kInternal for a template that references
// something it lacks (a generator bug, never written out). The plan's notes go to `notes`.
core::Result<std::string> renderStack(const config::DomainConfig& domain,
                                      const std::string& environment,
                                      std::vector<std::string>* notes = nullptr);

}  // namespace rawfeed::deploy
