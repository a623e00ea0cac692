#include "tracker/lake/batch_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace rawfeed::tracker::lake {
namespace {

// 13 digits of milliseconds reach the year 2286; inverted so that key order is newest first.
constexpr std::int64_t kMaxMillis = 9'999'999'999'999;
constexpr std::size_t kMillisDigits = 13;

std::string inverted(std::int64_t millis) {
  return fmt::format("{:013d}", kMaxMillis - std::clamp<std::int64_t>(millis, 0, kMaxMillis));
}

// FNV-1a, 64 bits: names a set of chunk indexes. A collision only merges two sent records into
// one key, the later overwriting the earlier: some chunks look unsent and a re-run sends them
// again, which the tracker's idempotent records absorb.
std::uint64_t fnv1a(std::span<const int> values) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const int value : values) {
    auto bits = static_cast<std::uint32_t>(value);
    for (int byte = 0; byte < 4; ++byte) {
      hash ^= bits & 0xffu;
      hash *= 1099511628211ull;
      bits >>= 8;
    }
  }
  return hash;
}

}  // namespace

std::string batchPrefix(std::string_view batch_id) {
  return fmt::format("{}batches/{}/", kRootPrefix, batch_id);
}

std::string planKey(std::string_view batch_id) {
  return batchPrefix(batch_id) + "plan.json";
}

std::string sentKey(std::string_view batch_id, std::span<const int> sorted_chunks) {
  return fmt::format("{}sent/{:016x}.json", batchPrefix(batch_id), fnv1a(sorted_chunks));
}

std::string chunksPrefix(std::string_view batch_id) {
  return batchPrefix(batch_id) + "chunks/";
}

std::string chunkKey(std::string_view batch_id, int chunk_index) {
  return fmt::format("{}{:08d}.json", chunksPrefix(batch_id), chunk_index);
}

std::string replacedKey(std::string_view batch_id, int chunk_index) {
  return fmt::format("{}replaced/{:08d}.json", batchPrefix(batch_id), chunk_index);
}

std::string legacyPublishedKey(std::string_view batch_id, std::int64_t revision) {
  return fmt::format("{}published/{:08d}", batchPrefix(batch_id), revision);
}

std::string eventClaimKey(std::string_view batch_id, std::int64_t claim) {
  return fmt::format("{}events/claims/{:08d}.json", batchPrefix(batch_id), claim);
}

std::string eventReleasedKey(std::string_view batch_id, std::int64_t claim) {
  return fmt::format("{}events/released/{:08d}", batchPrefix(batch_id), claim);
}

std::string eventPublishedKey(std::string_view batch_id, std::string_view status) {
  return fmt::format("{}events/published/{}", batchPrefix(batch_id), status);
}

std::string progressKey(std::string_view batch_id, int chunk_index) {
  return fmt::format("{}progress/{:08d}.json", batchPrefix(batch_id), chunk_index);
}

std::string recentIndexPrefix() {
  return fmt::format("{}index/recent/", kRootPrefix);
}

std::string domainIndexPrefix(std::string_view domain) {
  return fmt::format("{}index/domains/{}/", kRootPrefix, domain);
}

std::string recentIndexKey(std::int64_t registered_at_ms, std::string_view batch_id) {
  return fmt::format("{}{}-{}", recentIndexPrefix(), inverted(registered_at_ms), batch_id);
}

std::string domainIndexKey(std::string_view domain, std::int64_t registered_at_ms,
                           std::string_view batch_id) {
  return fmt::format("{}{}-{}", domainIndexPrefix(domain), inverted(registered_at_ms), batch_id);
}

std::optional<IndexEntry> parseIndexKey(std::string_view prefix, std::string_view key) {
  if (key.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  key.remove_prefix(prefix.size());
  if (key.size() < kMillisDigits + 2 || key[kMillisDigits] != '-')
    return std::nullopt;
  std::int64_t inverted_ms = 0;
  const char* end = key.data() + kMillisDigits;
  const auto [ptr, error] = std::from_chars(key.data(), end, inverted_ms);
  if (error != std::errc() || ptr != end)
    return std::nullopt;
  const std::string_view id = key.substr(kMillisDigits + 1);
  if (!segmentProblem(id).empty())
    return std::nullopt;
  return IndexEntry{std::string(id), kMaxMillis - inverted_ms};
}

std::string segmentProblem(std::string_view segment) {
  if (segment.empty())
    return "is empty";
  if (segment == "." || segment == "..")
    return "is a relative path segment";
  if (segment.find('/') != std::string_view::npos)
    return "contains '/'";
  return {};
}

}  // namespace rawfeed::tracker::lake
