#include "universe/universe_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "contract/temp_dir.h"

namespace rawfeed::universe {
namespace {

TEST(UniverseFileTest, ReadsLinesWithComments) {
  auto entries = parseUniverse("# header\nAAPL\n  msft  # note\n\n\r\nBRK-B\r\n", "inline");
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (std::vector<std::string>{"AAPL", "msft", "BRK-B"}));
}

TEST(UniverseFileTest, ReadsJsonArray) {
  auto entries = parseUniverse(" [\"A\", \"AA\", \"ABR$D\"]", "inline");
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (std::vector<std::string>{"A", "AA", "ABR$D"}));
}

TEST(UniverseFileTest, RejectsBadJsonNamingTheProblem) {
  auto broken = parseUniverse("[\"A\", ", "u.json");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("u.json: not valid JSON"), std::string::npos);
  auto not_strings = parseUniverse("[\"A\", 3]", "u.json");
  ASSERT_FALSE(not_strings.ok());
  EXPECT_NE(not_strings.error().message.find("element 1 is not a string"), std::string::npos);
}

TEST(UniverseFileTest, MissingFileIsNotFound) {
  auto missing = readUniverseFile("/nonexistent/universe.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/universe.txt"), std::string::npos);
}

TEST(UniverseFileTest, ReadsTheSharedUniverseWhenPresent) {
  const std::filesystem::path file =
      std::filesystem::path(RAWFEED_SHARED_DIR) / "universes" / "all_equities.json";
  ASSERT_TRUE(std::filesystem::exists(file))
      << "shared universe missing: " << file << " (set RAWFEED_SHARED_DIR)";
  auto entries = readUniverseFile(file);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_EQ(entries->size(), 7979u);
}

}  // namespace
}  // namespace rawfeed::universe
