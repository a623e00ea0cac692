#include <gtest/gtest.h>

#include "aws/hashing.h"
#include "store/s3/s3_checksum.h"
#include "unit/store_s3/s3_world.h"

namespace rawfeed::store::s3 {
namespace {

using core::ErrorCode;
using testing::FakeWorld;
using testing::headerOf;

const PutOptions kOverwrite{PutMode::kOverwrite, "application/json", ""};

TEST(S3ObjectStoreTest, PutCarriesTypeEncodingChecksumAndSignsThem) {
  FakeWorld world;
  auto store = world.make();
  const PutOptions gzip{PutMode::kOverwrite, "application/x-ndjson", "gzip"};
  ASSERT_TRUE(store->put("day=07/AAPL.jsonl.gz", "bytes", gzip).ok());
  const auto request = world.s3.requests().at(0);
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.url, "http://s3.test:9000/lake/raw/day%3D07/AAPL.jsonl.gz");
  EXPECT_EQ(headerOf(request, "content-type"), "application/x-ndjson");
  EXPECT_EQ(headerOf(request, "content-encoding"), "gzip");
  EXPECT_EQ(headerOf(request, "x-amz-checksum-sha256"), base64Encode(aws::sha256("bytes")));
  EXPECT_EQ(headerOf(request, "x-amz-content-sha256"), aws::sha256Hex("bytes"));
  EXPECT_EQ(headerOf(request, "if-none-match"), "");
  EXPECT_EQ(headerOf(request, "x-amz-server-side-encryption"), "");
  const std::string signed_headers = headerOf(request, "authorization");
  for (const char* name : {"content-encoding", "content-type", "host", "x-amz-checksum-sha256",
                           "x-amz-content-sha256", "x-amz-date"}) {
    EXPECT_NE(signed_headers.find(name), std::string::npos) << name;
  }
}

TEST(S3ObjectStoreTest, Md5ChecksumAndServerSideEncryption) {
  FakeWorld world;
  auto options = FakeWorld::options();
  options.checksum = Checksum::kMd5;
  options.sse = "aws:kms";
  options.kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/abcd";
  auto store = world.make(options);
  ASSERT_TRUE(store->put("k", "", kOverwrite).ok());
  const auto request = world.s3.requests().at(0);
  EXPECT_EQ(headerOf(request, "content-md5"), "1B2M2Y8AsgTpgAmY7PhCfg==");  // MD5 of ""
  EXPECT_EQ(headerOf(request, "x-amz-checksum-sha256"), "");
  EXPECT_EQ(headerOf(request, "x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(headerOf(request, "x-amz-server-side-encryption-aws-kms-key-id"), options.kms_key_id);
  EXPECT_NE(headerOf(request, "authorization").find("x-amz-server-side-encryption-aws-kms-key-id"),
            std::string::npos);

  FakeWorld aes_world;
  options.sse = "AES256";
  options.kms_key_id.clear();
  auto aes = aes_world.make(options);
  ASSERT_TRUE(aes->put("k", "x", kOverwrite).ok());
  EXPECT_EQ(headerOf(aes_world.s3.requests().at(0), "x-amz-server-side-encryption"), "AES256");
  EXPECT_EQ(headerOf(aes_world.s3.requests().at(0), "content-md5"), contentMd5("x"));
}

TEST(S3ObjectStoreTest, ChecksumEncodings) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(contentMd5("The quick brown fox jumps over the lazy dog"), "nhB9nTcrtoJr2B01QqQZ1g==");
}

TEST(S3ObjectStoreTest, GetReturnsTheStoredBytesUndecoded) {
  FakeWorld world;
  auto store = world.make();
  ASSERT_TRUE(store->put("g", "\x1f\x8b raw", PutOptions{PutMode::kOverwrite, "x", "gzip"}).ok());
  EXPECT_EQ(store->get("g").value(), "\x1f\x8b raw");
  EXPECT_FALSE(world.s3.requests().back().decode_content)
      << "the HTTP client must hand back a gzip object's bytes as stored";
}

TEST(S3ObjectStoreTest, ListPagesThroughContinuationTokensAndStripsThePrefix) {
  FakeWorld world;
  world.s3.setPageCap(2);
  auto store = world.make();
  for (const char* key : {"d/5", "d/1", "d/3", "d/2", "d/4", "e/1"}) {
    ASSERT_TRUE(store->put(key, key, kOverwrite).ok());
  }
  // An object beside the store's prefix is never listed.
  auto other = S3ObjectStore::create(
      [] {
        auto options = FakeWorld::options();
        options.prefix = "rawx";
        return options;
      }(),
      world.s3, world.credentials, world.clock, world.random);
  ASSERT_TRUE(other.value()->put("d/9", "x", kOverwrite).ok());
  const std::size_t before = world.s3.requests().size();
  auto listed = store->list("d/");
  ASSERT_TRUE(listed.ok()) << listed.error().describe();
  std::vector<std::string> keys;
  for (const auto& object : *listed)
    keys.push_back(object.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"d/1", "d/2", "d/3", "d/4", "d/5"}));
  EXPECT_EQ(listed->front().size, 3u);
  const auto requests = world.s3.requests();
  ASSERT_EQ(requests.size() - before, 3u);  // pages of 2, 2, 1
  EXPECT_NE(requests[before].url.find("prefix=raw%2Fd%2F"), std::string::npos);
  EXPECT_NE(requests[before + 1].url.find("continuation-token=tok%3Araw%2Fd%2F2"),
            std::string::npos);
}

