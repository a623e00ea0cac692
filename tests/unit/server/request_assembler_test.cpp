#include "server/request_assembler.h"

#include <gtest/gtest.h>

namespace rawfeed::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const core::SteadyTime kAssemblerT0{seconds(1000)};
constexpr const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

AssemblyLimits testLimits() {
  AssemblyLimits limits;
  limits.head_timeout = seconds(10);
  limits.body_timeout = seconds(30);
  limits.idle_timeout = seconds(2);
  limits.write_timeout = seconds(5);
  limits.max_head_bytes = 1024;
  limits.max_body_bytes = 16;
  limits.max_requests = 3;
  return limits;
}

class RequestAssemblerTest : public ::testing::Test {
 protected:
  // Answers the request in progress with `response` and sends all of it.
  void answer(RequestAssembler& assembler, core::SteadyTime now, std::string response = kOk,
              bool close = false) {
    assembler.onHandled({std::move(response), close, false}, now);
    assembler.onSent(assembler.pendingOutput().size(), now);
  }

  BodyBudget budget_{1 << 20};
};

TEST_F(RequestAssemblerTest, TricklingDoesNotMoveTheHeadDeadline) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  const std::string head = "GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  for (std::size_t i = 0; i < head.size(); ++i) {
    assembler.onInput(head.substr(i, 1), kAssemblerT0 + milliseconds(200 * i));
  }
  ASSERT_EQ(assembler.deadline(), kAssemblerT0 + seconds(10));
  assembler.onDeadline(kAssemblerT0 + seconds(10) - milliseconds(1));
  EXPECT_TRUE(assembler.pendingOutput().empty());
  EXPECT_TRUE(assembler.waitingOnClient());

  assembler.onDeadline(kAssemblerT0 + seconds(10));
  EXPECT_EQ(assembler.pendingOutput().substr(0, 12), "HTTP/1.1 408");
  EXPECT_NE(assembler.pendingOutput().find("Connection: close"), std::string::npos);
  EXPECT_FALSE(assembler.wantsInput());
  EXPECT_FALSE(assembler.finished());
  assembler.onSent(assembler.pendingOutput().size(), kAssemblerT0 + seconds(10));
  EXPECT_TRUE(assembler.finished());
  EXPECT_EQ(assembler.closeReason(), CloseReason::kHeadTimeout);
  EXPECT_FALSE(assembler.takeRequest());
}

TEST_F(RequestAssemblerTest, AConnectionThatSendsNothingIsClosedQuietly) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onDeadline(kAssemblerT0 + seconds(10));
  EXPECT_TRUE(assembler.finished());
  EXPECT_TRUE(assembler.pendingOutput().empty());
  EXPECT_EQ(assembler.closeReason(), CloseReason::kHeadTimeout);
}

TEST_F(RequestAssemblerTest, AWholeRequestIsHandedOverAndTheConnectionKeptAlive) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("GET /healthz?x=1 HTTP/1.1\r\nHost: x\r\n\r\n", kAssemblerT0 + seconds(1));
  auto request = assembler.takeRequest();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->bytes, "GET /healthz?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(request->path, "/healthz");
  EXPECT_FALSE(request->probe);
  EXPECT_FALSE(request->last);
  // While it is handled: nothing read, no deadline, not the client's to lose.
  EXPECT_FALSE(assembler.wantsInput());
  EXPECT_FALSE(assembler.deadline());
  EXPECT_FALSE(assembler.waitingOnClient());

  assembler.onHandled({kOk, false, false}, kAssemblerT0 + seconds(2));
  EXPECT_EQ(assembler.pendingOutput(), kOk);
  EXPECT_EQ(assembler.deadline(), kAssemblerT0 + seconds(2 + 5));
  assembler.onSent(assembler.pendingOutput().size(), kAssemblerT0 + seconds(3));
  EXPECT_FALSE(assembler.finished());
  EXPECT_TRUE(assembler.wantsInput());
  EXPECT_EQ(assembler.deadline(), kAssemblerT0 + seconds(3 + 2));  // idle

  // The next head is due from its first byte.
  assembler.onInput("G", kAssemblerT0 + seconds(4));
  EXPECT_EQ(assembler.deadline(), kAssemblerT0 + seconds(4 + 10));
}

TEST_F(RequestAssemblerTest, AnIdleConnectionCloses) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("GET / HTTP/1.1\r\n\r\n", kAssemblerT0);
  ASSERT_TRUE(assembler.takeRequest());
  answer(assembler, kAssemblerT0);
  assembler.onDeadline(kAssemblerT0 + seconds(2));
  EXPECT_TRUE(assembler.finished());
  EXPECT_EQ(assembler.closeReason(), CloseReason::kIdle);
}

