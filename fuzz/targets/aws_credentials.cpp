// Where credentials come from outside: the JSON document of the container endpoint and of EC2
// instance metadata, its Expiration timestamp, and the INI dialect of ~/.aws/credentials and
// ~/.aws/config. A document accepted has both keys; a timestamp read formats as the same
// instant; an INI file's sections and keys keep their grammar.
#include <cctype>

#include "aws/amz_time.h"
#include "aws/credential_document.h"
#include "aws/ini_file.h"
#include "aws/shared_config.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace rawfeed;

void checkDocument(std::string_view text) {
  const auto credentials = aws::parseCredentialDocument(text);
  if (!credentials.ok()) {
    FUZZ_CHECK(credentials.error().code == core::ErrorCode::kUnauthenticated,
               "not kUnauthenticated");
    return;
  }
  FUZZ_CHECK(!credentials->access_key_id.empty() && !credentials->secret_access_key.empty(),
             "a document without keys was accepted");
}

void checkTime(std::string_view text) {
  const auto time = aws::parseIso8601(text);
  if (!time)
    return;
  // Back through the X-Amz-Date form, within the years it can write.
  const std::string amz = aws::formatAmzDate(*time);
  if (amz.size() != 16 || amz[0] == '-')
    return;
  const std::string iso = amz.substr(0, 4) + "-" + amz.substr(4, 2) + "-" + amz.substr(6, 2) + "T" +
                          amz.substr(9, 2) + ":" + amz.substr(11, 2) + ":" + amz.substr(13, 2) +
                          "Z";
  const auto again = aws::parseIso8601(iso);
  FUZZ_CHECK(again && *again == *time, std::string(text) + " -> " + iso);
}

void checkIni(std::string_view text) {
  const auto file = aws::IniFile::parse(text);
  if (!file.ok()) {
    FUZZ_CHECK(file.error().code == core::ErrorCode::kInvalidInput, "not kInvalidInput");
    FUZZ_CHECK(file.error().message.rfind("line ", 0) == 0, "an error without its line");
    return;
  }
  for (const aws::IniSection& section : file->sections()) {
    for (const auto& [key, value] : section.entries) {
      for (const char c : key)
        FUZZ_CHECK(!std::isupper(static_cast<unsigned char>(c)), "a key not lower-cased: " + key);
      FUZZ_CHECK(section.get(key).has_value(), "a key that get() cannot find: " + key);
    }
    FUZZ_CHECK(file->section(section.name).has_value(), "section() misses " + section.name);
  }
  (void)aws::configProfileSection(*file, "default");
  (void)aws::configProfileSection(*file, "prod");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  checkDocument(text);
  checkTime(fuzz::splitLine(text).first);
  checkIni(text);
  return 0;
}
