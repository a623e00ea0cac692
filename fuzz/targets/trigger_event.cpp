// Events from outside: a trigger event (contracts §1, bare or in an EventBridge envelope), the
// detail of another system's event, the body of POST /v1/events (one event or PutEvents'
// {"Entries":[...]}), and EventBridge's answer to our own PutEvents. A trigger that resolves
// against a domain must make chunk messages a worker accepts; a body we build for PutEvents
// must carry the event's detail unchanged.
#include <nlohmann/json.hpp>

#include "config/config.h"
#include "core/time_format.h"
#include "events/eventbridge/put_events.h"
#include "fuzz/fuzz_support.h"
#include "pipeline/batch_request.h"
#include "pipeline/chunk_message.h"
#include "pipeline/incoming_events.h"

namespace {

using namespace rawfeed;
using nlohmann::json;

config::DomainConfig sampleDomain() {
  config::DomainConfig domain;
  domain.name = "customer-data";
  domain.symbols = {"AAPL"};
  return domain;
}

void checkResolved(const pipeline::TriggerEvent& trigger) {
  static const config::DomainConfig domain = sampleDomain();
  const fuzz::FixedClock clock;
  fuzz::FixedRandom random;
  const auto request = pipeline::resolveTrigger(trigger, domain, clock, random);
  if (!request.ok()) {
    FUZZ_CHECK(request.error().code == core::ErrorCode::kInvalidInput, request.error().describe());
    return;
  }
  FUZZ_CHECK(config::isKnownInterval(request->interval), "interval " + request->interval);
  FUZZ_CHECK(core::parseDate(request->batch_ds).has_value(), "batch_ds " + request->batch_ds);
  if (request->period.empty()) {
    const auto start = core::parseDate(request->start);
    const auto end = core::parseDate(request->end);
    FUZZ_CHECK(start && end && *start <= *end, "window " + request->start + ".." + request->end);
  } else {
    FUZZ_CHECK(config::isKnownPeriod(request->period), "period " + request->period);
  }
  // What the orchestrator will send for it must be a chunk message to the worker.
  pipeline::ChunkMessage message;
  message.request = *request;
  message.symbols = {"AAPL", "BRK-B"};
  message.batch_total_chunks = 1;
  const auto decoded = pipeline::decodeChunkMessage(pipeline::encodeChunkMessage(message));
  FUZZ_CHECK(decoded.ok(), "a resolved trigger makes a poison message: " +
                               (decoded.ok() ? std::string() : decoded.error().message));
  FUZZ_CHECK(decoded->request.batch_id == request->batch_id &&
                 decoded->request.correlation_id == request->correlation_id &&
                 decoded->request.start == request->start && decoded->request.end == request->end,
             "the chunk message changed the request");
}

void checkTrigger(std::string_view text) {
  const auto strict = pipeline::parseTriggerEvent(text);
  const auto lenient = pipeline::parseEventDetail(text);
  // The strict reading accepts a subset of what the lenient one does.
  FUZZ_CHECK(!strict.ok() || lenient.ok(), "strict accepts what lenient refuses");
  if (strict.ok())
    checkResolved(*strict);
  if (lenient.ok())
    checkResolved(*lenient);
}

void checkIncoming(std::string_view text) {
  const auto entries = pipeline::parseIncomingEvents(text);
  if (!entries.ok()) {
    FUZZ_CHECK(entries.error().code == core::ErrorCode::kInvalidInput, "not kInvalidInput");
    return;
  }
  FUZZ_CHECK(!entries->empty() && entries->size() <= 10, "entry count");
  for (const pipeline::IncomingEvent& entry : *entries) {
    if (entry.error.empty())
      checkTrigger(entry.detail);
  }
}

void checkPutEvents(std::string_view text) {
  const auto body = events::eventbridge::putEventsBody(text, "rawfeed", "lake-events");
  if (body.ok()) {
    const json document = json::parse(*body, nullptr, false);
    FUZZ_CHECK(!document.is_discarded(), "PutEvents body is not JSON: " + *body);
    const json& entry = document.at("Entries").at(0);
    const json original = json::parse(text, nullptr, false);
    // Compared as dumped: a number beyond a double (1e400) is null once written either way.
    FUZZ_CHECK(json::parse(entry.at("Detail").get<std::string>()) ==
                   json::parse(original.at("detail").dump()),
               "the Detail is not the event's detail");
    FUZZ_CHECK(entry.at("DetailType") == original.at("detail-type"), "DetailType changed");
  }
  // The same text as EventBridge's answer: accepted, refused per entry, or refused whole.
  (void)events::eventbridge::readPutEventsAnswer(fuzz::response(200, text));
  (void)events::eventbridge::readPutEventsAnswer(
      fuzz::response(400, text, {{"x-amzn-requestid", "fuzz"}}));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  checkTrigger(text);
  checkIncoming(text);
  checkPutEvents(text);
  return 0;
}
