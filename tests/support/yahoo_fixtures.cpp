#include "support/yahoo_fixtures.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace rawfeed::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    fail(file, "cannot open");
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// These describe the recorded transfer, not the body we hand out (decompressed, re-serialized).
bool isTransferHeader(const std::string& lowered_name) {
  return lowered_name == "content-length" || lowered_name == "content-encoding" ||
         lowered_name == "transfer-encoding";
}

void addHeader(RecordedResponse& response, const std::string& name, std::string value) {
  std::string key = lower(name);
  if (!isTransferHeader(key)) {
    response.headers.emplace_back(std::move(key), std::move(value));
  }
}

// Yahoo's error envelopes name the HTTP reason phrase, which is all a raw body tells of its status.
int statusFromReasonPhrase(const std::string& phrase) {
  if (phrase == "Bad Request")
    return 400;
  if (phrase == "Unauthorized")
    return 401;
  if (phrase == "Forbidden")
    return 403;
  if (phrase == "Not Found")
    return 404;
  if (phrase == "Unprocessable Entity")
    return 422;
  if (phrase == "Too Many Requests")
    return 429;
  return 500;
}

int statusOfRawBody(const Json& body) {
  for (const char* envelope : {"chart", "finance"}) {
    if (!body.is_object() || !body.contains(envelope) || !body[envelope].is_object()) {
      continue;
    }
    const Json& error = body[envelope].value("error", Json());
    if (error.is_object()) {
      return statusFromReasonPhrase(error.value("code", std::string()));
    }
  }
  return 200;
}

RecordedResponse fromWrapper(const fs::path& file, const Json& wrapper) {
  RecordedResponse response;
  response.fixture = file.filename().string();
  response.url = wrapper["request"].value("url", std::string());
  const Json& recorded = wrapper["response"];
  if (!recorded.contains("status") || !recorded["status"].is_number_integer()) {
    fail(file, "wrapper without an integer response.status");
  }
  response.status = recorded["status"].get<int>();
  if (recorded.contains("headers")) {
    for (const auto& [name, value] : recorded["headers"].items()) {
      if (value.is_array()) {
        for (const Json& item : value) {
          addHeader(response, name, item.get<std::string>());
        }
      } else {
        addHeader(response, name, value.get<std::string>());
      }
    }
  }
  if (recorded.contains("bodyJson")) {
    response.body = recorded["bodyJson"].dump();
  } else if (recorded.contains("body")) {
    response.body = recorded["body"].get<std::string>();
  }
  return response;
}

RecordedResponse fromJsonFile(const fs::path& file) {
  std::string text = readFile(file);
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    fail(file, "not valid JSON");
  }
  if (parsed.is_object() && parsed.contains("request") && parsed.contains("response")) {
    return fromWrapper(file, parsed);
  }
  RecordedResponse response;
  response.fixture = file.filename().string();
  response.status = statusOfRawBody(parsed);
  response.headers = {{"content-type", "application/json;charset=utf-8"}};
  response.body = std::move(text);
  return response;
}

RecordedResponse fromTextFile(const fs::path& file) {
  // The .txt fixtures are the exact non-JSON bodies of 429 answers (INDEX.md).
  RecordedResponse response;
  response.fixture = file.filename().string();
  response.status = 429;
  response.headers = {{"content-type", "text/html"}};
  response.body = readFile(file);
  return response;
}

std::string base64Decode(const fs::path& file, const std::string& text) {
  std::string clean;
  std::copy_if(text.begin(), text.end(), std::back_inserter(clean),
               [](unsigned char c) { return !std::isspace(c); });
  std::string out(clean.size() / 4 * 3 + 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(clean.data()),
                                      static_cast<int>(clean.size()));
  if (written < 0 || clean.size() % 4 != 0) {
    fail(file, "bad base64 body");
  }
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t padding = 0;
  for (auto it = clean.rbegin(); it != clean.rend() && *it == '='; ++it) {
    ++padding;
  }
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

bool isGzip(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip(const fs::path& file, const std::string& bytes) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    fail(file, "inflateInit2 failed");
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buffer[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) {
    fail(file, "gzip body does not inflate (zlib " + std::to_string(rc) + ")");
  }
  return out;
}

std::size_t indentOf(std::string_view line) {
  const std::size_t first = line.find_first_not_of(' ');
  return first == std::string_view::npos ? line.size() : first;
}

std::string unquoteYaml(const fs::path& file, std::string_view value) {
  if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
    std::string out;
    for (std::size_t i = 1; i + 1 < value.size(); ++i) {
      out += value[i];
      if (value[i] == '\'') {
        if (value[i + 1] != '\'') {
          fail(file, "unescaped quote in a single-quoted scalar");
        }
        ++i;  // '' is one quote
      }
    }
    return out;
  }
  if (!value.empty() && (value.front() == '\'' || value.front() == '"')) {
    fail(file, "multi-line or double-quoted YAML scalars are not supported");
  }
  return std::string(value);
}

