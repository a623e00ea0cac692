#include "support/replay_registry.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/yahoo_fixtures.h"

namespace rawfeed::testing {

// The template as given and, when it is a chart body with sorted integer timestamps, where its
// per-bar values are: found once, so that a window's body is the template's own bytes with those
// arrays cut (the lake keeps the source's number text, so nothing is re-serialised). Each
// window's body (symbol not yet substituted) is built on first use and kept.
struct ReplayTemplate {
  explicit ReplayTemplate(std::string text);
  // The body for `symbol` and `window` (see ReplayRegistry::lookup).
  std::string answer(std::string_view symbol, const ReplayWindow& window) const;

 private:
  struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;  // one past
  };
  // `"key" : value` in an object: `whole` from the key's quote to the value's end.
  struct Member {
    std::string_view key;  // as written, without quotes
    Span whole;
    Span value;
  };
  // A member whose value is an array of one value a bar.
  struct Column {
    Member member;
    std::vector<Span> bars;  // empty: not per-bar, kept whole
  };
  // indicators.<series>: [{<column>: [...], ...}, ...]
  struct Series {
    Member member;
    bool objects = false;  // an array of objects, cut column by column
    std::vector<std::vector<Column>> elements;
  };
  struct Event {
    Member member;
    std::int64_t at = 0;  // its `date`, else its key
  };
  struct EventGroup {
    Member member;
    bool object = false;
    std::vector<Event> entries;
  };

  // Scans the valid JSON in `body` (checked first); false when it is no chart body with bars.
  bool locate();
  std::size_t skipSpace(std::size_t at) const;
  std::size_t stringEnd(std::size_t at) const;
  std::size_t valueEnd(std::size_t at) const;
  std::vector<Member> members(std::size_t open) const;
  std::vector<Span> elements(std::size_t open) const;
  std::string_view text(Span span) const;
  std::string_view keyPart(const Member& member) const;  // `"key":` with its spaces
  std::string slice(const std::vector<Span>& bars, std::size_t first, std::size_t last) const;

  // The body of the bars [first, last) as Yahoo answers a window holding exactly those.
  std::string windowBody(std::size_t first, std::size_t last) const;
  std::string indicatorsText(std::size_t first, std::size_t last) const;
  // Empty when no event is left.
  std::string eventsText(std::int64_t from, std::int64_t to, bool none) const;

  static constexpr std::size_t kMaxCachedWindows = 4096;
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  std::string body;
  bool windowable = false;
  Span result;                         // chart.result[0]
  std::vector<Member> result_members;  // its members, in order
  std::size_t timestamp_at = kNone;    // indices into result_members
  std::size_t indicators_at = kNone;
  std::size_t events_at = kNone;
  std::size_t meta_at = kNone;
  std::vector<std::int64_t> timestamps;
  std::vector<Span> timestamp_bars;
  std::vector<Series> indicators;
  std::vector<EventGroup> events;
  std::vector<Member> meta;
  std::size_t range_at = kNone;    // index into meta
  mutable std::mutex cache_mutex;  // guards windows (entries are never erased, so stay put)
  mutable std::map<std::pair<std::size_t, std::size_t>, std::string> windows;
};

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
  auto parsed = std::make_shared<const ReplayTemplate>(std::move(body));
  std::lock_guard<std::mutex> lock(mutex_);
  template_ = std::move(parsed);
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
  return lookup(symbol, ReplayWindow{});
}

ReplayResponse ReplayRegistry::lookup(const std::string& symbol, const ReplayWindow& window) const {
  std::shared_ptr<const ReplayTemplate> body;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = responses_.find(symbol); it != responses_.end()) {
      return it->second;
    }
    body = template_;
  }
  if (body) {
    return ReplayResponse{200, chartHeaders(), body->answer(symbol, window)};
  }
  return notFoundResponse();
}

ReplayWindow parseReplayWindow(std::string_view period1, std::string_view period2) {
  const auto seconds = [](std::string_view text) -> std::optional<std::int64_t> {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      return std::nullopt;
    }
    return value;
  };
  return ReplayWindow{seconds(period1), seconds(period2)};
}

