// `rawfeed serve` as a process: the event-driven and manual patterns through the HTTP API, and
// what the API refuses (credentials, unknown domains, malformed and oversized bodies).
#include <set>

#include "integration/serve/serve_domains.h"

namespace rawfeed::serve_test {
namespace {

using nlohmann::json;

std::set<std::string> symbolsIn(const std::map<std::string, std::string>& objects) {
  std::set<std::string> symbols;
  for (const auto& [key, bytes] : objects)
    symbols.insert(symbolOfKey(key));
  return symbols;
}

// YYYY-MM-DD of the UTC day `days_ago` days before today, as the backfill limits count days.
std::string utcDaysAgo(int days_ago) {
  return utcText(std::chrono::system_clock::now() - std::chrono::hours(24 * days_ago), "%Y-%m-%d");
}

class ServeApiTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    serve_ = startServe(writeServeConfig(dir_.path(), twoDomains()), "serve");
    ASSERT_TRUE(serve_);
  }
  void TearDown() override {
    if (!serve_)
      return;
    const Exit stopped = serve_->stop();
    EXPECT_FALSE(stopped.timed_out) << "serve did not stop within the limit";
    EXPECT_EQ(stopped.status, 0) << serve_->process().err();
  }

  double sent(const std::string& domain) {
    return metricValue(serve_->get("/metrics").body,
                       domainSeries("rawfeed_messages_sent_total", domain))
        .value_or(-1);
  }

  std::unique_ptr<ServeProcess> serve_;
};

TEST_F(ServeApiTest, PutEventsStartsARunOfTheDetailSymbolsAndRejectsWhatNoRuleMatches) {
  const json body = {
      {"Entries",
       {{{"Source", "crm"},
         {"DetailType", "Symbol Added"},
         {"Detail", json{{"symbols", {"NVDA", "TSLA"}}, {"account", "a-17"}}.dump()}},
        {{"Source", "billing"},
         {"DetailType", "Invoice Paid"},
         {"Detail", json{{"symbols", {"AAPL"}}}.dump()}},
        {{"Source", "crm"},
         {"DetailType", "Symbol Added"},
         {"Detail", json{{"account", "a-18"}}.dump()}}}}};
  const Reply reply = serve_->post("/v1/events", body.dump());
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json entries = reply.json()["entries"];
  ASSERT_EQ(entries.size(), 3u) << reply.body;

  EXPECT_EQ(entries[0]["index"], 0);
  EXPECT_EQ(entries[0]["domain"], kEvents);
  EXPECT_EQ(entries[0]["symbols"], 2);
  EXPECT_FALSE(entries[0].contains("error")) << entries[0];
  const std::string batch_id = entries[0].value("batch_id", "");
  ASSERT_FALSE(batch_id.empty()) << reply.body;

  EXPECT_EQ(entries[1]["index"], 1);
  EXPECT_FALSE(entries[1].contains("batch_id"));
  EXPECT_NE(entries[1].value("error", "").find("no domain has a rule for source 'billing'"),
            std::string::npos)
      << entries[1];
  EXPECT_EQ(entries[2]["index"], 2);
  EXPECT_FALSE(entries[2].contains("batch_id"));
  EXPECT_NE(entries[2].value("error", "").find("no 'symbols'"), std::string::npos) << entries[2];

  const json batch = waitComplete(*serve_, kEvents, batch_id);
  ASSERT_TRUE(batch.is_object() && batch["status"] == "complete") << batch.dump();
  EXPECT_EQ(batch["trigger_type"], "event");
  EXPECT_EQ(batch["symbols"], 2);
  EXPECT_EQ(batch["chunks"], 1);
  EXPECT_TRUE(batch["failed_symbols"].empty()) << batch.dump();

  // Exactly the event's symbols, none of the domain's own universe.
  const auto objects = domainObjects(lake(), kEvents);
  EXPECT_EQ(symbolsIn(objects), (std::set<std::string>{"NVDA", "TSLA"}));
  EXPECT_EQ(static_cast<int>(objects.size()), batch["objects_written"].get<int>());
  for (const auto& key : batch["manifest_keys"]) {
    EXPECT_TRUE(fs::exists(lake() / key.get<std::string>())) << key;
  }
  EXPECT_EQ(completionEventsFor(state(), batch_id), 1);
  // The rejected entries started nothing anywhere.
  const Reply batches = serve_->get("/v1/domains/events/batches");
  EXPECT_EQ(batches.json()["batches"].size(), 1u) << batches.body;
}

