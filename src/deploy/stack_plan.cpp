#include "deploy/stack_plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "deploy/scheduler_expression.h"

namespace rawfeed::deploy {

namespace {

// The lake's bucket and prefix from "s3://bucket/prefix/".
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
  const auto& queue = domain.queue_location;
  if (queue.backend == config::kSqsQueue)
    return queue.address.substr(queue.address.find_last_of('/') + 1);
  return prefix + "-chunks";
}

// https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (or the legacy queue.amazonaws.com, us-east-1).
bool splitSqsUrl(const std::string& url, StackPlan::EventQueue& queue) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos)
    return false;
  const std::string rest = url.substr(scheme + 3);
  const auto slash = rest.find('/');
  if (slash == std::string::npos)
    return false;
  const std::string host = rest.substr(0, rest.find_first_of(":/"));
  const std::string path = rest.substr(slash + 1);
  const auto separator = path.find('/');
  if (separator == std::string::npos)
    return false;
  queue.account = path.substr(0, separator);
  queue.name = path.substr(separator + 1);
  while (!queue.name.empty() && queue.name.back() == '/')
    queue.name.pop_back();
  if (host == "queue.amazonaws.com") {
    queue.region = "us-east-1";
  } else {
    const auto dot = host.find('.', 4);
    queue.region = host.substr(4, dot - 4);  // after "sqs."
  }
  const bool account_ok =
      queue.account.size() == 12 && std::all_of(queue.account.begin(), queue.account.end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
  return account_ok && !queue.name.empty() && queue.name.find('/') == std::string::npos &&
         !queue.region.empty();
}

// The bus's name from "NAME" or "arn:...:event-bus/NAME".
std::string busName(const std::string& bus) {
  const auto slash = bus.rfind("event-bus/");
  return slash == std::string::npos ? bus : bus.substr(slash + 10);
}

