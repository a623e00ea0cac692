#include "digest/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace rawfeed::digest {
namespace {

// FIPS 180-2 / NIST CSHS examples.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, SafeFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] {
      for (int n = 0; n < 200; ++n)
        results[i] = sha256Hex("abc");
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (const auto& result : results) {
    EXPECT_EQ(result, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}

// RFC 4231 test case 2, and the raw forms SigV4 chains.
TEST(HmacSha256Test, RfcVectorAndRawDigests) {
  EXPECT_EQ(hexEncode(hmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(sha256("abc").size(), 32u);
  EXPECT_EQ(hexEncode(sha256("abc")), sha256Hex("abc"));
  EXPECT_EQ(hexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
}

}  // namespace
}  // namespace rawfeed::digest
