#include "aws/ini_file.h"

#include <gtest/gtest.h>

#include "contract/temp_dir.h"

namespace rawfeed::aws {
namespace {

TEST(IniFile, ParsesSectionsKeysCommentsAndNestedBlocks) {
  auto file = IniFile::parse(
      "# a comment\n"
      "; another\n"
      "[default]\n"
      "aws_access_key_id = AKID\n"
      "AWS_Secret_Access_Key=se=cret \n"
      "\n"
      "[profile prod]\r\n"
      "region = eu-west-1\r\n"
      "s3 =\n"
      "  addressing_style = path\n"
      "  max_concurrent_requests = 4\n"
      "output = json\n");
  ASSERT_TRUE(file.ok()) << file.error().describe();
  auto def = file->section("default");
  ASSERT_TRUE(def.has_value());
  EXPECT_EQ(def->get("aws_access_key_id"), "AKID");
  EXPECT_EQ(def->get("aws_secret_access_key"), "se=cret");  // '=' inside a value is kept
  auto prod = file->section("profile prod");
  ASSERT_TRUE(prod.has_value());
  EXPECT_EQ(prod->get("region"), "eu-west-1");
  EXPECT_EQ(prod->get("s3.addressing_style"), "path");
  EXPECT_EQ(prod->get("output"), "json");
  EXPECT_FALSE(file->section("missing").has_value());
}

TEST(IniFile, RepeatedSectionsMergeAndLastValueWins) {
  auto file = IniFile::parse("[a]\nx = 1\n[b]\ny = 2\n[a]\nx = 3\n");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->section("a")->get("x"), "3");
}

TEST(IniFile, ErrorsNameTheLineButNeverQuoteIt) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  for (const std::string& text : {std::string("[default]\n") + secret + "\n", secret + " = x\n",
                                  std::string("[default\n") + secret + "\n"}) {
    auto file = IniFile::parse(text);
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(file.error().message.find("line "), std::string::npos);
    EXPECT_EQ(file.error().describe().find(secret), std::string::npos) << file.error().message;
  }
}

TEST(IniFile, LoadReportsAMissingFileAsNotFound) {
  contract::TempDir dir;
  auto missing = IniFile::load(dir.path() / "credentials");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("credentials not found"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::aws
