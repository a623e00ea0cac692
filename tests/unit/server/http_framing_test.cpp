#include "server/http_framing.h"

#include <gtest/gtest.h>

namespace rawfeed::server {
namespace {

RequestFraming framingOf(std::string_view head) {
  auto split = splitHead(head);
  EXPECT_TRUE(split.ok()) << split.error().message;
  auto framing = requestFramingOf(*split);
  EXPECT_TRUE(framing.ok()) << framing.error().message;
  return framing.ok() ? *framing : RequestFraming{};
}

std::string framingError(std::string_view head) {
  auto split = splitHead(head);
  if (!split.ok()) {
    return split.error().message;
  }
  auto framing = requestFramingOf(*split);
  return framing.ok() ? std::string() : framing.error().message;
}

TEST(HttpFramingTest, HeadLengthWaitsForTheBlankLine) {
  EXPECT_FALSE(headLength("GET / HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_FALSE(headLength("GET / HTTP/1.1\r\nHost: x\r\n\r"));
  EXPECT_EQ(headLength("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), 27u);
}

TEST(HttpFramingTest, SplitHeadKeepsFieldsInOrderAndTrimsValues) {
  auto head = splitHead("POST /a?b=1 HTTP/1.1\r\nHost:  x \r\nX-A: 1\r\nx-a:2\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->start_line, "POST /a?b=1 HTTP/1.1");
  ASSERT_EQ(head->fields.size(), 3u);
  EXPECT_EQ(head->fields[0].value, "x");
  const auto values = head->values("X-A");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], "1");
  EXPECT_EQ(values[1], "2");
}

TEST(HttpFramingTest, FieldLinesThatParsersReadDifferentlyAreRefused) {
  EXPECT_NE(
      framingError("GET / HTTP/1.1\r\nHost: x\nContent-Length: 5\r\n\r\n").find("bare CR or LF"),
      std::string::npos);
  EXPECT_NE(framingError("GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n").find("folded"),
            std::string::npos);
  EXPECT_NE(framingError("GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\n").find("line 2"),
            std::string::npos);
  EXPECT_NE(framingError("GET / HTTP/1.1\r\nno colon here\r\n\r\n").find("'Name: value'"),
            std::string::npos);
}

TEST(HttpFramingTest, BodyFraming) {
  EXPECT_EQ(framingOf("GET / HTTP/1.1\r\n\r\n").body, BodyFraming::kNone);
  EXPECT_EQ(framingOf("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").body, BodyFraming::kNone);
  const RequestFraming sized = framingOf("POST / HTTP/1.1\r\ncontent-length: 12\r\n\r\n");
  EXPECT_EQ(sized.body, BodyFraming::kLength);
  EXPECT_EQ(sized.content_length, 12u);
  EXPECT_EQ(
      framingOf("POST / HTTP/1.1\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n").content_length,
      7u);
  EXPECT_EQ(framingOf("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n").body,
            BodyFraming::kChunked);
}

TEST(HttpFramingTest, AmbiguousBodyFramingIsAnError) {
  for (const char* head : {
           "POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: +4\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 4, 4\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
       }) {
    EXPECT_FALSE(framingError(head).empty()) << head;
  }
}

TEST(HttpFramingTest, ExpectKeepAliveAndPath) {
  const RequestFraming expecting =
      framingOf("POST /v1/events?x=1 HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n");
  EXPECT_TRUE(expecting.expects_continue);
  EXPECT_TRUE(expecting.keep_alive);
  EXPECT_EQ(expecting.method, "POST");
  EXPECT_EQ(expecting.path(), "/v1/events");
  EXPECT_FALSE(framingOf("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").keep_alive);
  EXPECT_FALSE(framingOf("GET / HTTP/1.0\r\n\r\n").keep_alive);
  EXPECT_TRUE(framingOf("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
  // An odd request line is the parser's to answer (400), and the connection closes after it.
  const RequestFraming odd = framingOf("BREW /coffee HTCPCP/1.0\r\n\r\n");
  EXPECT_FALSE(odd.keep_alive);
  EXPECT_TRUE(framingOf("hello\r\n\r\n").method.empty());
}

TEST(HttpFramingTest, RewriteHeadDropsAndAddsFields) {
  EXPECT_EQ(rewriteHead("POST / HTTP/1.1\r\nExpect: 100-continue\r\nHost: x\r\nexpect: y\r\n\r\n",
                        {"Expect"}, "Content-Length: 3\r\n"),
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n");
  EXPECT_EQ(rewriteHead("GET / HTTP/1.1\r\n\r\n", {"Expect"}), "GET / HTTP/1.1\r\n\r\n");
}

TEST(HttpFramingTest, EncodeAsOneChunk) {
  EXPECT_EQ(encodeAsOneChunk(""), "0\r\n\r\n");
  EXPECT_EQ(encodeAsOneChunk(std::string(26, 'a')),
            "1a\r\n" + std::string(26, 'a') + "\r\n0\r\n\r\n");
}

TEST(ChunkedBodyDecoderTest, DecodesPiecesByteByByteAndStopsAtTheEnd) {
  const std::string body = "4;ext=1\r\nWiki\r\n5 \r\npedia\r\n0\r\nTrailer: t\r\n\r\nNEXT";
  ChunkedBodyDecoder decoder(100);
  std::size_t taken = 0;
  for (char c : body) {
    if (decoder.state() != ChunkedBodyDecoder::State::kMore) {
      break;
    }
    taken += decoder.feed(std::string_view(&c, 1));
  }
  EXPECT_EQ(decoder.state(), ChunkedBodyDecoder::State::kDone);
  EXPECT_EQ(decoder.kept(), "Wikipedia");
  EXPECT_EQ(body.substr(taken), "NEXT");
}

TEST(ChunkedBodyDecoderTest, KeepsOnlyTheLimitButCountsAll) {
  ChunkedBodyDecoder decoder(5);
  const std::string body = "8\r\n12345678\r\n3\r\nabc\r\n0\r\n\r\n";
  EXPECT_EQ(decoder.feed(body), body.size());
  EXPECT_EQ(decoder.state(), ChunkedBodyDecoder::State::kDone);
  EXPECT_EQ(decoder.kept(), "12345");
  EXPECT_EQ(decoder.decodedSize(), 11u);
}

TEST(ChunkedBodyDecoderTest, MalformedBodies) {
  for (const std::string& body : {
           std::string("x\r\n"),
           std::string("\r\n"),
           std::string("4\nWiki\r\n"),
           std::string("4\r\nWikiXY"),
           std::string("fffffffffffffff\r\n"),
           std::string(5000, '1'),
       }) {
    ChunkedBodyDecoder decoder(100);
    (void)decoder.feed(body);
    EXPECT_EQ(decoder.state(), ChunkedBodyDecoder::State::kMalformed) << body.substr(0, 20);
  }
}

}  // namespace
}  // namespace rawfeed::server
