#include "tracker/lake/batch_documents.h"

#include <nlohmann/json.hpp>

#include "core/time_format.h"

namespace rawfeed::tracker::lake {
namespace {

using nlohmann::ordered_json;

constexpr const char* kPlanSchema = "rawfeed.batch_plan/1";
constexpr const char* kSentSchema = "rawfeed.sent_chunks/1";
constexpr const char* kClaimSchema = "rawfeed.event_claim/1";

void checkSchema(const ordered_json& json, const char* schema) {
  if (json.at("schema").get<std::string>() != schema) {
    throw std::runtime_error("schema is " + json.at("schema").dump() + ", expected " + schema);
  }
}

// Runs `parse` over the text, turning every JSON or schema failure into kInternal.
template <class T, class Parse>
core::Result<T> parseDocument(std::string_view text, const char* what, Parse parse) {
  try {
    return parse(ordered_json::parse(text));
  } catch (const std::exception& error) {
    std::string message = "stored ";
    message += what;
    message += " is not valid: ";
    message += error.what();
    return core::makeError(core::ErrorCode::kInternal, std::move(message));
  }
}

}  // namespace

std::string planDocumentJson(const PlanDocument& document) {
  const auto& plan = document.plan;
  ordered_json json = {{"schema", kPlanSchema},
                       {"batch_id", plan.batch_id},
                       {"batch_ds", plan.batch_ds},
                       {"domain", plan.domain},
                       {"table_name", plan.table_name},
                       {"data_source", plan.data_source},
                       {"interval", plan.interval},
                       {"file_format", plan.file_format},
                       {"trigger_type", plan.trigger_type},
                       {"correlation_id", plan.correlation_id},
                       {"total_chunks", plan.total_chunks},
                       {"fingerprint", plan.fingerprint},
                       {"registered_at_ms", document.registered_at_ms}};
  // Only when an incremental plan left symbols out: other plans keep their bytes.
  if (plan.symbols_up_to_date > 0)
    json["symbols_up_to_date"] = plan.symbols_up_to_date;
  if (!plan.corporate_actions_table.empty())
    json["corporate_actions_table"] = plan.corporate_actions_table;
  return json.dump();
}

core::Result<PlanDocument> parsePlanDocument(std::string_view text) {
  return parseDocument<PlanDocument>(text, "batch plan", [](const ordered_json& json) {
    checkSchema(json, kPlanSchema);
    PlanDocument document;
    auto& plan = document.plan;
    json.at("batch_id").get_to(plan.batch_id);
    json.at("batch_ds").get_to(plan.batch_ds);
    json.at("domain").get_to(plan.domain);
    json.at("table_name").get_to(plan.table_name);
    json.at("data_source").get_to(plan.data_source);
    json.at("interval").get_to(plan.interval);
    json.at("file_format").get_to(plan.file_format);
    json.at("trigger_type").get_to(plan.trigger_type);
    json.at("correlation_id").get_to(plan.correlation_id);
    json.at("total_chunks").get_to(plan.total_chunks);
    json.at("fingerprint").get_to(plan.fingerprint);
    json.at("registered_at_ms").get_to(document.registered_at_ms);
    if (auto up_to_date = json.find("symbols_up_to_date"); up_to_date != json.end())
      up_to_date->get_to(plan.symbols_up_to_date);
    if (auto actions = json.find("corporate_actions_table"); actions != json.end())
      actions->get_to(plan.corporate_actions_table);
    return document;
  });
}

std::string sentDocumentJson(const std::vector<int>& chunks) {
  const ordered_json json = {{"schema", kSentSchema}, {"chunks", chunks}};
  return json.dump();
}

core::Result<std::vector<int>> parseSentDocument(std::string_view text) {
  return parseDocument<std::vector<int>>(text, "sent chunks", [](const ordered_json& json) {
    checkSchema(json, kSentSchema);
    return json.at("chunks").get<std::vector<int>>();
  });
}

std::string claimDocumentJson(const ClaimDocument& document) {
  const ordered_json json = {{"schema", kClaimSchema},
                             {"status", eventStatusName(document.status)},
                             {"claimed_at_ms", document.claimed_at_ms},
                             {"lease_until_ms", document.lease_until_ms}};
  return json.dump();
}

core::Result<ClaimDocument> parseClaimDocument(std::string_view text) {
  return parseDocument<ClaimDocument>(text, "event claim", [](const ordered_json& json) {
    checkSchema(json, kClaimSchema);
    ClaimDocument document;
    const auto status = json.at("status").get<std::string>();
    if (status == "complete") {
      document.status = EventStatus::kComplete;
    } else if (status != "partial") {
      throw std::runtime_error("status is '" + status + "', expected partial or complete");
    }
    json.at("claimed_at_ms").get_to(document.claimed_at_ms);
    json.at("lease_until_ms").get_to(document.lease_until_ms);
    return document;
  });
}

std::int64_t toMillis(core::SystemTime time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// An instant beyond what SystemTime holds is a broken or hostile document's: read as absent.
core::SystemTime fromMillis(std::int64_t millis) {
  return core::fromUnixMillis(millis).value_or(core::SystemTime{});
}

}  // namespace rawfeed::tracker::lake
