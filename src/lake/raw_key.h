#pragma once

#include <string>
#include <string_view>

#include "core/compression.h"
#include "core/result.h"
#include "lake/format.h"

namespace rawfeed::lake {

// The partition one raw object belongs to (contracts §4). Values are Hive-style path segments, so
// validatePartition() keeps them to [A-Za-z0-9._-]; day is the exchange-local trading date.
struct PartitionKey {
  std::string domain;
  std::string table_name;
  std::string interval;
  std::string data_source;
  std::string day;  // YYYY-MM-DD

  bool operator==(const PartitionKey&) const = default;
};

inline constexpr std::string_view kManifestFileName = "_batch.manifest.json";

// kInvalidInput naming the field unless every value is a non-empty [A-Za-z0-9._-] segment other
// than "." and "..", and day is a real calendar date in 1800..2200. Check once per batch: the key
// builders below assume a valid partition and do not check again (they are on the per-object path).
core::Status validatePartition(const PartitionKey& partition);
// The day part of that: a real calendar date in 1800-01-01 .. 2200-12-31.
core::Status validateDay(std::string_view day);

// The symbol as it appears in a key: upper-cased, every byte outside [A-Z0-9._-] written as %XX
// (upper-case hex), so "^gspc" -> "%5EGSPC" and "BRK=B" -> "BRK%3DB".
std::string encodeKeySymbol(std::string_view symbol);

// "{domain}/{table_name}/interval=../data_source=../year=YYYY/month=MM/day=DD/" — with the
// trailing '/', so that listing it never matches a sibling whose name merely starts the same.
std::string partitionPrefix(const PartitionKey& partition);
// partitionPrefix + "{SYMBOL}.{json|csv}[.gz|.zst]" (the suffix is core::keySuffix).
std::string objectKey(const PartitionKey& partition, std::string_view symbol, Format format,
                      core::Compression compression);
// partitionPrefix + "_batch.manifest.json" (contracts §6).
std::string manifestKey(const PartitionKey& partition);

enum class KeyKind { kObject, kManifest };

// A raw key taken apart again, for walking a listing of the lake.
struct ParsedKey {
  PartitionKey partition;
  KeyKind kind = KeyKind::kObject;
  std::string symbol;  // decoded ("^GSPC"); empty for a manifest
  Format format = Format::kJsonLines;
  core::Compression compression = core::Compression::kNone;

  bool operator==(const ParsedKey&) const = default;
};

// The inverse of objectKey/manifestKey. A key they could not have produced (wrong segment count
// or names, an impossible date, a non-canonical symbol encoding, an unknown extension) is
// kInvalidInput with the reason.
core::Result<ParsedKey> parseKey(std::string_view key);

}  // namespace rawfeed::lake
