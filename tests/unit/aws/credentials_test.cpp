#include <gtest/gtest.h>

#include "aws/chain_provider.h"
#include "aws/environment_provider.h"
#include "aws/profile_provider.h"
#include "aws/refreshing_provider.h"
#include "contract/temp_dir.h"
#include "support/fakes/fake_clock.h"
#include "test_env.h"

namespace rawfeed::aws {
namespace {

using testing::concat;
using testing::envOf;
using testing::expectNoSecret;
using testing::kSecret;
using testing::kToken;
using testing::writeFile;

// ---- environment ----

TEST(EnvironmentProvider, ReadsKeysAndSessionToken) {
  EnvironmentProvider provider(envOf({{"AWS_ACCESS_KEY_ID", "AKID"},
                                      {"AWS_SECRET_ACCESS_KEY", kSecret},
                                      {"AWS_SESSION_TOKEN", kToken}}));
  auto found = provider.credentials();
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->access_key_id, "AKID");
  EXPECT_EQ(found->secret_access_key, kSecret);
  EXPECT_EQ(found->session_token, kToken);
  EXPECT_FALSE(found->expiration.has_value());
}

TEST(EnvironmentProvider, MissingOrHalfSetIsUnauthenticatedWithoutTheSecret) {
  auto none = EnvironmentProvider(envOf({})).credentials();
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(none.error().message, "AWS_ACCESS_KEY_ID not set");

  auto half = EnvironmentProvider(envOf({{"AWS_SECRET_ACCESS_KEY", kSecret}})).credentials();
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("AWS_ACCESS_KEY_ID not"), std::string::npos);
  expectNoSecret(half.error());

  // Empty counts as unset, as in the SDKs.
  auto empty =
      EnvironmentProvider(envOf({{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}}))
          .credentials();
  EXPECT_FALSE(empty.ok());
}

// ---- shared files ----

class ProfileProviderTest : public ::testing::Test {
 protected:
  std::filesystem::path home() const { return dir_.path(); }
  std::filesystem::path credentialsFile() const { return dir_.path() / ".aws" / "credentials"; }
  std::filesystem::path configFile() const { return dir_.path() / ".aws" / "config"; }
  EnvLookup env(std::map<std::string, std::string> extra = {}) const {
    extra.emplace("HOME", home().string());
    return envOf(std::move(extra));
  }

  contract::TempDir dir_;
};

TEST_F(ProfileProviderTest, DefaultProfileFromCredentialsFile) {
  writeFile(credentialsFile(),
            concat({"[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = ", kSecret,
                    "\n[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = s2\n"
                    "aws_session_token = ",
                    kToken, "\n"}));
  auto found = ProfileProvider(env()).credentials();
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(found->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(found->secret_access_key, kSecret);

  ProfileProvider prod(env({{"AWS_PROFILE", "prod"}}));
  EXPECT_EQ(prod.describe(), "profile 'prod'");
  auto prod_found = prod.credentials();
  ASSERT_TRUE(prod_found.ok());
  EXPECT_EQ(prod_found->access_key_id, "AKIDPROD");
  EXPECT_EQ(prod_found->session_token, kToken);
}

TEST_F(ProfileProviderTest, ConfigFileProfileSectionsAndFileOverrides) {
  const auto other = dir_.path() / "elsewhere" / "conf";
  writeFile(other, concat({"[profile ci]\nregion = eu-west-1\naws_access_key_id = AKIDCI\n"
                           "aws_secret_access_key = ",
                           kSecret, "\n"}));
  auto found = ProfileProvider(env({{"AWS_CONFIG_FILE", other.string()}, {"AWS_PROFILE", "ci"}}))
                   .credentials();
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(found->access_key_id, "AKIDCI");

  // The credentials file wins over the config file for the same profile.
  const auto creds = dir_.path() / "elsewhere" / "creds";
  writeFile(creds, "[ci]\naws_access_key_id = AKIDFROMCREDS\naws_secret_access_key = x\n");
  auto both = ProfileProvider(env({{"AWS_CONFIG_FILE", other.string()},
                                   {"AWS_SHARED_CREDENTIALS_FILE", creds.string()},
                                   {"AWS_PROFILE", "ci"}}))
                  .credentials();
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->access_key_id, "AKIDFROMCREDS");
}

