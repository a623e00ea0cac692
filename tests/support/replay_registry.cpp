#include "support/replay_registry.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/yahoo_fixtures.h"

namespace rawfeed::testing {
namespace {

constexpr std::string_view kNotFoundBody =
    R"({"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}})";

std::string jsonEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// Recorded framing headers describe the recorded bytes, not what this server sends.
bool isFramingHeader(const std::string& name) {
  return name == "content-length" || name == "transfer-encoding" || name == "content-encoding" ||
         name == "connection" || name == "keep-alive";
}

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> chartHeaders() {
  return {{"content-type", "application/json;charset=utf-8"},
          {"cache-control", "public, max-age=10, stale-while-revalidate=20"},
          {"vary", "Origin,Accept-Encoding"}};
}

ReplayResponse csvResponse(std::string body) {
  return ReplayResponse{200, {{"content-type", "text/csv; charset=utf-8"}}, std::move(body)};
}

ReplayResponse notFoundResponse() {
  return ReplayResponse{
      404,
      {{"content-type", "application/json;charset=utf-8"}, {"cache-control", "max-age=0, private"}},
      std::string(kNotFoundBody)};
}

std::string substituteSymbol(std::string_view body, std::string_view symbol) {
  static constexpr std::string_view kKey = "\"symbol\":";
  const std::string value = jsonEscape(symbol);
  std::string out;
  std::size_t from = 0;
  for (auto at = body.find(kKey); at != std::string_view::npos; at = body.find(kKey, from)) {
    std::size_t open = at + kKey.size();
    while (open < body.size() && body[open] == ' ') {
      ++open;
    }
    const std::size_t close =
        open < body.size() && body[open] == '"' ? body.find('"', open + 1) : std::string_view::npos;
    if (close == std::string_view::npos) {
      break;  // not a string value: leave the rest untouched
    }
    out.append(body.substr(from, open + 1 - from));
    out.append(value);
    from = close;
  }
  out.append(body.substr(from));
  return out;
}

void ReplayRegistry::put(std::string symbol, ReplayResponse response) {
  std::lock_guard<std::mutex> lock(mutex_);
  responses_[std::move(symbol)] = std::move(response);
}

void ReplayRegistry::setTemplate(std::string body) {
  std::lock_guard<std::mutex> lock(mutex_);
  template_ = std::move(body);
}

std::size_t ReplayRegistry::loadDirectory(const std::filesystem::path& dir) {
  std::size_t loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") {
      continue;
    }
    const auto interactions = loadYahooFixture(entry.path());
    if (interactions.empty()) {
      throw std::runtime_error("no response in " + entry.path().string());
    }
    const RecordedResponse& recorded = interactions.front();
    ReplayResponse response{recorded.status, {}, recorded.body};
    for (const auto& header : recorded.headers) {
      if (!isFramingHeader(header.first)) {
        response.headers.push_back(header);
      }
    }
    if (response.headers.empty()) {
      response.headers = recorded.status == 200 ? chartHeaders() : notFoundResponse().headers;
    }
    put(entry.path().stem().string(), std::move(response));
    ++loaded;
  }
  return loaded;
}

void ReplayRegistry::loadTemplate(const std::filesystem::path& file) {
  setTemplate(readFile(file));
}

ReplayResponse ReplayRegistry::lookup(const std::string& symbol) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = responses_.find(symbol); it != responses_.end()) {
    return it->second;
  }
  if (template_) {
    return ReplayResponse{200, chartHeaders(), substituteSymbol(*template_, symbol)};
  }
  return notFoundResponse();
}

}  // namespace rawfeed::testing
