#include "deploy/stack_plan.h"

#include <fmt/format.h>

#include "deploy/scheduler_expression.h"

namespace rawfeed::deploy {

namespace {

// The lake's bucket and prefix from "s3://bucket/prefix/".
bool splitS3Uri(const std::string& uri, std::string& bucket, std::string& prefix) {
  if (uri.rfind("s3://", 0) != 0)
    return false;
  const std::string rest = uri.substr(5);
  const auto slash = rest.find('/');
  bucket = rest.substr(0, slash);
  prefix = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
  while (!prefix.empty() && prefix.back() == '/')
    prefix.pop_back();
  return !bucket.empty();
}

bool validBucketName(const std::string& name) {
  if (name.size() < 3 || name.size() > 63)
    return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
  }
  return name.front() != '-' && name.back() != '-';
}

// The queue's name from the domain's queue_uri when it names an SQS queue, so the stack creates
// the queue a local run against AWS would use; otherwise one of our own.
std::string queueNameOf(const config::DomainConfig& domain, const std::string& prefix) {
  const std::string& uri = domain.queue_uri;
  if (uri.rfind("sqs://", 0) == 0)
    return uri.substr(6);
  if (uri.rfind("https://", 0) == 0 || uri.rfind("http://", 0) == 0) {
    return uri.substr(uri.find_last_of('/') + 1);
  }
  return prefix + "-chunks";
}

}  // namespace

core::Result<StackPlan> planStack(const config::DomainConfig& domain,
                                  const std::string& environment) {
  std::vector<std::string> errors;
  const std::string at = std::string("domains.") + domain.name + ".";
  StackPlan plan;
  plan.domain = domain.name;
  plan.environment = environment;
  plan.aws = domain.aws;
  plan.name_prefix = domain.aws.name_prefix.empty() ? std::string("rawfeed-") + domain.name
                                                    : domain.aws.name_prefix;
  plan.orchestrator_function = plan.name_prefix + "-orchestrator";
  plan.worker_function = plan.name_prefix + "-worker";
  plan.schedule_name = plan.name_prefix + "-schedule";
  plan.schedule_dlq_name = plan.name_prefix + "-schedule-dlq";
  plan.queue_name = queueNameOf(domain, plan.name_prefix);
  plan.dlq_name = plan.queue_name + "-dlq";
  if (plan.worker_function.size() > 64 || plan.orchestrator_function.size() > 64) {
    errors.push_back(
        fmt::format("{}aws.name_prefix: '{}' makes function names over Lambda's 64 "
                    "characters",
                    at, plan.name_prefix));
  }
  if (plan.dlq_name.size() > 80) {
    errors.push_back(
        fmt::format("{}queue_uri: queue name '{}' leaves no room for its DLQ's "
                    "'-dlq' within SQS's 80 characters",
                    at, plan.queue_name));
  }
  if (plan.queue_name.size() > 5 && plan.queue_name.substr(plan.queue_name.size() - 5) == ".fifo") {
    errors.push_back(at +
                     "queue_uri: a FIFO queue cannot feed the worker's batch-failure "
                     "reporting as designed; use a standard queue");
  }

  plan.lake_uri = domain.lake;
  if (!splitS3Uri(domain.lake, plan.bucket, plan.prefix)) {
    errors.push_back(
        fmt::format("{}lake: deploying on AWS needs the lake on S3 (lake = "
                    "\"s3://bucket/prefix\"), got '{}'",
                    at, domain.lake));
  } else if (!validBucketName(plan.bucket)) {
    errors.push_back(
        fmt::format("{}lake: '{}' is not a valid S3 bucket name (3-63 characters "
                    "of a-z 0-9 . -)",
                    at, plan.bucket));
  }

  if (!domain.schedule.empty()) {
    auto expression = schedulerExpression(domain.schedule);
    if (!expression.ok()) {
      errors.push_back(at + "schedule: " + expression.error().message);
    } else {
      plan.schedule_expression = *expression;
      plan.schedule_timezone = domain.schedule_timezone;
    }
  }

  plan.worker_timeout_seconds = static_cast<int>(domain.worker_timeout.count());
  plan.visibility_timeout_seconds = static_cast<int>(domain.queue.visibility_timeout.count());
  plan.message_retention_seconds = static_cast<int>(domain.queue.retention.count());
  plan.dlq_retention_seconds = static_cast<int>(domain.queue.dlq_retention.count());
  plan.max_receives = domain.queue.max_receives;
  plan.batch_size = domain.aws.batch_size.value_or(domain.messages_per_delivery);
  if (plan.batch_size > 10 && domain.aws.batching_window_seconds < 1) {
    errors.push_back(at +
                     "aws.batch_size: over 10 needs batching_window_seconds of at least 1 "
                     "(an SQS event source mapping rule)");
  }
  plan.maximum_concurrency = domain.aws.maximum_concurrency;
  if (!plan.maximum_concurrency && domain.aws.worker_reserved_concurrency &&
      *domain.aws.worker_reserved_concurrency >= 2) {
    // Above the reserved concurrency the poller's invocations would be throttled and count as
    // receives: cap the poller at it.
    plan.maximum_concurrency = std::min(1000, *domain.aws.worker_reserved_concurrency);
  }
  if (plan.maximum_concurrency && domain.aws.worker_reserved_concurrency &&
      *plan.maximum_concurrency > *domain.aws.worker_reserved_concurrency) {
    errors.push_back(at +
                     "aws.maximum_concurrency: above worker_reserved_concurrency, the extra "
                     "invocations are throttled and burn receive counts");
  }

  plan.event_bus = domain.aws.event_bus;
  plan.events_uri = std::string("eventbridge://") + plan.event_bus;

  if (domain.aws.config_location.rfind("s3://", 0) == 0) {
    std::string key;
    if (!splitS3Uri(domain.aws.config_location, plan.config_bucket, key) || key.empty()) {
      errors.push_back(at + "aws.config_location: an S3 location is s3://bucket/key, got '" +
                       domain.aws.config_location + "'");
    }
    plan.config_key = key;
  }

  if (plan.vpc() && domain.aws.vpc_endpoints && domain.aws.route_table_ids.empty()) {
    errors.push_back(at +
                     "aws.route_table_ids: functions in a VPC reach the lake through an S3 "
                     "gateway endpoint, which needs the subnets' route tables (or set "
                     "vpc_endpoints = false when the VPC already has its endpoints or a NAT)");
  }

  plan.alarms = domain.alarms;

  aws::HandlerSetup setup;
  setup.lake_on_s3 = true;
  setup.tracker_in_lake = true;  // no local state survives between invocations
  setup.conditional_create = aws::ConditionalCreateMode::kAuto;
  setup.queue_named = false;  // the stack passes the queue's URL
  setup.kms_key = !domain.aws.kms_key_arn.empty();
  setup.vpc = plan.vpc();
  setup.config_in_s3 = !plan.config_bucket.empty();
  plan.orchestrator = setup;
  setup.events = aws::HandlerSetup::Events::kEventBridge;
  plan.worker = setup;

  if (!errors.empty()) {
    std::string message;
    for (const auto& error : errors)
      message += error + "\n";
    message.pop_back();
    return core::makeError(core::ErrorCode::kInvalidInput, message);
  }
  return plan;
}

}  // namespace rawfeed::deploy