TEST_F(ProfileProviderTest, ConfigFileDefaultMayBeWrittenEitherWay) {
  writeFile(configFile(), "[default]\naws_access_key_id = A1\naws_secret_access_key = s\n");
  EXPECT_EQ(ProfileProvider(env()).credentials()->access_key_id, "A1");
  writeFile(configFile(), "[profile default]\naws_access_key_id = A2\naws_secret_access_key = s\n");
  EXPECT_EQ(ProfileProvider(env()).credentials()->access_key_id, "A2");
}

TEST_F(ProfileProviderTest, ExplicitProfileBeatsAwsProfile) {
  writeFile(credentialsFile(),
            "[a]\naws_access_key_id = A\naws_secret_access_key = s\n"
            "[b]\naws_access_key_id = B\naws_secret_access_key = s\n");
  EXPECT_EQ(ProfileProvider(env({{"AWS_PROFILE", "a"}}), "b").credentials()->access_key_id, "B");
}

TEST_F(ProfileProviderTest, ReasonsForNoCredentialsNeverQuoteSecrets) {
  auto missing = ProfileProvider(env()).credentials();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(missing.error().message.find(credentialsFile().string() + " not found"),
            std::string::npos)
      << missing.error().message;

  writeFile(credentialsFile(),
            concat({"[other]\naws_access_key_id = A\naws_secret_access_key = ", kSecret, "\n"}));
  auto no_profile = ProfileProvider(env()).credentials();
  ASSERT_FALSE(no_profile.ok());
  EXPECT_NE(no_profile.error().message.find("no such profile"), std::string::npos);
  expectNoSecret(no_profile.error());

  writeFile(credentialsFile(), concat({"[default]\naws_secret_access_key = ", kSecret, "\n"}));
  auto half = ProfileProvider(env()).credentials();
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("only one of"), std::string::npos);
  expectNoSecret(half.error());

  writeFile(credentialsFile(), concat({"[default]\n", kSecret, "\n"}));  // a pasted key, no "="
  auto malformed = ProfileProvider(env()).credentials();
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(malformed.error().message.find("line 2"), std::string::npos);
  expectNoSecret(malformed.error());
}

TEST_F(ProfileProviderTest, AssumeRoleProfilesAreReportedAsUnsupported) {
  writeFile(configFile(),
            "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
            "source_profile = default\n");
  auto found = ProfileProvider(env({{"AWS_PROFILE", "deploy"}})).credentials();
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("role_arn"), std::string::npos);
  EXPECT_NE(found.error().message.find("not supported"), std::string::npos);
}

// ---- chain ----

class ScriptedProvider final : public CredentialsProvider {
 public:
  ScriptedProvider(std::string name, core::Result<Credentials> answer, int* calls = nullptr)
      : name_(std::move(name)), answer_(std::move(answer)), calls_(calls) {}
  core::Result<Credentials> credentials() override {
    if (calls_ != nullptr)
      ++*calls_;
    return answer_;
  }
  std::string describe() const override { return name_; }

 private:
  std::string name_;
  core::Result<Credentials> answer_;
  int* calls_;
};

std::unique_ptr<CredentialsProvider> refusing(
    std::string name, std::string why, core::ErrorCode code = core::ErrorCode::kUnauthenticated) {
  return std::make_unique<ScriptedProvider>(std::move(name), core::makeError(code, std::move(why)));
}

TEST(ChainProvider, FirstThatYieldsWinsAndLaterOnesAreNotAsked) {
  int later_calls = 0;
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(refusing("environment", "AWS_ACCESS_KEY_ID not set"));
  providers.push_back(std::make_unique<ScriptedProvider>(
      "profile 'default'", Credentials{"AKID", kSecret, "", std::nullopt}));
  providers.push_back(std::make_unique<ScriptedProvider>(
      "container", Credentials{"OTHER", "x", "", std::nullopt}, &later_calls));
  ChainProvider chain(std::move(providers));
  auto found = chain.credentials();
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->access_key_id, "AKID");
  EXPECT_EQ(later_calls, 0);
  EXPECT_EQ(chain.describe(), "chain(environment, profile 'default', container)");
}

TEST(ChainProvider, AggregatesEveryReasonInOneMessage) {
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(refusing("environment", "AWS_ACCESS_KEY_ID not set"));
  providers.push_back(refusing("profile 'default'", "~/.aws/credentials not found"));
  providers.push_back(refusing("container", "not configured"));
  providers.push_back(refusing("instance metadata", "disabled (AWS_EC2_METADATA_DISABLED)"));
  auto found = ChainProvider(std::move(providers)).credentials();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(found.error().message,
            "no AWS credentials: environment: AWS_ACCESS_KEY_ID not set; profile 'default': "
            "~/.aws/credentials not found; container: not configured; instance metadata: "
            "disabled (AWS_EC2_METADATA_DISABLED)");
}

