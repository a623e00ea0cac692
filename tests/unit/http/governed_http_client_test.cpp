#include "http/governor/governed_http_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <vector>

#include "http/governor/file_fleet_store.h"
#include "support/fakes/fake_http_client.h"

namespace rawfeed::http::governor {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using fakes::FakeHttpClient;

// The client behind the governor answers every request at once, on the sending thread.
const FakeHttpClient::Responder kAlways200 = FakeHttpClient::always(200);

// Collects completions and lets a test wait for N of them.
class Completions {
 public:
  HttpClient::Callback callback() {
    return [this](core::Result<HttpResponse> result) {
      std::lock_guard lock(mutex_);
      results_.push_back(std::move(result));
      changed_.notify_all();
    };
  }
  std::vector<core::Result<HttpResponse>> waitFor(std::size_t n, milliseconds limit = seconds(10)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, limit, [&] { return results_.size() >= n; });
    return results_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<core::Result<HttpResponse>> results_;
};

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

std::filesystem::path freshGovernedDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("rawfeed-governed-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(GovernedHttpClientTest, OriginsAreSchemeHostAndPortLowerCased) {
  EXPECT_EQ(originOf("https://Query2.Finance.Yahoo.com/v8/finance/chart/AAPL?x=1"),
            "https://query2.finance.yahoo.com");
  EXPECT_EQ(originOf("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(originOf("http://h?q"), "http://h");
  EXPECT_FALSE(originOf("/relative/path"));
  EXPECT_FALSE(originOf("http://"));
}

TEST(GovernedHttpClientTest, AnswersAreClassifiedForTheGovernor) {
  auto response = [](int status, bool retry_after) {
    HttpResponse r;
    r.status = status;
    if (retry_after)
      r.headers.emplace_back("retry-after", "3");
    return core::Result<HttpResponse>(r);
  };
  EXPECT_EQ(classifyAnswer(response(200, false)), Signal::kSuccess);
  EXPECT_EQ(classifyAnswer(response(404, false)), Signal::kSuccess);
  EXPECT_EQ(classifyAnswer(response(429, false)), Signal::kThrottled);
  EXPECT_EQ(classifyAnswer(response(503, true)), Signal::kThrottled);
  EXPECT_EQ(classifyAnswer(response(503, false)), Signal::kNeutral);
  EXPECT_EQ(classifyAnswer(response(401, false)), Signal::kNeutral);
  EXPECT_EQ(classifyAnswer(core::makeError(core::ErrorCode::kTransient, "reset")),
            Signal::kNeutral);
}

TEST(GovernedHttpClientTest, PacesEveryRequestToAHostAndLetsOtherHostsGoTheirOwnWay) {
  FakeHttpClient inner{kAlways200};
  GovernedHttpClientOptions options;
  options.settings.initial_rate = 50;
  options.settings.max_rate = 50;
  GovernedHttpClient client(inner, core::systemClock(), options);
  Completions done;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i)
    client.send(get("http://a.example/x"), done.callback());
  client.send(get("http://b.example/y"), done.callback());
  const auto results = done.waitFor(21);
  ASSERT_EQ(results.size(), 21u);
  for (const auto& result : results)
    EXPECT_TRUE(result.ok());
  // 20 at 50/s: the first at once, then one every 20 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(350));
  const auto hosts = client.status();
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[0].origin, "http://a.example");
  EXPECT_EQ(hosts[0].governor.requests, 20u);
  EXPECT_EQ(hosts[1].governor.requests, 1u);
}

// The slot an answer frees goes to the oldest waiting request before the answer's callback
// returns, on the answering thread: a hop through the dispatcher thread kept slots empty.
TEST(GovernedHttpClientTest, AnAnswerHandsItsSlotToTheNextRequestAtOnce) {
  FakeHttpClient inner;
  inner.hold();
  GovernedHttpClientOptions options;
  options.settings.adaptive = false;
  options.settings.max_in_flight = 1;
  GovernedHttpClient client(inner, core::systemClock(), options);
  Completions done;
  for (const char* path : {"/1", "/2", "/3"})
    client.send(get(std::string("http://a.example") + path), done.callback());
  ASSERT_EQ(inner.requestCount(), 1u);
  for (std::size_t answered = 1; answered <= 3; ++answered) {
    ASSERT_TRUE(inner.respond(200));
    // Right after the answer, without waiting: the next one is out already.
    EXPECT_EQ(inner.requestCount(), std::min<std::size_t>(answered + 1, 3)) << answered;
  }
  ASSERT_EQ(done.waitFor(3).size(), 3u);
  const auto sent = inner.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1].url, "http://a.example/2");
  EXPECT_EQ(sent[2].url, "http://a.example/3");
}

TEST(GovernedHttpClientTest, RetriesGoBeforeFirstAttempts) {
  std::mutex mutex;
  std::vector<std::string> order;
  FakeHttpClient inner([&](const HttpRequest& request) -> FakeHttpClient::Answer {
    std::lock_guard lock(mutex);
    order.push_back(request.url);
    return FakeHttpClient::response(200);
  });
  GovernedHttpClientOptions options;
  options.settings.initial_rate = 5;
  options.settings.max_rate = 5;
  GovernedHttpClient client(inner, core::systemClock(), options);
  Completions done;
  for (const char* path : {"a1", "a2", "a3"})
    client.send(get(std::string("http://a.example/") + path), done.callback());
  HttpRequest retry = get("http://a.example/r");
  retry.attempt = 2;
  client.send(retry, done.callback());
  ASSERT_EQ(done.waitFor(4).size(), 4u);
  std::lock_guard lock(mutex);
  const auto at = [&](const std::string& path) {
    return std::find(order.begin(), order.end(), "http://a.example/" + path) - order.begin();
  };
  EXPECT_LT(at("r"), at("a2"));
  EXPECT_LT(at("a2"), at("a3"));
}

