// The container and EC2 metadata providers over a scripted HttpClient: no request leaves the
// process, so the link-local hosts they name are never contacted.
#include <gtest/gtest.h>

#include "aws/container_provider.h"
#include "aws/credential_document.h"
#include "aws/default_credentials.h"
#include "aws/instance_metadata_provider.h"
#include "contract/temp_dir.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "test_env.h"

namespace rawfeed::aws {
namespace {

using fakes::FakeHttpClient;
using fakes::headerValue;
using testing::concat;
using testing::envOf;
using testing::expectNoSecret;
using testing::kSecret;
using testing::kToken;
using testing::writeFile;

const std::string kDocument =
    concat({R"({"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":")", kSecret, R"(","Token":")",
            kToken, R"(","Expiration":"2026-01-15T10:30:00Z"})"});

// ---- credential documents ----

TEST(CredentialDocument, ParsesContainerAndInstanceForms) {
  auto found = parseCredentialDocument(kDocument);
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(found->access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(found->secret_access_key, kSecret);
  EXPECT_EQ(found->session_token, kToken);
  EXPECT_EQ(found->expiration, core::SystemTime{std::chrono::seconds{1768473000}});

  auto ec2 = parseCredentialDocument(concat(
      {R"({"Code":"Success","LastUpdated":"2026-01-15T09:00:00Z","Type":"AWS-HMAC",)",
       R"("AccessKeyId":"ASIA2","SecretAccessKey":"s","Token":"t","Expiration":"2026-01-15T15:00:00Z"})"}));
  ASSERT_TRUE(ec2.ok());
  EXPECT_EQ(ec2->access_key_id, "ASIA2");
}

TEST(CredentialDocument, RejectionsNameTheProblemButNeverTheBody) {
  const std::vector<std::string> bodies = {
      concat({"not json ", kSecret}),
      concat({R"({"SecretAccessKey":")", kSecret, R"("})"}),
      concat({R"({"AccessKeyId":"A","Token":")", kToken, R"("})"}),
      concat({R"({"AccessKeyId":"A","SecretAccessKey":")", kSecret, R"(","Expiration":"soon"})"}),
      concat({R"({"Code":"AssumeRoleUnauthorizedAccess","AccessKeyId":"A","SecretAccessKey":")",
              kSecret, R"("})"}),
      concat({R"({"AccessKeyId":"A","SecretAccessKey":")", kSecret, R"(",)"}),  // truncated
  };
  for (const std::string& body : bodies) {
    auto parsed = parseCredentialDocument(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kUnauthenticated);
    expectNoSecret(parsed.error());
  }
}

// ---- container ----

TEST(ContainerProvider, RelativeUriGoesToTheEcsHost) {
  FakeHttpClient http;
  http.answer(200, kDocument);
  ContainerProvider provider(
      envOf({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}}), http);
  auto found = provider.credentials();
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(found->access_key_id, "ASIAEXAMPLE");
  ASSERT_EQ(http.requests().size(), 1u);
  EXPECT_EQ(http.requests()[0].url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_EQ(http.requests()[0].method, "GET");
  EXPECT_EQ(headerValue(http.requests()[0].headers, "Authorization"), "");
}

TEST(ContainerProvider, FullUriWithTokenFromFileOrEnvironment) {
  contract::TempDir dir;
  writeFile(dir.path() / "token", "pod-identity-token\n");
  FakeHttpClient http;
  http.answer(200, kDocument);
  http.answer(200, kDocument);
  const std::string url = "http://127.0.0.1:8123/creds";
  ContainerProvider from_file(
      envOf({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
             {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", (dir.path() / "token").string()},
             {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-set"}}),
      http);
  ASSERT_TRUE(from_file.credentials().ok());
  ContainerProvider from_env(envOf({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                                    {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token"}}),
                             http);
  ASSERT_TRUE(from_env.credentials().ok());
  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, url);
  EXPECT_EQ(headerValue(requests[0].headers, "Authorization"), "pod-identity-token");
  EXPECT_EQ(headerValue(requests[1].headers, "Authorization"), "env-token");
}

TEST(ContainerProvider, PlainHttpOnlyToLoopbackOrTheContainerHosts) {
  EXPECT_TRUE(containerUriAllowed("http://127.0.0.1:80/x"));
  EXPECT_TRUE(containerUriAllowed("http://localhost/x"));
  EXPECT_TRUE(containerUriAllowed("http://[::1]:9/x"));
  EXPECT_TRUE(containerUriAllowed("http://169.254.170.23/v1/credentials"));
  EXPECT_TRUE(containerUriAllowed("http://[fd00:ec2::23]/v1/credentials"));
  EXPECT_TRUE(containerUriAllowed("https://creds.example.com/x"));
  EXPECT_FALSE(containerUriAllowed("http://creds.example.com/x"));
  EXPECT_FALSE(containerUriAllowed("http://127.0.0.1.evil.com/x"));
  EXPECT_FALSE(containerUriAllowed("http://127.0.0.256/x"));
  EXPECT_FALSE(containerUriAllowed("ftp://127.0.0.1/x"));

  FakeHttpClient http;
  auto refused = ContainerProvider(
                     envOf({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.5/creds"}}), http)
                     .credentials();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_TRUE(http.requests().empty());
}

TEST(ContainerProvider, ClassifiesFailures) {
  const auto env = envOf({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"},
                          {"AWS_CONTAINER_AUTHORIZATION_TOKEN", kToken}});
  FakeHttpClient http;
  http.fail(core::ErrorCode::kTransient, "connection refused");
  http.answer(500, "oops");
  http.answer(403, concat({"denied ", kSecret}));
  http.answer(200, concat({"<html>", kSecret}));
  ContainerProvider provider(env, http);
  const core::ErrorCode expected[] = {core::ErrorCode::kTransient, core::ErrorCode::kTransient,
                                      core::ErrorCode::kUnauthenticated,
                                      core::ErrorCode::kUnauthenticated};
  for (const auto code : expected) {
    auto found = provider.credentials();
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().code, code) << found.error().describe();
    expectNoSecret(found.error());
  }
  auto unset = ContainerProvider(envOf({}), http).credentials();
  EXPECT_EQ(unset.error().message, "not configured");
}

// ---- instance metadata ----

TEST(InstanceMetadataProvider, ImdsV2TokenThenRoleThenDocument) {
  FakeHttpClient http;
  http.answer(200, "imds-session-token");
  http.answer(200, "rawfeed-worker-role\n");
  http.answer(200, kDocument);
  InstanceMetadataProvider provider(envOf({}), http);
  auto found = provider.credentials();
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(found->session_token, kToken);

  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].url, "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(headerValue(requests[0].headers, "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].url, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(headerValue(requests[1].headers, "X-aws-ec2-metadata-token"), "imds-session-token");
  EXPECT_EQ(requests[2].url,
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/rawfeed-worker-role");
  EXPECT_EQ(headerValue(requests[2].headers, "X-aws-ec2-metadata-token"), "imds-session-token");
}

TEST(InstanceMetadataProvider, EndpointOverrideAndDisabling) {
  FakeHttpClient http;
  http.answer(200, "t");
  http.answer(200, "role");
  http.answer(200, kDocument);
  InstanceMetadataProvider custom(
      envOf({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/"}}), http);
  ASSERT_TRUE(custom.credentials().ok());
  EXPECT_EQ(http.requests()[0].url, "http://127.0.0.1:1338/latest/api/token");

  auto disabled =
      InstanceMetadataProvider(envOf({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}), http).credentials();
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.error().message, "disabled (AWS_EC2_METADATA_DISABLED)");
  EXPECT_EQ(http.requests().size(), 3u);
}

TEST(InstanceMetadataProvider, ClassifiesFailures) {
  struct Case {
    const char* name;
    std::function<void(FakeHttpClient&)> script;
    std::map<std::string, std::string> env;
    core::ErrorCode code;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"not on EC2",
       [](FakeHttpClient& h) { h.fail(core::ErrorCode::kTransient, "timeout"); },
       {},
       core::ErrorCode::kUnauthenticated,
       "unreachable"},
      {"configured endpoint down",
       [](FakeHttpClient& h) { h.fail(core::ErrorCode::kTransient, "timeout"); },
       {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338"}},
       core::ErrorCode::kTransient,
       "unreachable"},
      {"IMDSv2 refused",
       [](FakeHttpClient& h) { h.answer(403); },
       {},
       core::ErrorCode::kUnauthenticated,
       "token request answered 403"},
      {"no role",
       [](FakeHttpClient& h) {
         h.answer(200, "t");
         h.answer(404);
       },
       {},
       core::ErrorCode::kUnauthenticated,
       "no IAM role attached"},
      {"metadata 503",
       [](FakeHttpClient& h) {
         h.answer(200, "t");
         h.answer(503);
       },
       {},
       core::ErrorCode::kTransient,
       "answered 503"},
      {"bad document",
       [](FakeHttpClient& h) {
         h.answer(200, "t");
         h.answer(200, "role");
         h.answer(200, concat({R"({"Code":"Failed","SecretAccessKey":")", kSecret, R"("})"}));
       },
       {},
       core::ErrorCode::kUnauthenticated,
       "role 'role'"},
  };
  for (const Case& c : cases) {
    FakeHttpClient http;
    c.script(http);
    auto found = InstanceMetadataProvider(envOf(c.env), http).credentials();
    ASSERT_FALSE(found.ok()) << c.name;
    EXPECT_EQ(found.error().code, c.code) << c.name << ": " << found.error().describe();
    EXPECT_NE(found.error().message.find(c.says), std::string::npos)
        << c.name << ": " << found.error().message;
    expectNoSecret(found.error());
  }
}

// ---- the default chain ----

TEST(DefaultCredentials, ReportsEveryLinkWhenNothingIsConfigured) {
  contract::TempDir home;
  FakeHttpClient http;
  fakes::FakeClock clock;
  auto provider = makeDefaultCredentialsProvider(
      envOf({{"HOME", home.path().string()}, {"AWS_EC2_METADATA_DISABLED", "true"}}), http, clock);
  auto found = provider->credentials();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, core::ErrorCode::kUnauthenticated);
  const std::string& message = found.error().message;
  EXPECT_EQ(message.rfind("no AWS credentials: environment: AWS_ACCESS_KEY_ID not set; "
                          "profile 'default': ",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("; container: not configured; instance metadata: disabled "
                         "(AWS_EC2_METADATA_DISABLED)"),
            std::string::npos)
      << message;
  EXPECT_TRUE(http.requests().empty());
}

TEST(DefaultCredentials, FallsThroughToInstanceMetadataAndCaches) {
  contract::TempDir home;
  FakeHttpClient http;
  http.answer(200, "t");
  http.answer(200, "role");
  http.answer(200, kDocument);
  fakes::FakeClock clock;
  auto provider =
      makeDefaultCredentialsProvider(envOf({{"HOME", home.path().string()}}), http, clock);
  EXPECT_EQ(provider->credentials()->access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(provider->credentials()->access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(http.requests().size(), 3u);  // the second call came from the cache
}

}  // namespace
}  // namespace rawfeed::aws
