#include "lake/record_writer.h"

#include <optional>

#include "core/time_format.h"

namespace rawfeed::lake {

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

void appendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHexDigits[c >> 4]);
          out.push_back(kHexDigits[c & 0xF]);
        } else {
          out.push_back(raw);  // UTF-8 passes through unchanged, as JSON allows
        }
    }
  }
  out.push_back('"');
}

// RFC 4180: quote only when the field needs it, doubling inner quotes.
void appendCsvField(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"')
      out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void appendJsonNumber(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    out.append(*value);
  } else {
    out.append("null");
  }
}

void appendJsonLine(std::string& out, const std::string& quoted_symbol, const core::Record& r) {
  out.append("{\"symbol\":").append(quoted_symbol);
  out.append(",\"timestamp\":\"").append(core::formatIsoUtc(r.timestamp));
  out.append("\",\"open\":");
  appendJsonNumber(out, r.open);
  out.append(",\"high\":");
  appendJsonNumber(out, r.high);
  out.append(",\"low\":");
  appendJsonNumber(out, r.low);
  out.append(",\"close\":");
  appendJsonNumber(out, r.close);
  out.append(",\"adjusted_close\":");
  appendJsonNumber(out, r.adjusted_close);
  out.append(",\"volume\":");
  appendJsonNumber(out, r.volume);
  out.append("}\n");
}

void appendCsvValue(std::string& out, const std::optional<std::string>& value) {
  out.push_back(',');
  if (value)
    out.append(*value);
}

void appendCsvRow(std::string& out, const std::string& csv_symbol, const core::Record& r) {
  out.append(csv_symbol).push_back(',');
  out.append(core::formatIsoUtc(r.timestamp));
  appendCsvValue(out, r.open);
  appendCsvValue(out, r.high);
  appendCsvValue(out, r.low);
  appendCsvValue(out, r.close);
  appendCsvValue(out, r.adjusted_close);
  appendCsvValue(out, r.volume);
  out.push_back('\n');
}

// An action's text field: a JSON string, null when empty.
void appendActionJsonText(std::string& out, const std::string& text) {
  if (text.empty()) {
    out.append("null");
  } else {
    appendJsonString(out, text);
  }
}

// An action's number field: the source's text, null when empty.
void appendActionJsonNumber(std::string& out, const std::string& text) {
  out.append(text.empty() ? std::string_view("null") : std::string_view(text));
}

void appendActionJsonLine(std::string& out, const std::string& quoted_symbol,
                          const core::CorporateAction& a) {
  out.append("{\"symbol\":").append(quoted_symbol);
  out.append(",\"date\":");
  appendJsonString(out, a.day);
  out.append(",\"timestamp\":\"").append(core::formatIsoUtc(a.timestamp));
  out.append("\",\"type\":\"").append(core::corporateActionKindName(a.kind));
  out.append("\",\"amount\":");
  appendActionJsonNumber(out, a.amount);
  out.append(",\"currency\":");
  appendActionJsonText(out, a.currency);
  out.append(",\"numerator\":");
  appendActionJsonNumber(out, a.numerator);
  out.append(",\"denominator\":");
  appendActionJsonNumber(out, a.denominator);
  out.append(",\"split_ratio\":");
  appendActionJsonText(out, a.ratio);
  out.append("}\n");
}

void appendActionCsvRow(std::string& out, const std::string& csv_symbol,
                        const core::CorporateAction& a) {
  out.append(csv_symbol).push_back(',');
  appendCsvField(out, a.day);
  out.push_back(',');
  out.append(core::formatIsoUtc(a.timestamp)).push_back(',');
  out.append(core::corporateActionKindName(a.kind)).push_back(',');
  out.append(a.amount).push_back(',');
  appendCsvField(out, a.currency);
  out.push_back(',');
  out.append(a.numerator).push_back(',');
  out.append(a.denominator).push_back(',');
  appendCsvField(out, a.ratio);
  out.push_back('\n');
}

}  // namespace

std::string serializeActions(std::string_view symbol,
                             const std::vector<core::CorporateAction>& actions, Format format) {
  std::string out;
  std::string prepared_symbol;
  if (format == Format::kCsv) {
    appendCsvField(prepared_symbol, symbol);
    out.append(kActionsCsvHeader);
    for (const core::CorporateAction& action : actions)
      appendActionCsvRow(out, prepared_symbol, action);
  } else {
    appendJsonString(prepared_symbol, symbol);
    for (const core::CorporateAction& action : actions)
      appendActionJsonLine(out, prepared_symbol, action);
  }
  return out;
}

std::string serialize(std::string_view symbol, const std::vector<core::Record>& records,
                      Format format) {
  std::string out;
  // A JSON line of a daily bar with full-precision prices is ~200 bytes; one allocation usually.
  out.reserve(kCsvHeader.size() + records.size() * (symbol.size() + 220));
  std::string prepared_symbol;  // escaped once, not once per record
  if (format == Format::kCsv) {
    appendCsvField(prepared_symbol, symbol);
    out.append(kCsvHeader);
    for (const core::Record& record : records)
      appendCsvRow(out, prepared_symbol, record);
  } else {
    appendJsonString(prepared_symbol, symbol);
    for (const core::Record& record : records)
      appendJsonLine(out, prepared_symbol, record);
  }
  return out;
}

}  // namespace rawfeed::lake