ReplayTemplate::ReplayTemplate(std::string text) : body(std::move(text)) {
  windowable = nlohmann::json::accept(body) && locate();
}

std::size_t ReplayTemplate::skipSpace(std::size_t at) const {
  while (at < body.size() &&
         (body[at] == ' ' || body[at] == '\t' || body[at] == '\n' || body[at] == '\r')) {
    ++at;
  }
  return at;
}

std::size_t ReplayTemplate::stringEnd(std::size_t at) const {
  for (++at; at < body.size(); ++at) {
    if (body[at] == '\\') {
      ++at;
    } else if (body[at] == '"') {
      return at + 1;
    }
  }
  return body.size();
}

std::size_t ReplayTemplate::valueEnd(std::size_t at) const {
  if (at >= body.size()) {
    return body.size();
  }
  if (body[at] == '"') {
    return stringEnd(at);
  }
  if (body[at] == '{' || body[at] == '[') {
    int depth = 0;
    while (at < body.size()) {
      const char c = body[at];
      if (c == '"') {
        at = stringEnd(at);
        continue;
      }
      depth += (c == '{' || c == '[') ? 1 : (c == '}' || c == ']') ? -1 : 0;
      ++at;
      if (depth == 0) {
        return at;
      }
    }
    return body.size();
  }
  while (at < body.size() && body[at] != ',' && body[at] != '}' && body[at] != ']' &&
         body[at] != ' ' && body[at] != '\t' && body[at] != '\n' && body[at] != '\r') {
    ++at;
  }
  return at;
}

std::vector<ReplayTemplate::Member> ReplayTemplate::members(std::size_t open) const {
  std::vector<Member> out;
  std::size_t at = skipSpace(open + 1);
  while (at < body.size() && body[at] == '"') {
    Member member;
    const std::size_t key_end = stringEnd(at);
    member.key = std::string_view(body).substr(at + 1, key_end - at - 2);
    member.whole.begin = at;
    at = skipSpace(skipSpace(key_end) + 1);  // past ':'
    member.value = Span{at, valueEnd(at)};
    member.whole.end = member.value.end;
    out.push_back(member);
    at = skipSpace(member.value.end);
    if (at < body.size() && body[at] == ',') {
      at = skipSpace(at + 1);
    }
  }
  return out;
}

std::vector<ReplayTemplate::Span> ReplayTemplate::elements(std::size_t open) const {
  std::vector<Span> out;
  std::size_t at = skipSpace(open + 1);
  while (at < body.size() && body[at] != ']') {
    const Span element{at, valueEnd(at)};
    out.push_back(element);
    at = skipSpace(element.end);
    if (at < body.size() && body[at] == ',') {
      at = skipSpace(at + 1);
    }
  }
  return out;
}

std::string_view ReplayTemplate::text(Span span) const {
  return std::string_view(body).substr(span.begin, span.end - span.begin);
}

std::string_view ReplayTemplate::keyPart(const Member& member) const {
  return text(Span{member.whole.begin, member.value.begin});
}