// The worker's completion-event sink follows the domain's `events`; aws.event_bus only names the
// bus of a "jsonl" domain, whose local log would not outlive a Lambda execution environment.
void planEvents(const config::DomainConfig& domain, const std::string& at, StackPlan& plan,
                std::vector<std::string>& errors) {
  const config::EventsSettings& events = domain.events;
  const std::string& configured_bus = domain.aws.event_bus;
  plan.events = events;
  switch (events.kind) {
    case config::EventsKind::kJsonl:
      plan.event_bus = configured_bus.empty() ? std::string("default") : configured_bus;
      plan.events.kind = config::EventsKind::kEventBridge;
      plan.events.address = plan.event_bus;
      plan.events.uri = std::string("eventbridge://") + plan.event_bus;
      plan.notes.push_back(fmt::format(
          "{}events: \"jsonl\" is a local log, which a Lambda execution environment does not "
          "keep: the worker publishes the completion events to {} instead (set events = "
          "\"eventbridge://BUS\", \"sqs://NAME\" or a webhook URL to choose)",
          at, plan.events.uri));
      break;
    case config::EventsKind::kEventBridge:
      plan.event_bus = events.address;
      if (!configured_bus.empty() && configured_bus != busName(events.address)) {
        errors.push_back(fmt::format(
            "{}aws.event_bus: '{}' contradicts events = '{}'; the events key decides where the "
            "completion events go: remove aws.event_bus or make them name the same bus",
            at, configured_bus, events.uri));
      }
      break;
    case config::EventsKind::kSqs:
    case config::EventsKind::kWebhook:
      if (!configured_bus.empty()) {
        errors.push_back(fmt::format(
            "{}aws.event_bus: '{}' names an event bus, but events = '{}' sends the completion "
            "events elsewhere: remove aws.event_bus (or set events = \"eventbridge://{}\")",
            at, configured_bus, events.uri, configured_bus));
      }
      if (!domain.aws.transform_target_arn.empty() && domain.aws.completion_rule != "manifest") {
        errors.push_back(fmt::format(
            "{}aws.completion_rule: '{}' hands the Transform stage the completion event from "
            "EventBridge, but events = '{}' does not publish it there: set completion_rule = "
            "\"manifest\" or events = \"eventbridge://BUS\"",
            at, domain.aws.completion_rule, events.uri));
      }
      break;
  }
  plan.events_uri = plan.events.uri;
  if (events.kind == config::EventsKind::kSqs) {
    if (events.uri.rfind("sqs://", 0) == 0) {
      plan.event_queue.name = events.address;
    } else if (!splitSqsUrl(events.address, plan.event_queue)) {
      errors.push_back(
          fmt::format("{}events: '{}' is not an SQS queue URL the role can be narrowed to "
                      "(https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)",
                      at, events.uri));
    }
    const bool own_account = plan.event_queue.account.empty();
    if (own_account &&
        (plan.event_queue.name == plan.queue_name || plan.event_queue.name == plan.dlq_name)) {
      errors.push_back(fmt::format(
          "{}events: '{}' is the domain's chunk queue or its DLQ; completion events need a queue "
          "of their own (the worker would take them for chunks)",
          at, events.uri));
    }
  }
  if (events.kind == config::EventsKind::kWebhook) {
    plan.webhook_token_env = events.token_env;
    if (!domain.aws.vpc_id.empty()) {
      plan.notes.push_back(fmt::format(
          "{}events: the worker runs in {} and posts to the webhook {}: its subnets need a route "
          "to that host (a NAT gateway or a peering); the stack adds no endpoint for it",
          at, domain.aws.vpc_id, events.address));
    }
  }
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

  plan.lake_uri = domain.lake.uri;
  plan.bucket = domain.lake.address;
  plan.prefix = domain.lake.prefix;
  if (domain.lake.backend != config::kS3Lake) {
    errors.push_back(
        fmt::format("{}lake: deploying on AWS needs the lake on S3 (lake = "
                    "\"s3://bucket/prefix\"), got '{}'",
                    at, domain.lake.uri));
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

  planEvents(domain, at, plan, errors);

  if (domain.aws.config_location.rfind("s3://", 0) == 0) {
    // Read as an S3 location: the bucket, and the key where a lake has its prefix.
    auto location = config::parseLakeLocation(domain.aws.config_location);
    if (!location.ok() || location->prefix.empty()) {
      errors.push_back(at + "aws.config_location: an S3 location is s3://bucket/key, got '" +
                       domain.aws.config_location + "'");
    } else {
      plan.config_bucket = location->address;
      plan.config_key = location->prefix;
    }
  }

  if (plan.vpc() && domain.aws.vpc_endpoints && domain.aws.route_table_ids.empty()) {
    errors.push_back(at +
                     "aws.route_table_ids: functions in a VPC reach the lake through an S3 "
                     "gateway endpoint, which needs the subnets' route tables (or set "
                     "vpc_endpoints = false when the VPC already has its endpoints or a NAT)");
  }

  plan.alarms = domain.alarms;
  plan.glue = planGlueCatalog(domain, environment, plan.bucket, plan.prefix, errors);

  HandlerSetup setup;
  setup.lake_on_s3 = true;
  setup.tracker_in_lake = true;  // no local state survives between invocations
  setup.conditional_create = ConditionalCreateMode::kAuto;
  setup.queue_named = false;  // the stack passes the queue's URL
  setup.kms_key = !domain.aws.kms_key_arn.empty();
  setup.vpc = plan.vpc();
  setup.config_in_s3 = !plan.config_bucket.empty();
  plan.orchestrator = setup;
  if (plan.events.kind == config::EventsKind::kEventBridge) {
    setup.events = HandlerSetup::Events::kEventBridge;
  } else if (plan.events.kind == config::EventsKind::kSqs) {
    setup.events = HandlerSetup::Events::kSqs;
    setup.event_queue_named = plan.events.uri.rfind("sqs://", 0) == 0;
  } else if (plan.events.kind == config::EventsKind::kWebhook) {
    setup.events = HandlerSetup::Events::kWebhook;  // no AWS action for the sink itself
  }
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
