#include "store/local/object_key.h"

#include <gtest/gtest.h>

#include <string>

namespace rawfeed::store::local {
namespace {

TEST(ObjectKeyTest, AcceptsContractKeys) {
  for (const char* key :
       {"a", "AAPL.json", "d/t/interval=1d/data_source=y/year=2024/month=03/day=07/%5EGSPC.json",
        "a/b/_batch.manifest.json", "a/.hidden", "a/..b", "a/b..", "a/tmp-x", "a/.tmp"}) {
    EXPECT_TRUE(validateKey(key).ok()) << key;
  }
  EXPECT_TRUE(validateKey(std::string(255, 'x')).ok());
  EXPECT_TRUE(validateKey(std::string(255, 'x') + "/" + std::string(255, 'y')).ok());
  std::string longest;
  while (longest.size() + 201 <= 1024)
    longest += std::string(200, 'k') + "/";
  longest += std::string(1024 - longest.size(), 'z');
  ASSERT_EQ(longest.size(), 1024u);
  EXPECT_TRUE(validateKey(longest).ok());
}

TEST(ObjectKeyTest, RejectsWithAReasonNamingTheKey) {
  struct Case {
    std::string key;
    const char* reason;
  };
  const Case cases[] = {
      {"", "empty"},
      {"/abs/key", "relative"},
      {"a//b", "empty segment"},
      {"a/", "empty segment"},
      {"./a", "'.' or '..'"},
      {"a/./b", "'.' or '..'"},
      {"a/../b", "'.' or '..'"},
      {"..", "'.' or '..'"},
      {"a\\b", "backslash"},
      {std::string("a\0b", 3), "NUL"},
      {std::string(1025, 'k'), "1024"},
      {"a/" + std::string(256, 's'), "255"},
      {".tmp-123", ".tmp-"},
      {"a/.tmp-x/b", ".tmp-"},
  };
  for (const Case& c : cases) {
    const auto status = validateKey(c.key);
    ASSERT_FALSE(status.ok()) << c.key;
    EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(status.error().message.find(c.reason), std::string::npos) << status.error().message;
    EXPECT_NE(status.error().message.find("'" + c.key + "'"), std::string::npos);
  }
}

}  // namespace
}  // namespace rawfeed::store::local
