// rawfeed.toml: parseConfig on any text, anchored at a folder that does not exist so nothing is
// read. A config that is accepted must hold what validation promises: domains with valid names
// and symbols, a schedule that parses again, an events URI that reads back as the same sink.
#include "config/config.h"
#include "fuzz/fuzz_support.h"
#include "schedule/schedule.h"
#include "universe/symbol.h"

namespace {

using namespace rawfeed;

void checkDomain(const std::string& name, const config::DomainConfig& domain) {
  FUZZ_CHECK(domain.name == name, "domain keyed '" + name + "' is named '" + domain.name + "'");
  FUZZ_CHECK(!name.empty() && name.size() <= 64, "domain name '" + name + "'");
  FUZZ_CHECK(!domain.symbols.empty() || !domain.universe_file.empty(), "a domain without symbols");
  for (const auto& symbol : domain.symbols) {
    FUZZ_CHECK(universe::normalizeSymbol(symbol).ok(), "symbol '" + symbol + "' was accepted");
  }
  FUZZ_CHECK(config::isKnownInterval(domain.interval), "interval " + domain.interval);
  FUZZ_CHECK(config::isKnownPeriod(domain.period), "period " + domain.period);
  FUZZ_CHECK(config::isKnownFormat(domain.file_format), "format " + domain.file_format);
  FUZZ_CHECK(domain.queue.visibility_timeout >= domain.worker_timeout,
             "visibility timeout below the worker timeout");
  if (!domain.schedule.empty()) {
    FUZZ_CHECK(schedule::Schedule::parse(domain.schedule, domain.schedule_timezone).ok(),
               "schedule '" + domain.schedule + "' was accepted but does not parse");
  }
  const auto events = config::parseEventsUri(domain.events.uri);
  FUZZ_CHECK(
      events.ok() && events->kind == domain.events.kind && events->address == domain.events.address,
      "events '" + domain.events.uri + "' does not read back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const auto parsed = config::parseConfig(text, "/nonexistent/rawfeed-fuzz/rawfeed.toml");
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().code == core::ErrorCode::kInvalidInput,
               "not kInvalidInput: " + parsed.error().describe());
    FUZZ_CHECK(!parsed.error().message.empty(), "an error without a message");
  } else {
    FUZZ_CHECK(!parsed->domains.empty(), "a config without domains was accepted");
    for (const auto& [name, domain] : parsed->domains)
      checkDomain(name, domain);
    const config::ServerConfig& server = parsed->server;
    FUZZ_CHECK(server.port >= 0 && server.port <= 65535, "port");
    FUZZ_CHECK(server.max_connections_per_client <= server.max_connections, "connections");
  }
  // The events URI on its own, as the first line: every sink and every way of not being one.
  const auto events = config::parseEventsUri(fuzz::splitLine(text).first);
  if (events.ok())
    FUZZ_CHECK(events->uri == fuzz::splitLine(text).first, "events uri changed");
  return 0;
}