TEST_F(ServeApiTest, ManualRunsDryRunsAndRefusals) {
  // A manual run of chosen symbols under a chosen batch id.
  const Reply run =
      serve_->post("/v1/domains/events/runs",
                   R"({"symbols":["KO"],"batch_id":"manual-ko","correlation_id":"c-1"})");
  ASSERT_EQ(run.status, 202) << run.body;
  EXPECT_EQ(run.json()["domain"], kEvents);
  EXPECT_EQ(run.json()["batch_id"], "manual-ko");
  EXPECT_EQ(run.json()["trigger_type"], "manual");
  EXPECT_EQ(run.json()["symbols"], 1);
  EXPECT_EQ(run.json()["published"], 1);
  const json batch = waitComplete(*serve_, kEvents, "manual-ko");
  ASSERT_TRUE(batch.is_object() && batch["status"] == "complete") << batch.dump();
  EXPECT_EQ(symbolsIn(domainObjects(lake(), kEvents)), std::set<std::string>{"KO"});
  EXPECT_EQ(completionEventsFor(state(), "manual-ko"), 1);
  const double sent_before = sent(kEvents);
  EXPECT_EQ(sent_before, 1.0);
  // The source's governor is visible: one request let through, none refused, not paused.
  const std::string metrics = serve_->get("/metrics").body;
  EXPECT_EQ(metricValue(metrics, domainSeries("rawfeed_source_requests_total", kEvents)), 1.0)
      << metrics;
  EXPECT_EQ(metricValue(metrics, domainSeries("rawfeed_source_refused_total", kEvents)), 0.0);
  EXPECT_EQ(metricValue(metrics, domainSeries("rawfeed_source_pause_remaining_seconds", kEvents)),
            0.0);
  EXPECT_GT(metricValue(metrics, domainSeries("rawfeed_source_rate", kEvents)).value_or(0), 0.0);
  const Reply overall = serve_->get("/v1/status");
  ASSERT_EQ(overall.status, 200);
  bool seen = false;
  const json overall_json = overall.json();  // kept: a range-for over a temporary's member dangles
  for (const auto& domain : overall_json["domains"]) {
    if (domain["domain"] != kEvents)
      continue;
    seen = true;
    EXPECT_EQ(domain["source"]["requests_total"], 1) << domain.dump();
    EXPECT_EQ(domain["source"]["pause_remaining_seconds"], 0.0) << domain.dump();
  }
  EXPECT_TRUE(seen) << overall.body;

  // A dry run of a 1-minute backfill: the windows the source serves (7 days each, the last 30
  // days only), and nothing enqueued or registered.
  const json backfill = {{"symbols", {"AAPL", "MSFT"}},
                         {"start", utcDaysAgo(20)},
                         {"end", utcDaysAgo(1)},
                         {"interval", "1m"},
                         {"batch_id", "dry-backfill"}};
  const Reply dry = serve_->post("/v1/domains/events/runs?dry_run=true", backfill.dump());
  ASSERT_EQ(dry.status, 200) << dry.body;
  const json plan = dry.json();
  EXPECT_EQ(plan["dry_run"], true);
  EXPECT_EQ(plan["batch_id"], "dry-backfill");
  EXPECT_EQ(plan["symbols"], 2);
  EXPECT_EQ(plan["published"], 0);
  EXPECT_EQ(plan["windows"], (json{{{"start", utcDaysAgo(20)}, {"end", utcDaysAgo(14)}},
                                   {{"start", utcDaysAgo(13)}, {"end", utcDaysAgo(7)}},
                                   {{"start", utcDaysAgo(6)}, {"end", utcDaysAgo(1)}}}))
      << dry.body;
  // One message per window of each chunk.
  EXPECT_EQ(plan["chunks"], 3);

  // Too far back for 1-minute bars: refused with the limit named.
  const json too_old = {{"symbols", {"AAPL"}},
                        {"start", utcDaysAgo(45)},
                        {"end", utcDaysAgo(40)},
                        {"interval", "1m"}};
  const Reply old = serve_->post("/v1/domains/events/runs?dry_run=true", too_old.dump());
  EXPECT_EQ(old.status, 400) << old.body;
  EXPECT_NE(old.body.find("reaches back only 30 days"), std::string::npos) << old.body;

  // Refusals, each leaving the queue and the tracker as they were.
  const std::string trigger = R"({"symbols":["PG"],"batch_id":"refused"})";
  const Reply anonymous = serve_->post("/v1/domains/events/runs", trigger, "");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  const Reply wrong = serve_->post("/v1/domains/events/runs", trigger, "Bearer not-the-token");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  const Reply anonymous_event = serve_->post(
      "/v1/events", R"({"source":"crm","detail-type":"Symbol Added","detail":{"symbols":["PG"]}})",
      "");
  EXPECT_EQ(anonymous_event.status, 401) << anonymous_event.body;
  const Reply unknown = serve_->post("/v1/domains/no-such-domain/runs", trigger);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_NE(unknown.body.find("unknown domain 'no-such-domain'"), std::string::npos);
  const Reply malformed = serve_->post("/v1/domains/events/runs", R"({"symbols":["PG"],)");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  const Reply unknown_field = serve_->post("/v1/domains/events/runs", R"({"symbol":["PG"]})");
  EXPECT_EQ(unknown_field.status, 400) << unknown_field.body;
  // max_body_bytes is 2048 in the config.
  const json oversized = {{"symbols", {"PG"}}, {"correlation_id", std::string(4096, 'x')}};
  const Reply large = serve_->post("/v1/domains/events/runs", oversized.dump());
  EXPECT_EQ(large.status, 413) << large.body;

  for (const Reply* reply : {&anonymous, &wrong, &unknown, &malformed, &large}) {
    EXPECT_TRUE(reply->json().contains("error")) << reply->body;
  }
  EXPECT_EQ(sent(kEvents), sent_before);
  const Reply batches = serve_->get("/v1/domains/events/batches");
  ASSERT_EQ(batches.status, 200);
  ASSERT_EQ(batches.json()["batches"].size(), 1u) << batches.body;
  EXPECT_EQ(batches.json()["batches"][0]["batch_id"], "manual-ko");
  const json status = statusOf(*serve_, kEvents);
  EXPECT_EQ(status["queue"]["visible"], 0);
  EXPECT_EQ(status["queue"]["in_flight"], 0);
  EXPECT_EQ(symbolsIn(domainObjects(lake(), kEvents)), std::set<std::string>{"KO"});
}

}  // namespace
}  // namespace rawfeed::serve_test
