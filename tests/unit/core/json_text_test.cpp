#include "core/json_text.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <random>

namespace rawfeed::core {
namespace {

std::string asJsonString(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

TEST(JsonText, StringsAreWhatNlohmannDumps) {
  const std::string control = std::string("nul\0x\x01\x1f\x7f", 9);
  for (const std::string& text : std::vector<std::string>{
           "", "AAPL", "BRK.B", "k/\"quoted\"\\", "line\nbreak\r\ttab\b\f", control,
           "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x88", "</script>", "^VIX"}) {
    EXPECT_EQ(asJsonString(text), nlohmann::json(text).dump()) << text;
  }
}

TEST(JsonText, RandomValidStringsAreWhatNlohmannDumps) {
  // Random code points of every UTF-8 length, control characters among them.
  std::mt19937 random(7);
  std::uniform_int_distribution<int> kind(0, 4);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int i = 0; i < 12; ++i) {
      char32_t point = 0;
      switch (kind(random)) {
        case 0:
          point = std::uniform_int_distribution<char32_t>(0, 0x1f)(random);
          break;
        case 1:
          point = std::uniform_int_distribution<char32_t>(0x20, 0x7f)(random);
          break;
        case 2:
          point = std::uniform_int_distribution<char32_t>(0x80, 0x7ff)(random);
          break;
        case 3:
          point = std::uniform_int_distribution<char32_t>(0xe000, 0xffff)(random);
          break;
        default:
          point = std::uniform_int_distribution<char32_t>(0x10000, 0x10ffff)(random);
      }
      if (point < 0x80) {
        text += static_cast<char>(point);
      } else if (point < 0x800) {
        text += static_cast<char>(0xC0 | (point >> 6));
        text += static_cast<char>(0x80 | (point & 0x3F));
      } else if (point < 0x10000) {
        text += static_cast<char>(0xE0 | (point >> 12));
        text += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
        text += static_cast<char>(0x80 | (point & 0x3F));
      } else {
        text += static_cast<char>(0xF0 | (point >> 18));
        text += static_cast<char>(0x80 | ((point >> 12) & 0x3F));
        text += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
        text += static_cast<char>(0x80 | (point & 0x3F));
      }
    }
    ASSERT_EQ(asJsonString(text), nlohmann::json(text).dump()) << "round " << round;
  }
}

TEST(JsonText, InvalidUtf8BecomesReplacementCharactersAndStaysValidJson) {
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate, above U+10FFFF.
  for (const std::string text : {"a\x80z", "a\xE2\x82", "a\xE2\x82z", "\xC0\xAF", "\xED\xA0\x80",
                                 "\xF4\x90\x80\x80", "\xFF"}) {
    const std::string out = asJsonString(text);
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;
    const auto parsed = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(parsed.is_discarded()) << out;
    // What nlohmann's own replace mode makes of it.
    EXPECT_EQ(out,
              nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

TEST(JsonText, IntegersAndBooleans) {
  std::string out;
  appendJsonInt(out, 0);
  out += ',';
  appendJsonInt(out, -42);
  out += ',';
  appendJsonInt(out, std::numeric_limits<std::int64_t>::min());
  out += ',';
  appendJsonBool(out, true);
  appendJsonKey(out, "k");
  EXPECT_EQ(out, "0,-42,-9223372036854775808,true\"k\":");
}

}  // namespace
}  // namespace rawfeed::core