TEST(S3ObjectStoreTest, ARepeatedContinuationTokenIsAnErrorNotALoop) {
  FakeWorld world;
  auto store = world.make();
  const std::string page =
      "<ListBucketResult><Contents><Key>raw/a</Key><Size>1</Size></Contents>"
      "<IsTruncated>true</IsTruncated><NextContinuationToken>same</NextContinuationToken>"
      "</ListBucketResult>";
  world.s3.script(200, page);
  world.s3.script(200, page);
  auto listed = store->list("");
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code, ErrorCode::kTransient);
}

TEST(S3ObjectStoreTest, RemoveIsIdempotentButAMissingBucketIsNot) {
  FakeWorld world;
  world.s3.setDeleteMissing404(true);
  auto store = world.make();
  ASSERT_TRUE(store->put("k", "v", kOverwrite).ok());
  EXPECT_TRUE(store->remove("k").ok());
  EXPECT_TRUE(store->remove("k").ok());  // 404 NoSuchKey: already gone
  world.s3.script(404, "<Error><Code>NoSuchBucket</Code><Message>gone</Message></Error>");
  EXPECT_EQ(store->remove("k").error().code, ErrorCode::kNotFound);
}

TEST(S3ObjectStoreTest, CheckBucketReportsAMissingBucketAsConfiguration) {
  FakeWorld world;
  auto options = FakeWorld::options();
  options.bucket = "no-such-lake";
  auto store = world.make(options);
  auto status = store->checkBucket();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
  EXPECT_NE(status.error().message.find("configuration: S3 bucket 'no-such-lake' does not exist at "
                                        "http://s3.test:9000 (region us-east-1)"),
            std::string::npos)
      << status.error().message;
  EXPECT_EQ(world.s3.requests().size(), 1u);  // no probe without a bucket
}

TEST(S3ObjectStoreTest, VirtualHostedAddressingWorksEndToEnd) {
  FakeWorld world;
  auto options = FakeWorld::options();
  options.addressing = aws::S3Addressing::kVirtualHosted;
  auto store = world.make(options);
  ASSERT_TRUE(store->put("a=b", "v", kOverwrite).ok());
  EXPECT_EQ(world.s3.requests().at(0).url, "http://lake.s3.test:9000/raw/a%3Db");
  EXPECT_EQ(headerOf(world.s3.requests().at(0), "host"), "lake.s3.test:9000");
  EXPECT_EQ(store->get("a=b").value(), "v");
  EXPECT_EQ(store->list("").value().at(0).key, "a=b");
}

TEST(S3ObjectStoreTest, OptionsNoRequestCouldSucceedWithAreRefused) {
  FakeWorld world;
  const auto refused = [&](auto change) {
    auto options = FakeWorld::options();
    change(options);
    auto store =
        S3ObjectStore::create(options, world.s3, world.credentials, world.clock, world.random);
    return !store.ok() && store.error().code == ErrorCode::kInvalidInput;
  };
  EXPECT_TRUE(refused([](S3Options& o) { o.verify_tls = false; }));
  EXPECT_TRUE(refused([](S3Options& o) { o.sse = "aws:kms:dsse"; }));
  EXPECT_TRUE(refused([](S3Options& o) { o.kms_key_id = "k"; }));
  EXPECT_TRUE(refused([](S3Options& o) { o.bucket.clear(); }));
  EXPECT_TRUE(refused([](S3Options& o) { o.region.clear(); }));
  EXPECT_TRUE(refused([](S3Options& o) { o.max_retries = -1; }));
  EXPECT_TRUE(refused([](S3Options& o) { o.list_page_size = 1001; }));
  EXPECT_TRUE(refused([](S3Options& o) { o.endpoint = "s3.test"; }));
  EXPECT_TRUE(world.s3.requests().empty());
  EXPECT_EQ(parseChecksum("md5").value(), Checksum::kMd5);
  EXPECT_EQ(parseConditionalCreate("never").value(), ConditionalCreate::kNever);
  EXPECT_FALSE(parseConditionalCreate("sometimes").ok());
}

TEST(S3ObjectStoreTest, LocationNamesBucketAndPrefix) {
  FakeWorld world;
  EXPECT_EQ(world.make()->location(), "s3://lake/raw");
}

}  // namespace
}  // namespace rawfeed::store::s3
