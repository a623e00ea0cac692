#include "config/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "config/section_readers.h"
#include "config/table_reader.h"
#include "schedule/schedule.h"
#include "sources/source_registry.h"
#include "universe/symbol.h"

namespace rawfeed::config {

namespace {

constexpr std::array kIntervals = {"1m", "2m", "5m", "15m", "30m", "60m", "90m",
                                   "1h", "1d", "5d", "1wk", "1mo", "3mo"};
constexpr std::array kPeriods = {"1d", "5d", "1mo", "3mo", "6mo", "1y",
                                 "2y", "5y", "10y", "ytd", "max"};

// `compression` and the older `gzip` of one table. A table that picks a codec resets the level to
// that codec's default unless it sets compression_level too; a level is checked against the
// codec in effect after this table.
void readCompression(TableReader& reader, const toml::table& table, DomainConfig& domain) {
  std::optional<bool> gzip;
  if (const auto* node = table.get("gzip"); node != nullptr && node->is_boolean())
    gzip = node->value<bool>();
  bool gzip_value = false;
  reader.read("gzip", gzip_value);  // marks the key known; reports a value that is not a bool

  std::optional<core::Compression> compression;
  std::string name;
  reader.read("compression", name);
  const auto* compression_node = table.get("compression");
  if (compression_node != nullptr && compression_node->is_string()) {
    auto parsed = core::parseCompression(name);
    if (parsed.ok()) {
      compression = *parsed;
    } else {
      reader.error("compression", parsed.error().message, compression_node);
    }
  }

  if (gzip && compression && *gzip != (*compression == core::Compression::kGzip)) {
    reader.error("gzip",
                 fmt::format("gzip = {} contradicts compression = \"{}\" (compression replaces "
                             "gzip: keep only compression)",
                             *gzip, name),
                 table.get("gzip"));
    return;
  }
  if (!compression && gzip)
    compression = *gzip ? core::Compression::kGzip : core::Compression::kNone;
  if (compression) {
    domain.compression = *compression;
    domain.compression_level = core::compressionLevels(*compression).default_level;
  }

  constexpr int kUnset = std::numeric_limits<int>::min();
  int level = kUnset;
  reader.read("compression_level", level, -1000, 1000);  // the codec's range is checked below
  if (level == kUnset)
    return;
  if (auto valid = core::validateCompressionLevel(domain.compression, level); !valid.ok()) {
    reader.error("compression_level", valid.error().message, table.get("compression_level"));
    return;
  }
  domain.compression_level = level;
}

// Applies one table ([defaults] or [domains.NAME]) over `domain`.
void readDomainTable(const toml::table& table, const std::string& path, const std::string& file,
                     const std::filesystem::path& base, DomainConfig& domain,
                     std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.read("data_source", domain.data_source);
  reader.read("data_type", domain.data_type);
  reader.read("table_name", domain.table_name);
  reader.read("corporate_actions", domain.corporate_actions);
  reader.read("corporate_actions_table", domain.corporate_actions_table);
  if (reader.has("symbols"))
    domain.universe_file.clear();
  reader.readStrings("symbols", domain.symbols);
  if (reader.has("universe"))
    domain.symbols.clear();
  reader.readPath("universe", domain.universe_file, base);
  reader.read("period", domain.period);
  reader.read("fetch", domain.fetch);
  reader.read("interval", domain.interval);
  reader.read("file_format", domain.file_format);
  readCompression(reader, table, domain);
  reader.read("chunk_size", domain.chunk_size, 1, 100);
  reader.read("send_batch_size", domain.send_batch_size, 1, 10);
  reader.read("worker_concurrency", domain.worker_concurrency, 1, 256);
  reader.readDuration("worker_timeout_seconds", domain.worker_timeout, 1, 900);
  reader.read("messages_per_delivery", domain.messages_per_delivery, 1, 10);
  reader.read("requests_in_flight", domain.requests_in_flight, 1, 1024);
  reader.read("lake_writers", domain.lake_writers, 1, 256);
  reader.readLocation("lake", domain.lake, base);
  reader.readPath("state_dir", domain.state_dir, base);
  reader.readLocation("queue_uri", domain.queue_location);
  reader.readTracker("tracker", domain.tracker);
  reader.read("events", domain.events.uri);
  reader.read("events_source", domain.events.source);
  reader.read("events_token_env", domain.events.token_env);
  reader.read("batch_timezone", domain.batch_timezone);
  reader.read("schedule", domain.schedule);
  reader.read("schedule_timezone", domain.schedule_timezone);
  reader.readDuration("misfire_grace_seconds", domain.misfire_grace, 0, 7 * 86400);
  if (reader.has("event_rules")) {
    readEventRules(*table.get("event_rules"), reader.qualified("event_rules"), file,
                   domain.event_rules, errors);
    reader.markKnown("event_rules");
  }
  if (const auto* alarms = reader.subTable("alarms")) {
    readAlarms(*alarms, reader.qualified("alarms"), file, domain.alarms, errors);
  }
  if (const auto* queue = reader.subTable("queue")) {
    readQueue(*queue, reader.qualified("queue"), file, domain.queue, errors);
  }
  if (const auto* source = reader.subTable("source")) {
    readSource(*source, reader.qualified("source"), file, domain.source, errors);
  }
  if (const auto* aws = reader.subTable("aws")) {
    readAws(*aws, reader.qualified("aws"), file, domain.aws, errors);
  }
}

bool isValidDomainName(const std::string& name) {
  if (name.empty() || name.size() > 64)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool isEnvironmentName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The typed sink from the `events` text, keeping the other events_* keys read beside it.
void validateEvents(EventsSettings& events, const std::string& at,
                    std::vector<std::string>& errors) {
  const std::string source = events.source;
  const std::string token_env = events.token_env;
  auto parsed = parseEventsUri(events.uri);
  if (!parsed.ok()) {
    errors.push_back(at + "events: " + parsed.error().message);
    return;
  }
  events = std::move(parsed).value();
  events.source = source;
  events.token_env = token_env;
  if (events.source.empty() || events.source.size() > 256 || events.source.rfind("aws.", 0) == 0) {
    errors.push_back(at +
                     "events_source: must be 1-256 characters and not start with 'aws.' "
                     "(EventBridge keeps those for AWS services; got '" +
                     events.source + "')");
  }
  if (!events.token_env.empty()) {
    if (events.kind != EventsKind::kWebhook) {
      errors.push_back(at +
                       "events_token_env: only a webhook (events = \"https://...\") sends "
                       "a bearer token");
    } else if (!isEnvironmentName(events.token_env)) {
      errors.push_back(at + "events_token_env: '" + events.token_env +
                       "' is not an environment variable name (letters, digits, _)");
    }
  }
}

void validateDomain(DomainConfig& domain, const std::string& file,
                    std::vector<std::string>& errors) {
  const std::string at = file + ": domains." + domain.name + ".";
  if (!isValidDomainName(domain.name)) {
    errors.push_back(file + ": domains." + domain.name +
                     ": a domain name is 1-64 characters of a-z 0-9 - _");
  }
  const auto source = sources::sourceNamed(domain.data_source);
  if (!source.ok()) {
    errors.push_back(at + "data_source: " + source.error().message);
  } else if (isKnownInterval(domain.interval) && !(*source)->supportsInterval(domain.interval)) {
    errors.push_back(at + "interval: " + domain.data_source + " does not serve interval '" +
                     domain.interval + "'");
  }
  if (domain.data_type != "prices") {
    errors.push_back(at + "data_type: unknown dataset '" + domain.data_type + "' of " +
                     domain.data_source + " (known: prices)");
  }
  for (const auto& [key, segment] :
       {std::pair{"table_name", &domain.table_name},
        std::pair{"corporate_actions_table", &domain.corporate_actions_table}}) {
    if (segment->empty() || segment->find('/') != std::string::npos) {
      errors.push_back(at + key + ": must be a non-empty name without '/'");
    }
  }
  if (domain.corporate_actions && domain.corporate_actions_table == domain.table_name) {
    errors.push_back(at + "corporate_actions_table: must differ from table_name ('" +
                     domain.table_name + "')");
  }
  if (domain.fetch != "incremental" && domain.fetch != "period") {
    errors.push_back(at + "fetch: unknown fetch mode '" + domain.fetch +
                     "' (\"incremental\" or \"period\")");
  }
  if (!isKnownPeriod(domain.period)) {
    errors.push_back(at + "period: unknown period '" + domain.period +
                     "' (one of 1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max)");
  }
  if (!isKnownInterval(domain.interval)) {
    errors.push_back(at + "interval: unknown interval '" + domain.interval +
                     "' (one of 1m 2m 5m 15m 30m 60m 90m 1h 1d 5d 1wk 1mo 3mo)");
  }
  if (!isKnownFormat(domain.file_format)) {
    errors.push_back(at + "file_format: must be json or csv (got '" + domain.file_format + "')");
  }
  if (domain.symbols.empty() && domain.universe_file.empty()) {
    errors.push_back(at + "universe: a domain needs `symbols = [...]` or `universe = \"FILE\"`");
  }
  for (const auto& symbol : domain.symbols) {
    if (auto normalized = universe::normalizeSymbol(symbol); !normalized.ok()) {
      errors.push_back(at + "symbols: '" + symbol + "': " + normalized.error().message);
    }
  }
  validateEvents(domain.events, at, errors);
  if (!domain.schedule.empty()) {
    if (auto parsed = schedule::Schedule::parse(domain.schedule, domain.schedule_timezone);
        !parsed.ok()) {
      errors.push_back(at + "schedule: " + parsed.error().message);
    }
  }
  if (domain.queue.visibility_timeout.count() == 0) {
    domain.queue.visibility_timeout = domain.worker_timeout * 6;
  } else if (domain.queue.visibility_timeout < domain.worker_timeout) {
    errors.push_back(at +
                     "queue.visibility_timeout_seconds: must be at least "
                     "worker_timeout_seconds, or a message is delivered twice while a "
                     "worker still holds it");
  }
}

}  // namespace

bool isKnownInterval(std::string_view interval) {
  return std::find(kIntervals.begin(), kIntervals.end(), interval) != kIntervals.end();
}

bool isKnownPeriod(std::string_view period) {
  return std::find(kPeriods.begin(), kPeriods.end(), period) != kPeriods.end();
}

bool isKnownFormat(std::string_view format) {
  return format == "json" || format == "csv";
}

const DomainConfig* Config::domain(const std::string& name) const {
  const auto found = domains.find(name);
  return found == domains.end() ? nullptr : &found->second;
}

core::Result<Config> parseConfig(std::string_view text, const std::filesystem::path& origin) {
  const std::string file = origin.string();
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << file << ":" << error.source().begin.line << ":" << error.source().begin.column
            << ": not valid TOML: " << error.description();
    return core::makeError(core::ErrorCode::kInvalidInput, message.str());
  }
  const std::filesystem::path base = origin.has_parent_path()
                                         ? std::filesystem::absolute(origin).parent_path()
                                         : std::filesystem::current_path();
  std::vector<std::string> errors;
  Config config;
  config.path = origin;
  const toml::table* defaults = nullptr;
  const toml::table* domains = nullptr;
  {
    TableReader reader(root, "", file, errors);
    reader.read("environment", config.environment);
    defaults = reader.subTable("defaults");
    domains = reader.subTable("domains");
    if (const auto* server = reader.subTable("server")) {
      readServer(*server, file, base, config.server, errors);
    }
  }
  DomainConfig base_domain;
  base_domain.state_dir = (base / "state").lexically_normal();
  base_domain.lake = parseLakeLocation((base / "lake").lexically_normal().string()).value();
  if (defaults != nullptr)
    readDomainTable(*defaults, "defaults", file, base, base_domain, errors);
  if (domains == nullptr || domains->empty()) {
    errors.push_back(file + ": domains: no domain is configured (add a [domains.NAME] table)");
  } else {
    for (const auto& [name, node] : *domains) {
      DomainConfig domain = base_domain;
      domain.name = std::string(name.str());
      if (const auto* table = node.as_table()) {
        readDomainTable(*table, "domains." + domain.name, file, base, domain, errors);
      } else {
        errors.push_back(file + ": domains." + domain.name + ": must be a table");
        continue;
      }
      validateDomain(domain, file, errors);
      config.domains.emplace(domain.name, std::move(domain));
    }
  }
  if (!errors.empty()) {
    std::string message;
    for (const auto& error : errors)
      message += error + "\n";
    message.pop_back();
    return core::makeError(core::ErrorCode::kInvalidInput, message);
  }
  return config;
}

core::Result<Config> loadConfig(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::makeError(core::ErrorCode::kNotFound,
                           path.string() + ": the configuration file cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  return parseConfig(content.str(), path);
}

}  // namespace rawfeed::config
