#include "sources/yahoo/yahoo_source.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "support/fakes/fixed_random.h"
#include "unit/sources/yahoo_test_helpers.h"

namespace rawfeed::sources::yahoo {
namespace {

using std::chrono::milliseconds;

const char* const kSourceOkBody =
    R"({"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York","gmtoffset":-18000},)"
    R"("timestamp":[1577975400],"indicators":{"quote":[{"open":[74.06],"high":[75.15],)"
    R"("low":[73.8],"close":[75.0875015258789],"volume":[135480400]}]}}],"error":null}})";
const char* const kNotFoundBody =
    R"({"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}})";

class YahooSourceTest : public ::testing::Test {
 protected:
  YahooSourceOptions options() {
    YahooSourceOptions o;
    o.base_url = "http://127.0.0.1:9";
    o.user_agent = "Mozilla/5.0 test";
    o.timeout = milliseconds(1234);
    return o;
  }

  std::vector<FetchResult> fetch(YahooSource& source, const std::string& symbol = "AAPL") {
    std::vector<FetchResult> results;
    FetchRequest request;
    request.symbol = symbol;
    request.window = TimeWindow{1577836800, 1578009600};
    source.fetch(request, [&](FetchResult r) { results.push_back(std::move(r)); });
    return results;
  }

  fakes::FakeHttpClient http_;
  // 2030-01-01T00:00:00Z; a steady reading that is not SteadyTime{} ("at once").
  fakes::FakeClock clock_{test::at(1893456000), core::SteadyTime(std::chrono::hours(1000))};
  fakes::FixedRandom random_{{0.5, 0.25, 0.75}};
};

TEST_F(YahooSourceTest, SendsABrowserLikeGetAndDecodes) {
  http_.answer(200, kSourceOkBody);
  YahooSource source(http_, clock_, random_, options());
  const auto results = fetch(source, "^GSPC");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk);
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_EQ(results[0].http_status, 200);
  EXPECT_EQ(results[0].symbol, "^GSPC");
  ASSERT_EQ(results[0].days.size(), 1u);
  EXPECT_EQ(*results[0].days[0].records[0].close, "75.0875015258789");

  ASSERT_EQ(http_.requests().size(), 1u);
  const auto request = http_.requests()[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url,
            "http://127.0.0.1:9/v8/finance/chart/%5EGSPC?interval=1d&period1=1577836800"
            "&period2=1578009600&events=div%7Csplit%7CcapitalGains&includePrePost=false");
  EXPECT_EQ(request.timeout, milliseconds(1234));
  EXPECT_EQ(request.not_before, core::SteadyTime{});
  const http::Headers want{{"User-Agent", "Mozilla/5.0 test"}, {"Accept", "application/json"}};
  EXPECT_EQ(request.headers, want);
  EXPECT_EQ(random_.draws(), 0);
}

// Decoding on the source's own thread (what the registry's source does): the answer is decoded
// there, not on the client's thread, and a source destroyed right after the answer came still
// delivers it.
TEST_F(YahooSourceTest, DecodesOnItsOwnThreadWhenAsked) {
  http_.answer(200, kSourceOkBody);
  http_.answer(200, kNotFoundBody);
  auto own = options();
  own.decode_on_own_thread = true;
  std::promise<std::thread::id> decoded_on;
  std::vector<FetchResult> results;
  {
    YahooSource source(http_, clock_, random_, own);
    FetchRequest request;
    request.symbol = "AAPL";
    request.window = TimeWindow{1577836800, 1578009600};
    source.fetch(request, [&](FetchResult r) {
      results.push_back(std::move(r));
      decoded_on.set_value(std::this_thread::get_id());
    });
    auto thread = decoded_on.get_future();
    ASSERT_EQ(thread.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_NE(thread.get(), std::this_thread::get_id());
    request.symbol = "GONE";
    source.fetch(request, [&](FetchResult r) { results.push_back(std::move(r)); });
  }
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk);
  ASSERT_EQ(results[0].days.size(), 1u);
  EXPECT_EQ(results[1].symbol, "GONE");
  EXPECT_EQ(results[1].outcome, FetchOutcome::kNotFound);
}

struct RetryCase {
  const char* name;
  int status;  // 0: transport error
  FetchOutcome outcome;
};

