#pragma once

#include <string>
#include <vector>

#include "aws/api_operations.h"
#include "config/config.h"
#include "core/result.h"

namespace rawfeed::deploy {

// Everything a domain's stack is made of, resolved and checked from its configuration: names,
// the lake's bucket and prefix, the scheduler's expression, the handlers' compositions. Pure
// data; the template is a function of it alone, so the same config gives the same bytes.
struct StackPlan {
  std::string domain;
  std::string environment;
  config::AwsDeploySettings aws;

  std::string name_prefix;  // "rawfeed-<domain>" unless configured
  std::string orchestrator_function;
  std::string worker_function;
  std::string queue_name;
  std::string dlq_name;
  std::string schedule_name;
  std::string schedule_dlq_name;

  std::string bucket;
  std::string prefix;  // without a trailing '/'; empty: the whole bucket is the lake
  std::string lake_uri;

  std::string schedule_expression;  // empty: no schedule
  std::string schedule_timezone;

  int worker_timeout_seconds = 0;
  int visibility_timeout_seconds = 0;
  int message_retention_seconds = 0;
  int dlq_retention_seconds = 0;
  int max_receives = 0;
  int batch_size = 0;
  std::optional<int> maximum_concurrency;

  std::string events_uri;  // RAWFEED_EVENTS: "eventbridge://BUS"
  std::string event_bus;   // BUS

  std::string config_bucket;  // when the functions read their config from S3
  std::string config_key;

  config::AlarmsConfig alarms;

  aws::HandlerSetup orchestrator;
  aws::HandlerSetup worker;

  bool vpc() const { return !aws.vpc_id.empty(); }
};

// kInvalidInput listing every problem, one per line, each naming the setting: the lake is not on
// S3, a schedule EventBridge cannot express, a completion rule without a target, a VPC without
// an S3 endpoint, names over AWS's limits.
core::Result<StackPlan> planStack(const config::DomainConfig& domain,
                                  const std::string& environment);

}  // namespace rawfeed::deploy
