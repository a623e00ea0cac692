// `rawfeed validate` and `rawfeed provision`: the commands that check and prepare a domain's
// setting before anything runs.
#include <fmt/format.h>

#include <iostream>

#include "app/aws_backends.h"
#include "app/commands.h"
#include "app/domain_loading.h"
#include "app/exit_codes.h"
#include "core/random.h"
#include "observe/logger.h"
#include "universe/symbol.h"
#include "universe/universe_file.h"

namespace rawfeed::app {

int validateCommand(const CommandOptions& options) {
  auto config = config::loadConfig(options.config_path);
  if (!config.ok()) {
    std::cerr << config.error().message << "\n";
    return kExitUsage;
  }
  int problems = 0;
  for (const auto& [name, domain] : config->domains) {
    std::vector<std::string> raw = domain.symbols;
    if (raw.empty()) {
      auto entries = universe::readUniverseFile(domain.universe_file);
      if (!entries.ok()) {
        std::cerr << options.config_path.string() << ": domains." << name
                  << ".universe: " << entries.error().message << "\n";
        ++problems;
        continue;
      }
      raw = *entries;
    }
    const auto list = universe::normalizeSymbols(raw);
    if (list.symbols.empty()) {
      std::cerr << options.config_path.string() << ": domains." << name
                << ".universe: no valid symbol\n";
      ++problems;
    }
    std::cout << fmt::format(
        "domain {}: {} symbols ({} rejected, {} duplicates), {} {} {} {}, "
        "tables {} + {}, queue {}, lake {}, tracker {}, state {}\n",
        name, list.symbols.size(), list.rejected.size(), list.duplicates, domain.period,
        domain.interval, domain.file_format, core::compressionName(domain.compression),
        domain.table_name,
        domain.corporate_actions ? domain.corporate_actions_table
                                 : std::string("no corporate actions"),
        domain.queue_location.uri, domain.lake.uri, config::trackerKindName(domain.tracker),
        domain.state_dir.string());
    for (const auto& rejected : list.rejected) {
      std::cout << fmt::format("  rejected {}: {}\n", rejected.symbol, rejected.reason);
    }
  }
  if (problems > 0)
    return kExitUsage;
  std::cout << options.config_path.string() << ": OK\n";
  return kExitOk;
}

int provisionCommand(const CommandOptions& options) {
  auto loaded = loadDomain(options);
  if (!loaded.ok()) {
    return reportFailure(loaded.error());
  }
  const auto& domain = loaded->domain;
  // Provisioning is AWS's: SQS queues are created, S3 buckets checked.
  const bool sqs = domain.queue_location.backend == config::kSqsQueue;
  const bool s3 = domain.lake.backend == config::kS3Lake;
  if (!sqs && !s3) {
    std::cout << fmt::format(
        "domain {}: queue {} and lake {} are not on AWS; nothing to provision\n", domain.name,
        domain.queue_location.uri, domain.lake.uri);
    return kExitOk;
  }
  auto aws = AwsBackends::open(core::systemClock());
  if (!aws.ok()) {
    return reportFailure(aws.error());
  }
  core::SystemRandom random;
  if (sqs) {
    auto changes =
        (*aws)->provisionQueue(domain.queue_location, domain.worker_timeout,
                               domain.queue.max_receives, domain.queue.dlq_retention, random);
    if (!changes.ok()) {
      return reportFailure(
          core::makeError(changes.error().code,
                          "queue " + domain.queue_location.uri + ": " + changes.error().message));
    }
    for (const auto& change : *changes)
      std::cout << "  " << change << "\n";
    std::cout << fmt::format("queue {}: {}\n", domain.queue_location.uri,
                             changes->empty() ? "already as configured" : "provisioned");
  }
  if (s3) {
    observe::NullLogger quiet;
    auto lake = (*aws)->openLake(domain.lake, random, quiet);  // checks the bucket
    if (!lake.ok()) {
      return reportFailure(lake.error());
    }
    std::cout << fmt::format("lake {}: bucket reachable\n", domain.lake.uri);
  }
  return kExitOk;
}

}  // namespace rawfeed::app