TEST_F(YahooSourceTest, RetriesTwiceWithJitteredBackoffThenGivesUp) {
  const RetryCase cases[] = {
      {"429", 429, FetchOutcome::kThrottled},
      {"503", 503, FetchOutcome::kTransient},
      {"reset", 0, FetchOutcome::kTransient},
      {"unreadable 200", 200, FetchOutcome::kTransient},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fakes::FakeHttpClient http;
    fakes::FixedRandom random({0.5, 0.25, 0.75});
    for (int i = 0; i < 3; ++i) {
      if (c.status == 0) {
        http.fail(core::ErrorCode::kTransient, "connection reset");
      } else {
        http.answer(c.status, c.status == 200 ? "{not json" : "Too Many Requests\r\n");
      }
    }
    YahooSource source(http, clock_, random, options());
    const auto results = fetch(source);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, c.outcome);
    EXPECT_EQ(results[0].attempts, 3);
    EXPECT_EQ(results[0].http_status, c.status);
    EXPECT_NE(results[0].reason.find("(after 3 attempts)"), std::string::npos) << results[0].reason;
    ASSERT_EQ(http.requests().size(), 3u);
    // Full jitter: 0.5 * 500ms, then 0.25 * 1000ms.
    EXPECT_EQ(http.requests()[1].not_before, clock_.steadyNow() + milliseconds(250));
    EXPECT_EQ(http.requests()[2].not_before, clock_.steadyNow() + milliseconds(250));
    EXPECT_EQ(random.draws(), 2);
    EXPECT_EQ(http.requests()[2].url, http.requests()[0].url);
  }
}

TEST_F(YahooSourceTest, BlockedAnswersAreNotRetried) {
  const std::pair<int, const char*> answers[] = {
      {403, "Forbidden"},
      {401,
       R"({"chart":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}})"},
      {200, "<!DOCTYPE html><html><body>consent</body></html>"},
      {302, ""}};
  for (const auto& [status, body] : answers) {
    SCOPED_TRACE(status);
    fakes::FakeHttpClient http;
    http.answer(status, body);
    // Without a session to try (yahoo_session_test.cpp has what auto does with a 401/403).
    auto never = options();
    never.session = SessionMode::kNever;
    YahooSource source(http, clock_, random_, never);
    const auto results = fetch(source);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, FetchOutcome::kBlocked);
    EXPECT_EQ(results[0].attempts, 1);
    EXPECT_EQ(http.requests().size(), 1u);
  }
}

TEST_F(YahooSourceTest, GovernedA429IsResentAtOnceWithoutSpendingRetries) {
  fakes::FakeHttpClient http;
  for (int i = 0; i < 4; ++i)
    http.answer(429, "Too Many Requests\r\n");
  http.answer(200,
              R"({"chart":{"result":[{"meta":{},"indicators":{"quote":[{}]}}],"error":null}})");
  auto governed = options();
  governed.governed = true;
  governed.max_retries = 0;
  governed.throttle_wait = std::chrono::seconds(60);
  YahooSource source(http, clock_, random_, governed);
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kEmpty);
  ASSERT_EQ(http.requests().size(), 5u);
  for (std::size_t i = 0; i < http.requests().size(); ++i) {
    // The governor, not a backoff, spaces them.
    EXPECT_EQ(http.requests()[i].not_before, i == 0 ? core::SteadyTime{} : clock_.steadyNow());
    EXPECT_EQ(http.requests()[i].pause_horizon, clock_.steadyNow() + std::chrono::seconds(60));
  }
}

TEST_F(YahooSourceTest, GovernedAHostPausedBeyondTheHorizonEndsThrottledAtOnce) {
  fakes::FakeHttpClient http;
  http.fail(core::ErrorCode::kThrottled, "source http://x paused by its rate limit for 600 s more");
  auto governed = options();
  governed.governed = true;
  YahooSource source(http, clock_, random_, governed);
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kThrottled);
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_NE(results[0].reason.find("paused by its rate limit"), std::string::npos);
}

TEST_F(YahooSourceTest, TransportErrorReasonNamesTheError) {
  for (int i = 0; i < 3; ++i) {
    http_.fail(core::ErrorCode::kTransient, "connect timed out");
  }
  YahooSource source(http_, clock_, random_, options());
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].reason, "no response: transient: connect timed out (after 3 attempts)");
}

TEST_F(YahooSourceTest, SucceedsOnASecondAttempt) {
  http_.answer(500, "oops");
  http_.answer(200, kSourceOkBody);
  YahooSource source(http_, clock_, random_, options());
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk);
  EXPECT_EQ(results[0].attempts, 2);
  EXPECT_EQ(results[0].http_status, 200);
  EXPECT_EQ(results[0].reason, "");
}

TEST_F(YahooSourceTest, RetryAfterIsHonouredAndCappedAtBackoffMax) {
  http_.answer(429, "", {{"retry-after", "3"}});
  http_.answer(429, "", {{"retry-after", "120"}});
  http_.answer(200, kSourceOkBody);
  YahooSource source(http_, clock_, random_, options());
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk);
  ASSERT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(http_.requests()[1].not_before, clock_.steadyNow() + milliseconds(3000));
  EXPECT_EQ(http_.requests()[2].not_before, clock_.steadyNow() + milliseconds(10000));
  EXPECT_EQ(random_.draws(), 0);
}

