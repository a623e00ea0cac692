#pragma once

#include <string>
#include <vector>

#include "aws/api_operations.h"
#include "config/config.h"
#include "core/result.h"
#include "deploy/glue_catalog.h"
#include "deploy/handler_operations.h"

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

  // The worker's completion-event sink, from the domain's `events` (RAWFEED_EVENTS); a "jsonl"
  // domain publishes to eventbridge://<aws.event_bus or default> instead, with a note.
  config::EventsSettings events;
  std::string events_uri;  // RAWFEED_EVENTS
  std::string event_bus;   // EventBridge: the bus's name or ARN (the completion rule's bus)
  // SQS: the event queue; region and account empty when they are the stack's own (sqs://NAME).
  struct EventQueue {
    std::string name;
    std::string region;
    std::string account;
  } event_queue;
  std::string webhook_token_env;  // a webhook's bearer token variable, set from a parameter

  // What the operator should know about the stack that is not an error (printed by the command).
  std::vector<std::string> notes;

  std::string config_bucket;  // when the functions read their config from S3
  std::string config_key;

  config::AlarmsConfig alarms;

  // The domain's raw tables in the Glue Data Catalog (no runtime permission: only Athena and
  // whoever queries read it).
  GlueCatalog glue;

  HandlerSetup orchestrator;
  HandlerSetup worker;

  bool vpc() const { return !aws.vpc_id.empty(); }
};

// kInvalidInput listing every problem, one per line, each naming the setting: the lake is not on
// S3, a schedule EventBridge cannot express, a completion rule without a target, a VPC without
// an S3 endpoint, names over AWS's limits, aws.event_bus contradicting `events`, a completion
// rule on EventBridge for events sent elsewhere, two tables Glue would name alike.
core::Result<StackPlan> planStack(const config::DomainConfig& domain,
                                  const std::string& environment);

}  // namespace rawfeed::deploy
