#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace rawfeed::config {

struct QueueSettings {
  std::chrono::seconds visibility_timeout{0};  // 0 in the file means: worker timeout × 6
  int max_receives = 5;                        // then the message moves to the DLQ
  std::chrono::seconds retention{4 * 24 * 3600};
  std::chrono::seconds dlq_retention{14 * 24 * 3600};
};

struct SourceSettings {
  std::string base_url = "https://query2.finance.yahoo.com";
  std::chrono::milliseconds timeout{20000};
  int max_retries = 2;  // the design's "1–2 retries inside the worker"
  std::string user_agent =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/126.0 Safari/537.36";
};

// One domain's settings, the [defaults] table merged under its own [domains.NAME] table.
struct DomainConfig {
  std::string name;
  std::string data_source = "yahoo_finance";
  std::string data_type = "prices";
  std::string table_name = "prices";
  std::vector<std::string> symbols;      // inline universe; or
  std::filesystem::path universe_file;   // a file (resolved against the config's folder)
  std::string period = "1mo";
  std::string interval = "1d";
  std::string file_format = "json";
  bool gzip = false;
  int chunk_size = 5;
  int send_batch_size = 10;
  QueueSettings queue;
  int worker_concurrency = 4;  // deliveries handled at once by one process
  std::chrono::seconds worker_timeout{120};
  int messages_per_delivery = 10;
  int requests_in_flight = 16;  // to each source host, shared by all workers of a process
  SourceSettings source;
  std::string lake = "lake";                   // a directory or file:// URI
  std::filesystem::path state_dir = "state";   // queues, tracker, events, logs
  std::string batch_timezone = "Asia/Seoul";   // batch_ds defaults to today here
};

struct Config {
  std::filesystem::path path;  // the file it came from
  std::string environment = "local";
  std::map<std::string, DomainConfig> domains;

  const DomainConfig* domain(const std::string& name) const;
};

// Every problem found, each naming the file, the key and the rule broken.
struct ConfigErrors {
  std::vector<std::string> messages;
};

// Parses and validates TOML text; `origin` names the file in errors and anchors relative paths.
// On failure the error message lists every problem, one per line.
core::Result<Config> parseConfig(std::string_view text, const std::filesystem::path& origin);
core::Result<Config> loadConfig(const std::filesystem::path& path);

// Shared by the config and trigger validation so both speak of the same sets.
bool isKnownInterval(std::string_view interval);
bool isKnownPeriod(std::string_view period);
bool isKnownFormat(std::string_view format);

}  // namespace rawfeed::config
