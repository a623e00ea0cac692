#include "lake/raw_key.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/time_format.h"

namespace rawfeed::lake {

namespace {

constexpr std::string_view kUpperHexDigits = "0123456789ABCDEF";

bool isKeySymbolByte(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool isSegmentByte(unsigned char c) {
  return isKeySymbolByte(c) || (c >= 'a' && c <= 'z');
}

bool isSegment(std::string_view value) {
  if (value.empty() || value == "." || value == "..")
    return false;
  for (const char c : value) {
    if (!isSegmentByte(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

void appendTwoDigits(std::string& out, int value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

// The date segments come from the day's numbers, never from slicing its text: a day that is
// not a valid date (validatePartition and the writer refuse one first) cannot turn into
// year=-100/month=-1; it gives segments that parseKey rejects.
void appendDate(std::string& out, std::string_view day) {
  const auto days = core::parseDate(day);
  const auto date = days ? core::civilDate(*days) : std::nullopt;
  if (!date) {
    out.append("/year=invalid/month=invalid/day=invalid");
    return;
  }
  out.append("/year=");
  appendTwoDigits(out, date->year / 100);
  appendTwoDigits(out, date->year % 100);
  out.append("/month=");
  appendTwoDigits(out, date->month);
  out.append("/day=");
  appendTwoDigits(out, date->day);
}

void appendPrefix(std::string& out, const PartitionKey& p) {
  out.append(p.domain).append("/").append(p.table_name);
  out.append("/interval=").append(p.interval);
  out.append("/data_source=").append(p.data_source);
  appendDate(out, p.day);
  out.push_back('/');
}

std::size_t prefixSize(const PartitionKey& p) {
  // "/interval=" "/data_source=" "/year=" "/month=" "/day=" "/" "/" and 4+2+2 date digits.
  return p.domain.size() + p.table_name.size() + p.interval.size() + p.data_source.size() + 56;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;  // lower-case hex is not canonical: encodeKeySymbol never writes it
}

std::optional<std::string> decodeKeySymbol(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      out.push_back(encoded[i]);
      continue;
    }
    if (i + 2 >= encoded.size())
      return std::nullopt;
    const int high = hexValue(encoded[i + 1]);
    const int low = hexValue(encoded[i + 2]);
    if (high < 0 || low < 0)
      return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  // Canonical form only, so that one symbol has exactly one key.
  if (encodeKeySymbol(out) != encoded)
    return std::nullopt;
  return out;
}

core::Error badKey(std::string_view key, const std::string& reason) {
  return core::makeError(core::ErrorCode::kInvalidInput,
                         "raw key '" + std::string(key) + "': " + reason);
}

std::vector<std::string_view> splitSegments(std::string_view key) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(key.substr(start));
      return segments;
    }
    segments.push_back(key.substr(start, slash - start));
    start = slash + 1;
  }
}

// "name=value" with a value that is a valid segment, else nullopt.
std::optional<std::string_view> hiveValue(std::string_view segment, std::string_view name) {
  if (segment.size() <= name.size() + 1 || segment.substr(0, name.size()) != name ||
      segment[name.size()] != '=') {
    return std::nullopt;
  }
  const std::string_view value = segment.substr(name.size() + 1);
  if (!isSegment(value))
    return std::nullopt;
  return value;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

core::Status validatePartition(const PartitionKey& partition) {
  const std::array<std::pair<const char*, const std::string*>, 4> fields = {{
      {"domain", &partition.domain},
      {"table_name", &partition.table_name},
      {"interval", &partition.interval},
      {"data_source", &partition.data_source},
  }};
  for (const auto& [name, value] : fields) {
    if (!isSegment(*value)) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             std::string(name) + ": '" + *value +
                                 "' must be non-empty [A-Za-z0-9._-], not '.' or '..'");
    }
  }
  return validateDay(partition.day);
}

core::Status validateDay(std::string_view day) {
  const auto days = core::parseDate(day);
  if (!days) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "day: '" + std::string(day) + "' is not a YYYY-MM-DD calendar date");
  }
  if (!core::isValidDay(*days)) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "day: '" + std::string(day) + "' is outside 1800-01-01 .. 2200-12-31");
  }
  return core::okStatus();
}