TEST_F(YahooSourceTest, RetryAfterAsHttpDate) {
  // clock_.now() is 2030-01-01T00:00:00Z.
  http_.answer(503, "", {{"retry-after", "Tue, 01 Jan 2030 00:00:07 GMT"}});
  http_.answer(200, kSourceOkBody);
  YahooSource source(http_, clock_, random_, options());
  ASSERT_EQ(fetch(source).size(), 1u);
  EXPECT_EQ(http_.requests().at(1).not_before, clock_.steadyNow() + milliseconds(7000));
}

TEST_F(YahooSourceTest, PermanentAndFinalOutcomesAreNotRetried) {
  const std::pair<int, std::string> cases[] = {
      {404, kNotFoundBody},
      {400, R"({"chart":{"result":null,"error":{"code":"Bad Request","description":"x"}}})"},
      {422, "{}"},
      {200, R"({"chart":{"result":[{"meta":{},"indicators":{"quote":[{}]}}],"error":null}})"},
  };
  for (const auto& [status, body] : cases) {
    SCOPED_TRACE(status);
    fakes::FakeHttpClient http;
    http.answer(status, body);
    YahooSource source(http, clock_, random_, options());
    const auto results = fetch(source);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].attempts, 1);
    EXPECT_EQ(http.requests().size(), 1u);
  }
}

TEST_F(YahooSourceTest, NotFoundReasonIsYahoosDescription) {
  http_.answer(404, kNotFoundBody);
  YahooSource source(http_, clock_, random_, options());
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kNotFound);
  EXPECT_TRUE(isPermanent(results[0].outcome));
  EXPECT_EQ(results[0].reason, "404 Not Found: No data found, symbol may be delisted");
  EXPECT_EQ(results[0].http_status, 404);
}

TEST_F(YahooSourceTest, CancelledAndInvalidUrlAreNotRetried) {
  http_.fail(core::ErrorCode::kCancelled, "shutting down");
  http_.fail(core::ErrorCode::kInvalidInput, "bad URL");
  YahooSource source(http_, clock_, random_, options());
  const auto cancelled = fetch(source);
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].outcome, FetchOutcome::kTransient);
  EXPECT_EQ(cancelled[0].attempts, 1);
  const auto invalid = fetch(source);
  ASSERT_EQ(invalid.size(), 1u);
  EXPECT_EQ(invalid[0].outcome, FetchOutcome::kBadRequest);
  EXPECT_EQ(invalid[0].reason, "no response: invalid_input: bad URL");
}

TEST_F(YahooSourceTest, MaxRetriesZeroMeansOneAttempt) {
  http_.answer(429, "");
  auto o = options();
  o.max_retries = 0;
  YahooSource source(http_, clock_, random_, o);
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kThrottled);
}

TEST_F(YahooSourceTest, WithADeadlineAThrottledSymbolIsRetriedWhileTheRetryStartsInTime) {
  // max_retries is 2, but four 429s are waited out: each retry still starts before start_by.
  for (int i = 0; i < 4; ++i)
    http_.answer(429, "Too Many Requests\r\n");
  http_.answer(200, kSourceOkBody);
  YahooSource source(http_, clock_, random_, options());
  std::vector<FetchResult> results;
  FetchRequest request;
  request.symbol = "AAPL";
  request.start_by = clock_.steadyNow() + std::chrono::seconds(60);
  source.fetch(request, [&](FetchResult r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk);
  EXPECT_EQ(results[0].attempts, 5);
  ASSERT_EQ(http_.requests().size(), 5u);
  for (const auto& sent : http_.requests())
    EXPECT_EQ(sent.start_by, *request.start_by);
}

TEST_F(YahooSourceTest, NoRetryStartsAfterTheDeadlineAndTransientsKeepTheirBudget) {
  http_.answer(429, "Too Many Requests\r\n");
  YahooSource source(http_, clock_, random_, options());
  std::vector<FetchResult> results;
  FetchRequest request;
  request.symbol = "AAPL";
  request.start_by = clock_.steadyNow() + milliseconds(10);  // any backoff ends after it
  source.fetch(request, [&](FetchResult r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kThrottled);
  EXPECT_EQ(results[0].attempts, 1);

  // A 5xx is no rate limit: the deadline does not extend its max_retries.
  for (int i = 0; i < 3; ++i)
    http_.answer(503, "Service Unavailable");
  results.clear();
  request.start_by = clock_.steadyNow() + std::chrono::seconds(60);
  source.fetch(request, [&](FetchResult r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kTransient);
  EXPECT_EQ(results[0].attempts, 3);
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