TEST_F(RequestAssemblerTest, ConnectionCloseAndTheRequestLimitEndTheConnection) {
  RequestAssembler closing(testLimits(), budget_, kAssemblerT0);
  closing.onInput("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", kAssemblerT0);
  auto request = closing.takeRequest();
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->last);
  answer(closing, kAssemblerT0);
  EXPECT_TRUE(closing.finished());
  EXPECT_EQ(closing.closeReason(), CloseReason::kDone);

  RequestAssembler limited(testLimits(), budget_, kAssemblerT0);  // max_requests = 3
  for (int i = 0; i < 3; ++i) {
    limited.onInput("GET / HTTP/1.1\r\n\r\n", kAssemblerT0);
    auto taken = limited.takeRequest();
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->last, i == 2);
    answer(limited, kAssemblerT0);
  }
  EXPECT_TRUE(limited.finished());
}

TEST_F(RequestAssemblerTest, PipelinedRequestsAreHandedOverOneAtATime) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", kAssemblerT0);
  EXPECT_EQ(assembler.takeRequest()->path, "/a");
  EXPECT_FALSE(assembler.takeRequest());
  answer(assembler, kAssemblerT0);
  EXPECT_EQ(assembler.takeRequest()->path, "/b");
}

TEST_F(RequestAssemblerTest, ABodyIsHeldUntilWholeAndIsDueByTheBodyDeadline) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("POST /v1/events HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\"", kAssemblerT0);
  EXPECT_FALSE(assembler.takeRequest());
  EXPECT_EQ(assembler.deadline(), kAssemblerT0 + seconds(30));
  EXPECT_EQ(budget_.used(), 10u);
  assembler.onInput(":1234}GET", kAssemblerT0 + seconds(1));
  auto request = assembler.takeRequest();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->bytes, "POST /v1/events HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\":1234}");
  answer(assembler, kAssemblerT0 + seconds(2));
  EXPECT_EQ(budget_.used(), 0u);

  RequestAssembler slow(testLimits(), budget_, kAssemblerT0);
  slow.onInput("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{", kAssemblerT0);
  for (int i = 1; i < 8; ++i) {
    slow.onInput(" ", kAssemblerT0 + seconds(4 * i));
  }
  slow.onDeadline(kAssemblerT0 + seconds(30));
  EXPECT_EQ(slow.pendingOutput().substr(0, 12), "HTTP/1.1 408");
  slow.onSent(slow.pendingOutput().size(), kAssemblerT0 + seconds(30));
  EXPECT_EQ(slow.closeReason(), CloseReason::kBodyTimeout);
  EXPECT_EQ(budget_.used(), 0u);
}

TEST_F(RequestAssemblerTest, AnOversizedBodyIsDroppedAndStoodInForByOneJustOverTheLimit) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);  // max_body_bytes = 16
  assembler.onInput(
      "POST /v1/events HTTP/1.1\r\nContent-Length: 40\r\nExpect: 100-continue\r\n\r\n"
      "0123456789012345678901234567890123456789GET /next HTTP/1.1\r\n\r\n",
      kAssemblerT0);
  auto request = assembler.takeRequest();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->bytes,
            "POST /v1/events HTTP/1.1\r\nContent-Length: 17\r\n\r\n" + std::string(17, ' '));
  EXPECT_EQ(budget_.used(), 0u);
  answer(assembler, kAssemblerT0, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(assembler.takeRequest()->path, "/next");
}

TEST_F(RequestAssemblerTest, AChunkedBodyGoesOnAsOneChunk) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n",
                    kAssemblerT0);
  EXPECT_FALSE(assembler.takeRequest());
  assembler.onInput("1\r\n}\r\n0\r\n\r\n", kAssemblerT0);
  auto request = assembler.takeRequest();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->bytes,
            "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  answer(assembler, kAssemblerT0);

  // Over the limit: the first limit + 1 bytes go on, the rest is read and dropped.
  assembler.onInput("POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", kAssemblerT0);
  for (int i = 0; i < 10; ++i) {
    assembler.onInput("5\r\nabcde\r\n", kAssemblerT0);
  }
  EXPECT_FALSE(assembler.takeRequest());
  assembler.onInput("0\r\n\r\n", kAssemblerT0);
  request = assembler.takeRequest();
  ASSERT_TRUE(request);
  EXPECT_NE(request->bytes.find("\r\n\r\n11\r\nabcdeabcdeabcdeab\r\n0\r\n\r\n"), std::string::npos)
      << request->bytes;
}

