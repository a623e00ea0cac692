#include "lake/object_description.h"

#include "digest/sha256.h"
#include "lake/compression.h"

namespace rawfeed::lake {

namespace {

// Lines that hold something; a trailing line without "\n" still counts (a foreign writer).
std::uint64_t countJsonLines(std::string_view text) {
  std::uint64_t count = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    for (std::size_t i = start; i < end; ++i) {
      const char c = text[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        ++count;
        break;
      }
    }
    start = end + 1;
  }
  return count;
}

// RFC 4180 rows: a newline inside quotes does not end a row; blank lines are not rows.
std::uint64_t countCsvRows(std::string_view text) {
  std::uint64_t rows = 0;
  bool in_quotes = false;
  bool row_has_content = false;
  for (const char c : text) {
    if (c == '"')
      in_quotes = !in_quotes;  // "" inside quotes toggles twice: no net change
    if (c == '\n' && !in_quotes) {
      if (row_has_content)
        ++rows;
      row_has_content = false;
    } else if (c != '\r') {
      row_has_content = true;
    }
  }
  if (row_has_content)
    ++rows;
  return rows;
}

}  // namespace

core::Result<ObjectDescription> describeObject(std::string_view stored_bytes, Format format,
                                               core::Compression compression) {
  std::string inflated;
  std::string_view text = stored_bytes;
  if (compression != core::Compression::kNone) {
    auto decoded = decompress(stored_bytes, compression);
    if (!decoded.ok())
      return decoded.error();
    inflated = std::move(decoded).value();
    text = inflated;
  }
  std::uint64_t records = 0;
  if (format == Format::kJsonLines) {
    records = countJsonLines(text);
  } else {
    const std::uint64_t rows = countCsvRows(text);
    if (rows == 0) {
      return core::makeError(core::ErrorCode::kInvalidInput, "CSV object has no header line");
    }
    records = rows - 1;
  }
  return describeEncoded(stored_bytes, records);
}

ObjectDescription describeEncoded(std::string_view stored_bytes, std::uint64_t records) {
  return ObjectDescription{records, stored_bytes.size(), digest::sha256Hex(stored_bytes)};
}

}  // namespace rawfeed::lake