// A purpose-built reader for vcrpy cassettes shaped like the OpenBB one: two-space indents,
// block mappings, one-line single-quoted strings or `!!binary |` blocks. Anything else throws.
class CassetteReader {
 public:
  explicit CassetteReader(const fs::path& file) : file_(file) {}

  std::vector<RecordedResponse> read() {
    std::istringstream in(readFile(file_));
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      consume(line);
    }
    finishBinary();
    finishInteraction();
    if (out_.empty()) {
      fail(file_, "no interactions");
    }
    return std::move(out_);
  }

 private:
  enum class Section { kNone, kRequest, kResponse };
  enum class Part { kNone, kBody, kHeaders, kStatus, kOther };

  void consume(const std::string& line) {
    const std::size_t indent = indentOf(line);
    std::string_view text = std::string_view(line).substr(indent);
    if (in_binary_) {
      if (indent >= 8 && !text.empty()) {
        binary_ += text;
        return;
      }
      finishBinary();
    }
    if (text.empty()) {
      return;
    }
    if (indent == 0) {
      if (text == "- request:") {
        finishInteraction();
        current_ = RecordedResponse{};
        current_.fixture = file_.filename().string();
        have_current_ = true;
        section_ = Section::kRequest;
      } else {
        section_ = Section::kNone;
      }
      return;
    }
    if (indent == 2) {
      section_ = text == "response:" ? Section::kResponse : Section::kNone;
      part_ = Part::kNone;
      return;
    }
    if (section_ == Section::kRequest && indent == 4 && text.rfind("uri: ", 0) == 0) {
      current_.url = unquoteYaml(file_, text.substr(5));
    } else if (section_ == Section::kResponse) {
      consumeResponse(indent, text);
    }
  }

  void consumeResponse(std::size_t indent, std::string_view text) {
    if (indent == 4) {
      part_ = text == "body:"      ? Part::kBody
              : text == "headers:" ? Part::kHeaders
              : text == "status:"  ? Part::kStatus
                                   : Part::kOther;
      return;
    }
    if (indent != 6) {
      return;
    }
    if (part_ == Part::kBody && text.rfind("string: ", 0) == 0) {
      std::string_view value = text.substr(8);
      if (value == "!!binary |") {
        in_binary_ = true;
        binary_.clear();
      } else {
        current_.body = unquoteYaml(file_, value);
      }
    } else if (part_ == Part::kHeaders) {
      if (text.rfind("- ", 0) == 0) {
        addHeader(current_, header_name_, unquoteYaml(file_, text.substr(2)));
      } else if (!text.empty() && text.back() == ':') {
        header_name_ = std::string(text.substr(0, text.size() - 1));
      }
    } else if (part_ == Part::kStatus && text.rfind("code: ", 0) == 0) {
      current_.status = std::stoi(std::string(text.substr(6)));
    }
  }

  void finishBinary() {
    if (!in_binary_) {
      return;
    }
    in_binary_ = false;
    std::string bytes = base64Decode(file_, binary_);
    current_.body = isGzip(bytes) ? gunzip(file_, bytes) : std::move(bytes);
  }

  void finishInteraction() {
    if (have_current_) {
      out_.push_back(std::move(current_));
      have_current_ = false;
    }
  }

  fs::path file_;
  std::vector<RecordedResponse> out_;
  RecordedResponse current_;
  bool have_current_ = false;
  Section section_ = Section::kNone;
  Part part_ = Part::kNone;
  std::string header_name_;
  bool in_binary_ = false;
  std::string binary_;
};

}  // namespace

std::filesystem::path sharedDir() {
  if (const char* env = std::getenv("RAWFEED_SHARED_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return RAWFEED_SHARED_DIR;
}

std::filesystem::path yahooFixtureDir() {
  return sharedDir() / "fixtures" / "yahoo";
}

bool yahooFixturesPresent() {
  const fs::path dir = yahooFixtureDir();
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    return true;
  }
  std::cerr << "Yahoo fixtures missing: " << dir.string()
            << " (set RAWFEED_SHARED_DIR to the folder holding fixtures/yahoo)\n";
  return false;
}

std::vector<RecordedResponse> loadYahooFixture(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".json") {
    return {fromJsonFile(file)};
  }
  if (ext == ".txt") {
    return {fromTextFile(file)};
  }
  if (ext == ".yaml" || ext == ".yml") {
    return CassetteReader(file).read();
  }
  fail(file, "unknown fixture format");
}

std::vector<std::filesystem::path> listYahooFixtures() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(yahooFixtureDir(), ec)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".json" || ext == ".txt" || ext == ".yaml")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return files;
}

}  // namespace rawfeed::testing
