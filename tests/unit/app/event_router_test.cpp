#include "app/event_router.h"

#include <gtest/gtest.h>

#include "support/fakes/recording_logger.h"

namespace rawfeed::app {
namespace {

pipeline::IncomingEvent event(std::string source, std::string detail_type,
                              std::string detail = R"({"symbols":["AAPL","MSFT"]})") {
  return {std::move(source), std::move(detail_type), std::move(detail), ""};
}

struct Started {
  std::string domain;
  pipeline::TriggerEvent trigger;
};

class EventRouterTest : public ::testing::Test {
 protected:
  EventRouter router(std::map<std::string, std::vector<config::EventRule>> rules) {
    return EventRouter(
        std::move(rules),
        [this](const std::string& domain,
               const pipeline::TriggerEvent& trigger) -> core::Result<server::BatchStarted> {
          started_.push_back({domain, trigger});
          if (domain == refusing_)
            return core::makeError(core::ErrorCode::kInvalidInput, "refused by " + domain);
          server::BatchStarted batch;
          batch.domain = domain;
          batch.batch_id = domain + "-batch";
          batch.symbols = static_cast<std::int64_t>(trigger.symbols->size());
          batch.chunks = 1;
          return batch;
        },
        logger_);
  }

  std::vector<Started> started_;
  std::string refusing_;
  fakes::RecordingLogger logger_;
};

TEST_F(EventRouterTest, ARuleMatchesOnSourceAndDetailTypeAnEmptyFieldOnAnything) {
  auto routing = router({{"any-detail", {{"acme.listings", ""}}},
                         {"any-source", {{"", "ListingAdded"}}},
                         {"exact", {{"acme.listings", "ListingAdded"}}},
                         {"other", {{"acme.prices", "PriceChanged"}}},
                         {"second-rule", {{"x", "y"}, {"acme.listings", "ListingAdded"}}}});
  const struct {
    pipeline::IncomingEvent event;
    std::vector<std::string> domains;
  } cases[] = {
      {event("acme.listings", "ListingAdded"),
       {"any-detail", "any-source", "exact", "second-rule"}},
      {event("acme.listings", "ListingRemoved"), {"any-detail"}},
      {event("elsewhere", "ListingAdded"), {"any-source"}},
      {event("acme.prices", "PriceChanged"), {"other"}},
      {event("", ""), {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(routing.matchingDomains(c.event), c.domains)
        << c.event.source << " / " << c.event.detail_type;
  }
}

TEST_F(EventRouterTest, EachMatchingDomainStartsABatchOfTheEventsSymbols) {
  auto routing = router(
      {{"customer-data", {{"acme.listings", ""}}}, {"product-data", {{"", "ListingAdded"}}}});
  const auto outcomes = routing.route({event(
      "acme.listings", "ListingAdded", R"({"symbols":["AAPL","MSFT","IBM"],"domain":"ignored"})")});
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].domain, "customer-data");
  EXPECT_EQ(outcomes[0].batch_id, "customer-data-batch");
  EXPECT_EQ(outcomes[0].symbols, 3);
  EXPECT_EQ(outcomes[0].chunks, 1);
  EXPECT_TRUE(outcomes[0].error.empty());
  EXPECT_EQ(outcomes[1].domain, "product-data");
  ASSERT_EQ(started_.size(), 2u);
  for (const auto& start : started_) {
    EXPECT_EQ(start.trigger.trigger_type, "event");
    EXPECT_FALSE(start.trigger.domain.has_value());  // the rule chose the domain
  }
  EXPECT_TRUE(logger_.events("event_rejected").empty());
}

TEST_F(EventRouterTest, AnEntryThatStartsNothingIsAnErrorOfItsOwnAndTheOthersGoOn) {
  auto routing = router({{"customer-data", {{"acme.listings", "ListingAdded"}}}});
  pipeline::IncomingEvent unreadable = event("acme.listings", "ListingAdded");
  unreadable.error = "entry 0 has no Detail";
  const auto outcomes = routing.route({
      unreadable,
      event("acme.prices", "PriceChanged"),
      event("acme.listings", "ListingAdded", R"({"symbols":[]})"),
      event("acme.listings", "ListingAdded", R"({"symbols":"AAPL"})"),
      event("acme.listings", "ListingAdded"),
  });
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[0].error, "entry 0 has no Detail");
  EXPECT_EQ(outcomes[1].error,
            "no domain has a rule for source 'acme.prices' and detail-type 'PriceChanged'");
  EXPECT_EQ(outcomes[2].error, "the event's detail has no 'symbols' to collect");
  EXPECT_FALSE(outcomes[3].error.empty());  // the detail's own error
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(outcomes[i].index, i);
    EXPECT_TRUE(outcomes[i].domain.empty());
  }
  EXPECT_EQ(outcomes[4].index, 4u);
  EXPECT_TRUE(outcomes[4].error.empty());
  EXPECT_EQ(started_.size(), 1u);
  const auto rejected = logger_.events("event_rejected");
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[1].fields.at("source"), "acme.prices");
  EXPECT_EQ(rejected[1].fields.at("detail_type"), "PriceChanged");
}

TEST_F(EventRouterTest, ADomainThatRefusesTheBatchIsAnErrorNamingIt) {
  refusing_ = "customer-data";
  auto routing = router({{"customer-data", {{"", ""}}}, {"product-data", {{"", ""}}}});
  const auto outcomes = routing.route({event("s", "d")});
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].domain, "customer-data");
  EXPECT_EQ(outcomes[0].error, "refused by customer-data");
  EXPECT_EQ(outcomes[1].domain, "product-data");
  EXPECT_TRUE(outcomes[1].error.empty());
}

}  // namespace
}  // namespace rawfeed::app
