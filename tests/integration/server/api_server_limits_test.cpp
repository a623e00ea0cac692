// Body limits and the connection afterwards: oversized bodies get a JSON 413 whether the client
// asks first (Expect: 100-continue), declares a length, or streams chunks; the Service is not
// called, and a keep-alive connection still serves the next request.
#include <nlohmann/json.hpp>

#include "integration/server/raw_http.h"
#include "integration/server/server_fixture.h"

namespace rawfeed::server::testing {
namespace {

using nlohmann::json;

std::string postHead(const std::string& target, const std::string& extra_headers) {
  std::string head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  head += "Authorization: Bearer ";
  head += kToken;
  head += "\r\n";
  head += extra_headers;
  head += "\r\n";
  return head;
}

TEST_F(ServerTest, OversizedBodyIs413) {
  // The fixture's limit is 4096 bytes; "Expect:" stops curl from asking first.
  const std::string big = "{\"pad\":\"" + std::string(5000, 'x') + "\"}";
  auto response = call("POST", "/v1/events", big,
                       {{"Authorization", std::string("Bearer ") + kToken}, {"Expect", ""}});
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(json::parse(response.body)["status"], 413);
  EXPECT_NE(json::parse(response.body)["error"].get<std::string>().find("4096"), std::string::npos);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, BodyAtTheLimitIsAccepted) {
  std::string body = "{\"pad\":\"";
  body += std::string(4096 - body.size() - 2, 'x');
  body += "\"}";
  ASSERT_EQ(body.size(), 4096u);
  EXPECT_EQ(post("/v1/events", body).status, 200);
}

TEST_F(ServerTest, ExpectContinueIsRefusedBeforeTheUpload) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send(
      postHead("/v1/events", "Content-Length: 1000000\r\nExpect: 100-continue\r\n")));
  // No body is sent: the refusal must come from the head alone.
  const std::string response = connection.readResponse();
  EXPECT_EQ(statusOf(response), 413) << response;
  EXPECT_EQ(json::parse(bodyOf(response))["status"], 413);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, ExpectContinueWithoutTokenIs401BeforeTheUpload) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.send(
      "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n"));
  const std::string response = connection.readResponse();
  EXPECT_EQ(statusOf(response), 401) << response;
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, ExpectContinueAcceptedGoesOn) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(
      connection.send(postHead("/v1/events", "Content-Length: 2\r\nExpect: 100-continue\r\n")));
  const std::string interim = connection.readResponse();
  EXPECT_EQ(statusOf(interim), 100) << interim;
  ASSERT_TRUE(connection.send("{}"));
  const std::string response = connection.readResponse();
  EXPECT_EQ(statusOf(response), 200) << response;
  EXPECT_EQ(service_.calls().size(), 1u);
}

TEST_F(ServerTest, OversizedChunkedBodyIs413AndTheConnectionStaysUsable) {
  RawConnection connection(server_->port());
  std::string request = postHead("/v1/events", "Transfer-Encoding: chunked\r\n");
  for (int i = 0; i < 6; ++i) {
    request += "400\r\n" + std::string(1024, 'a') + "\r\n";  // 6 KiB in 1 KiB chunks
  }
  request += "0\r\n\r\n";
  ASSERT_TRUE(connection.send(request));
  const std::string refused = connection.readResponse();
  EXPECT_EQ(statusOf(refused), 413) << refused;
  EXPECT_EQ(json::parse(bodyOf(refused))["status"], 413);
  // Sent only after the answer: cpp-httplib does not serve pipelined requests.
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string next = connection.readResponse();
  EXPECT_EQ(statusOf(next), 200) << next;
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, ChunkedBodyWithinTheLimitIsAccepted) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.send(postHead("/v1/events", "Transfer-Encoding: chunked\r\n") +
                              "1\r\n{\r\n1\r\n}\r\n0\r\n\r\n"));
  const std::string response = connection.readResponse();
  EXPECT_EQ(statusOf(response), 200) << response;
  ASSERT_EQ(service_.calls().size(), 1u);
  EXPECT_EQ(service_.calls()[0].body, "{}");
}

TEST_F(ServerTest, RefusedBodiesAreDrainedForTheNextRequest) {
  RawConnection connection(server_->port());
  const std::string body = R"({"ok":true})";
  std::string request =
      "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  ASSERT_TRUE(connection.send(request));
  EXPECT_EQ(statusOf(connection.readResponse()), 401);
  // Had the body not been drained, this request line would be read after it as garbage.
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(statusOf(connection.readResponse()), 200);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, UnparsableRequestGetsJson400) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.send("BREW /coffee HTCPCP/1.0\r\n\r\n"));
  const std::string response = connection.readResponse();
  EXPECT_EQ(statusOf(response), 400) << response;
  EXPECT_EQ(json::parse(bodyOf(response))["status"], 400);
}

TEST_F(ServerTest, MultipartIsRefused) {
  RawConnection connection(server_->port());
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
  ASSERT_TRUE(connection.send(
      postHead("/v1/events", "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n") +
      body));
  const std::string response = connection.readResponse();
  EXPECT_EQ(statusOf(response), 415) << response;
  EXPECT_TRUE(service_.calls().empty());
}

}  // namespace
}  // namespace rawfeed::server::testing