bool ReplayTemplate::locate() {
  const auto isA = [this](const Span& value, char open) {
    return value.begin < body.size() && body[value.begin] == open;
  };
  const auto find = [](const std::vector<Member>& in, std::string_view key) -> const Member* {
    for (const Member& member : in) {
      if (member.key == key) {
        return &member;
      }
    }
    return nullptr;
  };
  const std::size_t root = skipSpace(0);
  if (!isA(Span{root, root}, '{')) {
    return false;
  }
  const auto top = members(root);
  const Member* chart = find(top, "chart");
  if (chart == nullptr || !isA(chart->value, '{')) {
    return false;
  }
  const auto inside = members(chart->value.begin);
  const Member* results = find(inside, "result");
  if (results == nullptr || !isA(results->value, '[')) {
    return false;
  }
  const auto list = elements(results->value.begin);
  if (list.empty() || !isA(list.front(), '{')) {
    return false;
  }
  result = list.front();
  result_members = members(result.begin);
  for (std::size_t i = 0; i < result_members.size(); ++i) {
    const std::string_view key = result_members[i].key;
    if (key == "timestamp") {
      timestamp_at = i;
    } else if (key == "indicators") {
      indicators_at = i;
    } else if (key == "events") {
      events_at = i;
    } else if (key == "meta") {
      meta_at = i;
    }
  }
  if (timestamp_at == kNone || !isA(result_members[timestamp_at].value, '[')) {
    return false;
  }
  timestamp_bars = elements(result_members[timestamp_at].value.begin);
  for (const Span& bar : timestamp_bars) {
    std::int64_t stamp = 0;
    const auto [end, error] =
        std::from_chars(body.data() + bar.begin, body.data() + bar.end, stamp);
    if (error != std::errc() || end != body.data() + bar.end) {
      return false;
    }
    timestamps.push_back(stamp);
  }
  if (!std::is_sorted(timestamps.begin(), timestamps.end())) {
    return false;
  }
  if (indicators_at != kNone && isA(result_members[indicators_at].value, '{')) {
    for (const Member& member : members(result_members[indicators_at].value.begin)) {
      Series series{member, false, {}};
      if (isA(member.value, '[')) {
        const auto items = elements(member.value.begin);
        series.objects = std::all_of(items.begin(), items.end(),
                                     [&](const Span& item) { return isA(item, '{'); });
        for (const Span& item : series.objects ? items : std::vector<Span>{}) {
          std::vector<Column> columns;
          for (const Member& column : members(item.begin)) {
            std::vector<Span> bars;
            if (isA(column.value, '[')) {
              bars = elements(column.value.begin);
            }
            if (bars.size() != timestamps.size()) {
              bars.clear();
            }
            columns.push_back(Column{column, std::move(bars)});
          }
          series.elements.push_back(std::move(columns));
        }
      }
      indicators.push_back(std::move(series));
    }
  } else {
    indicators_at = kNone;
  }
  if (events_at != kNone && isA(result_members[events_at].value, '{')) {
    for (const Member& member : members(result_members[events_at].value.begin)) {
      EventGroup group{member, isA(member.value, '{'), {}};
      for (const Member& entry :
           group.object ? members(member.value.begin) : std::vector<Member>{}) {
        std::int64_t at = 0;
        std::string_view stamp = entry.key;
        if (isA(entry.value, '{')) {
          // Kept in a variable: `find` points into it.
          const std::vector<Member> fields = members(entry.value.begin);
          if (const Member* date = find(fields, "date")) {
            stamp = text(date->value);
          }
        }
        (void)std::from_chars(stamp.data(), stamp.data() + stamp.size(), at);
        group.entries.push_back(Event{entry, at});
      }
      events.push_back(std::move(group));
    }
  } else {
    events_at = kNone;
  }
  if (meta_at != kNone && isA(result_members[meta_at].value, '{')) {
    meta = members(result_members[meta_at].value.begin);
    for (std::size_t i = 0; i < meta.size(); ++i) {
      if (meta[i].key == "range") {
        range_at = i;
      }
    }
  }
  return true;
}

std::string ReplayTemplate::answer(std::string_view symbol, const ReplayWindow& window) const {
  if (!window.bounded() || !windowable) {
    return substituteSymbol(body, symbol);
  }
  const auto bound = [this](const std::optional<std::int64_t>& at, std::size_t open) {
    return at ? static_cast<std::size_t>(
                    std::lower_bound(timestamps.begin(), timestamps.end(), *at) -
                    timestamps.begin())
              : open;
  };
  const std::size_t first = bound(window.period1, 0);
  const std::size_t last = std::max(first, bound(window.period2, timestamps.size()));
  std::string uncached;
  const std::string* cut = nullptr;
  {
    std::lock_guard<std::mutex> lock(cache_mutex);
    auto it = windows.find({first, last});
    if (it == windows.end() && windows.size() < kMaxCachedWindows) {
      it = windows.emplace(std::pair{first, last}, windowBody(first, last)).first;
    }
    if (it != windows.end()) {
      cut = &it->second;
    } else {
      uncached = windowBody(first, last);
    }
  }
  return substituteSymbol(cut != nullptr ? *cut : uncached, symbol);
}

