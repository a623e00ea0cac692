#include <gtest/gtest.h>

#include "unit/store_s3/s3_world.h"

namespace rawfeed::store::s3 {
namespace {

using core::ErrorCode;
using testing::FakeS3;
using testing::FakeWorld;
using testing::headerOf;

const PutOptions kCreateOnly{PutMode::kCreateOnly, "application/json", ""};

core::Status fails(ErrorCode code) {
  return core::makeError(code, "x");
}

TEST(S3ConditionalCreateTest, DecisionTable) {
  const core::Status ok;
  struct DecisionCase {
    core::Status first, second;
    std::optional<CreateMethod> method;  // nullopt: undecided, the error is returned
  };
  const DecisionCase cases[] = {
      {ok, fails(ErrorCode::kAlreadyExists), CreateMethod::kIfNoneMatch},  // AWS, moto
      {ok, ok, CreateMethod::kHeadThenPut},                                // fauxqs, s3rver
      {fails(ErrorCode::kPermanent), ok, CreateMethod::kHeadThenPut},      // 501 NotImplemented
      {fails(ErrorCode::kInvalidInput), ok, CreateMethod::kHeadThenPut},   // 400 on the header
      {ok, fails(ErrorCode::kPermanent), CreateMethod::kHeadThenPut},
      {fails(ErrorCode::kAlreadyExists), ok, CreateMethod::kIfNoneMatch},
      {fails(ErrorCode::kUnauthenticated), ok, std::nullopt},
      {fails(ErrorCode::kNotFound), ok, std::nullopt},  // no bucket
      {fails(ErrorCode::kThrottled), ok, std::nullopt},
      {ok, fails(ErrorCode::kTransient), std::nullopt},
  };
  for (const DecisionCase& c : cases) {
    auto decision = decideFromProbe(c.first, c.second);
    ASSERT_EQ(decision.ok(), c.method.has_value());
    if (c.method) {
      EXPECT_EQ(*decision, *c.method);
    }
  }
}

TEST(S3ConditionalCreateTest, AServerThatHonoursTheHeaderGetsOneRequestPerCreate) {
  FakeWorld world;
  auto store = world.make();
  ASSERT_TRUE(store->checkBucket().ok());
  EXPECT_EQ(store->createMethod(), CreateMethod::kIfNoneMatch);
  EXPECT_EQ(world.s3.objectCount(), 0u);  // the probe cleaned up after itself
  const std::size_t before = world.s3.requests().size();

  EXPECT_EQ(store->put("k", "first", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(store->put("k", "second", kCreateOnly).value(), PutOutcome::kAlreadyExists);
  const auto requests = world.s3.requests();
  ASSERT_EQ(requests.size(), before + 2);
  for (std::size_t i = before; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].method, "PUT");
    EXPECT_EQ(headerOf(requests[i], "if-none-match"), "*");
    EXPECT_NE(headerOf(requests[i], "authorization").find("if-none-match"), std::string::npos);
  }
  EXPECT_EQ(store->get("k").value(), "first");
  const auto events = world.logger.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "s3_conditional_create");
}

TEST(S3ConditionalCreateTest, AServerThatIgnoresTheHeaderFallsBackToHeadThenPutLoggedOnce) {
  FakeWorld world;
  world.s3.setIfNoneMatch(FakeS3::IfNoneMatch::kIgnore);
  auto store = world.make();
  // No checkBucket(): the first create-only put probes.
  EXPECT_EQ(store->put("k", "first", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(store->createMethod(), CreateMethod::kHeadThenPut);
  EXPECT_EQ(store->put("k", "second", kCreateOnly).value(), PutOutcome::kAlreadyExists);
  EXPECT_EQ(store->put("k2", "x", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(store->get("k").value(), "first");

  std::vector<std::string> calls;
  for (const auto& request : world.s3.requests()) {
    std::string call = request.method;
    if (request.url.find("_rawfeed/probes/conditional-create-") != std::string::npos)
      call += " probe";
    calls.push_back(call);
  }
  EXPECT_EQ(calls, (std::vector<std::string>{"PUT probe", "PUT probe", "DELETE probe", "HEAD",
                                             "PUT", "HEAD", "HEAD", "PUT", "GET"}));
  EXPECT_EQ(world.s3.objectCount(), 2u);
  const auto events = world.logger.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].level, observe::Level::kWarn);
  EXPECT_EQ(events[0].event, "s3_conditional_create_unsupported");
}

TEST(S3ConditionalCreateTest, AServerThatRefusesTheHeaderFallsBackToo) {
  FakeWorld world;
  world.s3.setIfNoneMatch(FakeS3::IfNoneMatch::kRefuse);
  auto store = world.make();
  ASSERT_TRUE(store->checkBucket().ok());
  EXPECT_EQ(store->createMethod(), CreateMethod::kHeadThenPut);
  EXPECT_EQ(store->put("k", "first", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(world.s3.objectCount(), 1u);
}

TEST(S3ConditionalCreateTest, AFailedProbeDecidesNothingAndIsTriedAgain) {
  FakeWorld world;
  auto options = FakeWorld::options();
  options.max_retries = 0;
  auto store = world.make(options);
  world.s3.script(403, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>");
  auto put = store->put("k", "v", kCreateOnly);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(store->createMethod(), std::nullopt);
  EXPECT_EQ(store->put("k", "v", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(store->createMethod(), CreateMethod::kIfNoneMatch);
}

TEST(S3ConditionalCreateTest, AlwaysAndNeverSkipTheProbe) {
  FakeWorld always_world;
  always_world.s3.setIfNoneMatch(FakeS3::IfNoneMatch::kIgnore);
  auto options = FakeWorld::options();
  options.conditional_create = ConditionalCreate::kAlways;
  auto always = always_world.make(options);
  EXPECT_EQ(always->put("k", "v", kCreateOnly).value(), PutOutcome::kWritten);
  ASSERT_EQ(always_world.s3.requests().size(), 1u);
  EXPECT_EQ(headerOf(always_world.s3.requests()[0], "if-none-match"), "*");

  FakeWorld never_world;
  options.conditional_create = ConditionalCreate::kNever;
  auto never = never_world.make(options);
  ASSERT_TRUE(never->checkBucket().ok());
  EXPECT_EQ(never->put("k", "v", kCreateOnly).value(), PutOutcome::kWritten);
  const auto requests = never_world.s3.requests();
  ASSERT_EQ(requests.size(), 3u);  // the bucket check, HEAD, PUT
  EXPECT_EQ(requests[1].method, "HEAD");
  EXPECT_EQ(headerOf(requests[2], "if-none-match"), "");
  EXPECT_TRUE(never_world.logger.events().empty());
}

}  // namespace
}  // namespace rawfeed::store::s3