std::string encodeKeySymbol(std::string_view symbol) {
  std::string out;
  out.reserve(symbol.size() + 8);
  for (const char raw : symbol) {
    auto c = static_cast<unsigned char>(raw);
    if (c >= 'a' && c <= 'z')
      c = static_cast<unsigned char>(c - 'a' + 'A');
    if (isKeySymbolByte(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kUpperHexDigits[c >> 4]);
      out.push_back(kUpperHexDigits[c & 0xF]);
    }
  }
  return out;
}

std::string partitionPrefix(const PartitionKey& partition) {
  std::string out;
  out.reserve(prefixSize(partition));
  appendPrefix(out, partition);
  return out;
}

std::string objectKey(const PartitionKey& partition, std::string_view symbol, Format format,
                      core::Compression compression) {
  std::string out;
  out.reserve(prefixSize(partition) + symbol.size() * 3 + 8);
  appendPrefix(out, partition);
  out.append(encodeKeySymbol(symbol)).push_back('.');
  out.append(formatName(format));
  out.append(core::keySuffix(compression));
  return out;
}

std::string manifestKey(const PartitionKey& partition) {
  std::string out;
  out.reserve(prefixSize(partition) + kManifestFileName.size());
  appendPrefix(out, partition);
  out.append(kManifestFileName);
  return out;
}

core::Result<ParsedKey> parseKey(std::string_view key) {
  const std::vector<std::string_view> segments = splitSegments(key);
  if (segments.size() != 8) {
    return badKey(key,
                  "expected 8 '/'-separated segments, found " + std::to_string(segments.size()));
  }
  ParsedKey parsed;
  if (!isSegment(segments[0]))
    return badKey(key, "bad domain segment");
  if (!isSegment(segments[1]))
    return badKey(key, "bad table_name segment");
  parsed.partition.domain = segments[0];
  parsed.partition.table_name = segments[1];

  const auto interval = hiveValue(segments[2], "interval");
  if (!interval)
    return badKey(key, "third segment must be interval=<value>");
  const auto source = hiveValue(segments[3], "data_source");
  if (!source)
    return badKey(key, "fourth segment must be data_source=<value>");
  const auto year = hiveValue(segments[4], "year");
  const auto month = hiveValue(segments[5], "month");
  const auto day = hiveValue(segments[6], "day");
  if (!year || !month || !day || year->size() != 4 || month->size() != 2 || day->size() != 2) {
    return badKey(key, "date segments must be year=YYYY/month=MM/day=DD");
  }
  parsed.partition.interval = *interval;
  parsed.partition.data_source = *source;
  parsed.partition.day = std::string(*year) + "-" + std::string(*month) + "-" + std::string(*day);
  if (auto valid = validateDay(parsed.partition.day); !valid.ok()) {
    return badKey(key, valid.error().message);
  }

  std::string_view file = segments[7];
  if (file == kManifestFileName) {
    parsed.kind = KeyKind::kManifest;
    return parsed;
  }
  for (const auto compression : {core::Compression::kGzip, core::Compression::kZstd}) {
    const std::string_view suffix = core::keySuffix(compression);
    if (endsWith(file, suffix)) {
      parsed.compression = compression;
      file.remove_suffix(suffix.size());
      break;
    }
  }
  if (endsWith(file, ".json")) {
    parsed.format = Format::kJsonLines;
    file.remove_suffix(5);
  } else if (endsWith(file, ".csv")) {
    parsed.format = Format::kCsv;
    file.remove_suffix(4);
  } else {
    return badKey(key, "file name must end in .json or .csv, optionally followed by .gz or .zst");
  }
  if (file.empty())
    return badKey(key, "empty symbol");
  auto symbol = decodeKeySymbol(file);
  if (!symbol)
    return badKey(key, "symbol '" + std::string(file) + "' is not canonically encoded");
  parsed.symbol = std::move(*symbol);
  return parsed;
}

}  // namespace rawfeed::lake