TEST_F(RequestAssemblerTest, ExpectContinueIsJudgedFromTheHeadBeforeTheBodyIsAskedFor) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
                    kAssemblerT0);
  auto probe = assembler.takeRequest();
  ASSERT_TRUE(probe);
  EXPECT_TRUE(probe->probe);
  EXPECT_TRUE(probe->last);
  EXPECT_EQ(probe->bytes, "POST /e HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_FALSE(assembler.wantsInput());

  assembler.onHandled({"", false, /*probe_accepted=*/true}, kAssemblerT0 + seconds(1));
  EXPECT_EQ(assembler.pendingOutput(), "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_EQ(assembler.deadline(), kAssemblerT0 + seconds(1 + 30));  // the body's clock starts now
  assembler.onSent(assembler.pendingOutput().size(), kAssemblerT0 + seconds(1));
  assembler.onInput("{}", kAssemblerT0 + seconds(2));
  auto request = assembler.takeRequest();
  ASSERT_TRUE(request);
  EXPECT_FALSE(request->probe);
  EXPECT_EQ(request->bytes, "POST /e HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
}

TEST_F(RequestAssemblerTest, ARefusedExpectContinueClosesAfterTheRefusal) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
                    kAssemblerT0);
  ASSERT_TRUE(assembler.takeRequest());
  answer(assembler, kAssemblerT0, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(assembler.finished());
}

TEST_F(RequestAssemblerTest, RefusalsTheFrontMakesItself) {
  struct Case {
    std::string input;
    const char* status;
    CloseReason reason;
  };
  const Case cases[] = {
      {"POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 400",
       CloseReason::kMalformed},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 400",
       CloseReason::kMalformed},
      {"GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'b'), "HTTP/1.1 431",
       CloseReason::kHeadTooLarge},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input.substr(0, 40));
    RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
    assembler.onInput(c.input, kAssemblerT0);
    EXPECT_FALSE(assembler.takeRequest());
    EXPECT_EQ(assembler.pendingOutput().substr(0, 12), c.status);
    assembler.onSent(assembler.pendingOutput().size(), kAssemblerT0);
    EXPECT_TRUE(assembler.finished());
    EXPECT_EQ(assembler.closeReason(), c.reason);
  }
  EXPECT_EQ(budget_.used(), 0u);
}

TEST_F(RequestAssemblerTest, BodiesOverTheBudgetAreRefusedWith503) {
  BodyBudget small(20);
  RequestAssembler first(testLimits(), small, kAssemblerT0);
  first.onInput("POST / HTTP/1.1\r\nContent-Length: 15\r\n\r\n", kAssemblerT0);
  RequestAssembler second(testLimits(), small, kAssemblerT0);
  second.onInput("POST / HTTP/1.1\r\nContent-Length: 15\r\n\r\n", kAssemblerT0);
  EXPECT_EQ(second.pendingOutput().substr(0, 12), "HTTP/1.1 503");
  second.onSent(second.pendingOutput().size(), kAssemblerT0);
  EXPECT_EQ(second.closeReason(), CloseReason::kNoBodyMemory);
  EXPECT_EQ(small.used(), 15u);
}

TEST_F(RequestAssemblerTest, ClientGoingAwayAndStopping) {
  RequestAssembler partial(testLimits(), budget_, kAssemblerT0);
  partial.onInput("GET / HTT", kAssemblerT0);
  partial.onEndOfInput();
  EXPECT_TRUE(partial.finished());
  EXPECT_EQ(partial.closeReason(), CloseReason::kClientGone);

  // A whole request followed by the client's FIN is still answered.
  RequestAssembler whole(testLimits(), budget_, kAssemblerT0);
  whole.onInput("GET / HTTP/1.1\r\n\r\n", kAssemblerT0);
  whole.onEndOfInput();
  ASSERT_TRUE(whole.takeRequest());
  answer(whole, kAssemblerT0);
  EXPECT_TRUE(whole.finished());
  EXPECT_EQ(whole.closeReason(), CloseReason::kDone);

  RequestAssembler idle(testLimits(), budget_, kAssemblerT0);
  idle.stop();
  EXPECT_TRUE(idle.finished());
  EXPECT_EQ(idle.closeReason(), CloseReason::kStopping);

  RequestAssembler busy(testLimits(), budget_, kAssemblerT0);
  busy.onInput("GET / HTTP/1.1\r\n\r\n", kAssemblerT0);
  ASSERT_TRUE(busy.takeRequest());
  busy.stop();
  EXPECT_FALSE(busy.finished());
  answer(busy, kAssemblerT0);
  EXPECT_TRUE(busy.finished());
}

TEST_F(RequestAssemblerTest, AResponseNotReadInTimeEndsTheConnection) {
  RequestAssembler assembler(testLimits(), budget_, kAssemblerT0);
  assembler.onInput("GET / HTTP/1.1\r\n\r\n", kAssemblerT0);
  ASSERT_TRUE(assembler.takeRequest());
  assembler.onHandled({kOk, false, false}, kAssemblerT0);
  assembler.onSent(3, kAssemblerT0 + seconds(4));
  assembler.onDeadline(kAssemblerT0 + seconds(5));
  EXPECT_TRUE(assembler.finished());
  EXPECT_EQ(assembler.closeReason(), CloseReason::kWriteTimeout);
}

}  // namespace
}  // namespace rawfeed::server