std::string ReplayTemplate::slice(const std::vector<Span>& bars, std::size_t first,
                                  std::size_t last) const {
  std::string out = "[";
  for (std::size_t i = first; i < last; ++i) {
    if (i > first) {
      out += ',';
    }
    out += text(bars[i]);
  }
  out += ']';
  return out;
}

std::string ReplayTemplate::windowBody(std::size_t first, std::size_t last) const {
  const bool none = first == last;
  std::string out(text(Span{0, result.begin}));
  out += '{';
  bool separate = false;
  for (std::size_t i = 0; i < result_members.size(); ++i) {
    const Member& member = result_members[i];
    std::string piece;
    if (i == timestamp_at) {
      if (none) {
        continue;  // Yahoo's no-data shape has no timestamp
      }
      piece = std::string(keyPart(member)) + slice(timestamp_bars, first, last);
    } else if (i == indicators_at) {
      piece = std::string(keyPart(member)) + indicatorsText(first, last);
    } else if (i == events_at) {
      const std::string kept =
          eventsText(none ? 0 : timestamps[first], none ? 0 : timestamps[last - 1], none);
      if (kept.empty()) {
        continue;
      }
      piece = std::string(keyPart(member)) + kept;
    } else if (i == meta_at && range_at != kNone) {
      // With period1/period2 Yahoo's meta.range is "".
      piece = std::string(keyPart(member)) + '{';
      for (std::size_t m = 0; m < meta.size(); ++m) {
        piece += m > 0 ? "," : "";
        piece += m == range_at ? std::string(keyPart(meta[m])) + "\"\""
                               : std::string(text(meta[m].whole));
      }
      piece += '}';
    } else {
      piece = std::string(text(member.whole));
    }
    out += separate ? "," : "";
    out += piece;
    separate = true;
  }
  out += '}';
  out += text(Span{result.end, body.size()});
  return out;
}

std::string ReplayTemplate::indicatorsText(std::size_t first, std::size_t last) const {
  const bool none = first == last;
  std::string out = "{";
  for (std::size_t s = 0; s < indicators.size(); ++s) {
    const Series& series = indicators[s];
    out += s > 0 ? "," : "";
    if (!series.objects) {
      out += text(series.member.whole);
      continue;
    }
    out += keyPart(series.member);
    out += '[';
    for (std::size_t e = 0; e < series.elements.size(); ++e) {
      out += e > 0 ? "," : "";
      if (none) {
        out += "{}";  // Yahoo's no-data shape: quote:[{}], adjclose:[{}]
        continue;
      }
      out += '{';
      const auto& columns = series.elements[e];
      for (std::size_t c = 0; c < columns.size(); ++c) {
        out += c > 0 ? "," : "";
        if (columns[c].bars.empty()) {
          out += text(columns[c].member.whole);
        } else {
          out += keyPart(columns[c].member);
          out += slice(columns[c].bars, first, last);
        }
      }
      out += '}';
    }
    out += ']';
  }
  out += '}';
  return out;
}

std::string ReplayTemplate::eventsText(std::int64_t from, std::int64_t to, bool none) const {
  std::string out;
  for (const EventGroup& group : events) {
    std::string kept;
    if (!group.object) {
      continue;
    }
    for (const Event& event : group.entries) {
      if (!none && event.at >= from && event.at <= to) {
        kept += kept.empty() ? "" : ",";
        kept += text(event.member.whole);
      }
    }
    if (kept.empty()) {
      continue;
    }
    out += out.empty() ? "{" : ",";
    out += keyPart(group.member);
    out += '{' + kept + '}';
  }
  return out.empty() ? out : out + '}';
}

}  // namespace rawfeed::testing