TEST(ChainProvider, ATransientLinkMakesTheChainTransient) {
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(refusing("environment", "AWS_ACCESS_KEY_ID not set"));
  providers.push_back(
      refusing("container", "http://127.0.0.1:1/creds answered 503", core::ErrorCode::kTransient));
  EXPECT_EQ(ChainProvider(std::move(providers)).credentials().error().code,
            core::ErrorCode::kTransient);
}

// The default chain end to end over real files and a scripted environment: environment first,
// then the profile; the container and metadata links are off so nothing leaves the process.
TEST(ChainProvider, EnvironmentThenProfileOverRealFiles) {
  contract::TempDir dir;
  writeFile(
      dir.path() / ".aws" / "credentials",
      concat({"[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = ", kSecret, "\n"}));
  std::map<std::string, std::string> vars{{"HOME", dir.path().string()}};
  const auto chain = [&] {
    std::vector<std::unique_ptr<CredentialsProvider>> providers;
    providers.push_back(std::make_unique<EnvironmentProvider>(envOf(vars)));
    providers.push_back(std::make_unique<ProfileProvider>(envOf(vars)));
    return ChainProvider(std::move(providers));
  };
  EXPECT_EQ(chain().credentials()->access_key_id, "FROMFILE");
  vars["AWS_ACCESS_KEY_ID"] = "FROMENV";
  vars["AWS_SECRET_ACCESS_KEY"] = "s";
  EXPECT_EQ(chain().credentials()->access_key_id, "FROMENV");
}

// ---- refresh ----

class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(const core::Clock& clock) : clock_(clock) {}
  core::Result<Credentials> credentials() override {
    ++calls;
    if (failing)
      return core::makeError(core::ErrorCode::kTransient, "metadata blip");
    return Credentials{concat({"AKID", std::to_string(calls)}), kSecret, kToken,
                       clock_.now() + std::chrono::hours(1)};
  }
  std::string describe() const override { return "counting"; }

  int calls = 0;
  bool failing = false;

 private:
  const core::Clock& clock_;
};

TEST(RefreshingProvider, CachesUntilFiveMinutesBeforeExpiry) {
  fakes::FakeClock clock;
  auto inner = std::make_unique<CountingProvider>(clock);
  CountingProvider* counting = inner.get();
  RefreshingProvider provider(std::move(inner), clock);

  EXPECT_EQ(provider.credentials()->access_key_id, "AKID1");
  clock.advance(std::chrono::minutes(54));
  EXPECT_EQ(provider.credentials()->access_key_id, "AKID1");
  EXPECT_EQ(counting->calls, 1);
  clock.advance(std::chrono::minutes(1));  // 55 min: inside the 5-minute margin
  EXPECT_EQ(provider.credentials()->access_key_id, "AKID2");
  EXPECT_EQ(counting->calls, 2);
  EXPECT_EQ(provider.describe(), "counting");
}

TEST(RefreshingProvider, KeepsUnexpiredCredentialsWhenARefreshFails) {
  fakes::FakeClock clock;
  auto inner = std::make_unique<CountingProvider>(clock);
  CountingProvider* counting = inner.get();
  RefreshingProvider provider(std::move(inner), clock);
  ASSERT_TRUE(provider.credentials().ok());

  counting->failing = true;
  clock.advance(std::chrono::minutes(57));
  auto kept = provider.credentials();
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->access_key_id, "AKID1");

  clock.advance(std::chrono::minutes(4));  // past expiry: the failure now shows
  auto expired = provider.credentials();
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, core::ErrorCode::kTransient);
  expectNoSecret(expired.error());

  counting->failing = false;
  EXPECT_TRUE(provider.credentials().ok());
}

TEST(RefreshingProvider, CredentialsWithoutExpiryAreKept) {
  fakes::FakeClock clock;
  int calls = 0;
  RefreshingProvider provider(std::make_unique<ScriptedProvider>(
                                  "static", Credentials{"AKID", kSecret, "", std::nullopt}, &calls),
                              clock);
  ASSERT_TRUE(provider.credentials().ok());
  clock.advance(std::chrono::hours(24 * 365));
  ASSERT_TRUE(provider.credentials().ok());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace rawfeed::aws