TEST(GovernedHttpClientTest, ABurstOf429sPausesTheHostAndWaitersBeyondTheirHorizonFailAtOnce) {
  FakeHttpClient inner{FakeHttpClient::always(429)};
  GovernedHttpClientOptions options;
  options.settings.initial_rate = 1000;
  options.settings.initial_in_flight = 2;
  options.settings.pause_min = seconds(30);
  GovernedHttpClient client(inner, core::systemClock(), options);
  Completions done;
  for (int i = 0; i < 2; ++i)
    client.send(get("http://a.example/x"), done.callback());
  done.waitFor(2);
  EXPECT_GT(client.pauseRemaining("http://a.example/anything"), seconds(25));
  // Willing to wait 1 s for a pause of 30: refused here, never sent.
  HttpRequest patient = get("http://a.example/x");
  patient.pause_horizon = std::chrono::steady_clock::now() + seconds(1);
  client.send(patient, done.callback());
  const auto results = done.waitFor(3);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().code, core::ErrorCode::kThrottled);
  EXPECT_NE(results[2].error().message.find("paused by its rate limit"), std::string::npos);
  EXPECT_EQ(inner.requestCount(), 2u);
  // One without a horizon waits; stop() cancels it.
  client.send(get("http://a.example/x"), done.callback());
  client.stop();
  const auto all = done.waitFor(4);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].error().code, core::ErrorCode::kCancelled);
  EXPECT_EQ(inner.requestCount(), 2u);
}

TEST(GovernedHttpClientTest, TheFleetSharesTheBudgetAndAPauseAndTheNextProcessStartsFromIt) {
  const auto dir = freshGovernedDir("fleet");
  FileFleetStore store(dir);
  FakeHttpClient inner_a{kAlways200};
  FakeHttpClient inner_b{kAlways200};
  GovernedHttpClientOptions options;
  options.settings.initial_rate = 40;
  options.settings.pause_min = seconds(20);
  options.fleet = &store;
  options.sync_interval = milliseconds(100);
  options.member_id = "a";
  auto a = std::make_unique<GovernedHttpClient>(inner_a, core::systemClock(), options);
  options.member_id = "b";
  auto b = std::make_unique<GovernedHttpClient>(inner_b, core::systemClock(), options);
  Completions done;
  a->send(get("http://src.example/1"), done.callback());
  b->send(get("http://src.example/1"), done.callback());
  done.waitFor(2);
  // Both are members after a sync or two: each paces half of the budget.
  const auto deadline = std::chrono::steady_clock::now() + seconds(5);
  while (std::chrono::steady_clock::now() < deadline &&
         (a->status()[0].live_members != 2 || b->status()[0].live_members != 2)) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(a->status()[0].live_members, 2);
  EXPECT_EQ(b->status()[0].live_members, 2);
  EXPECT_LE(a->status()[0].governor.rate, 21);
  // A is throttled twice in a row: its pause reaches B through the store.
  inner_a.otherwise(FakeHttpClient::always(429));
  a->send(get("http://src.example/2"), done.callback());
  a->send(get("http://src.example/3"), done.callback());
  done.waitFor(4);
  EXPECT_GT(a->pauseRemaining("http://src.example/"), seconds(15));
  const auto until = std::chrono::steady_clock::now() + seconds(5);
  while (std::chrono::steady_clock::now() < until &&
         b->pauseRemaining("http://src.example/") < seconds(15)) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_GT(b->pauseRemaining("http://src.example/"), seconds(15));
  const std::size_t b_sent = inner_b.requestCount();
  HttpRequest patient = get("http://src.example/4");
  patient.pause_horizon = std::chrono::steady_clock::now() + seconds(1);
  b->send(patient, done.callback());
  const auto results = done.waitFor(5);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[4].error().code, core::ErrorCode::kThrottled);
  EXPECT_EQ(inner_b.requestCount(), b_sent);  // B never touched the paused host
  // Both leave; a new process starts from the record: the pause still holds, the ceiling known.
  a.reset();
  b.reset();
  FakeHttpClient inner_c{kAlways200};
  options.member_id = "c";
  GovernedHttpClient c(inner_c, core::systemClock(), options);
  HttpRequest probe = get("http://src.example/5");
  probe.pause_horizon = std::chrono::steady_clock::now() + seconds(1);
  c.send(probe, done.callback());
  const auto after = done.waitFor(6);
  ASSERT_EQ(after.size(), 6u);
  EXPECT_EQ(after[5].error().code, core::ErrorCode::kThrottled);
  EXPECT_EQ(inner_c.requestCount(), 0u);
  const auto status = c.status();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_GT(status[0].fleet_rate, 0);  // the learned rate outlives the processes
  EXPECT_EQ(status[0].live_members, 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rawfeed::http::governor
