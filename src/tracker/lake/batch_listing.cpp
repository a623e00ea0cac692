#include "tracker/lake/batch_listing.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "tracker/lake/batch_keys.h"

namespace rawfeed::tracker::lake {
namespace {

// "00000012.json" → 12 when `name` is a number of `digits` digits followed by `suffix`.
template <class Int>
std::optional<Int> numbered(std::string_view name, std::size_t digits, std::string_view suffix) {
  if (name.size() != digits + suffix.size() || name.substr(digits) != suffix)
    return std::nullopt;
  Int value = 0;
  const char* end = name.data() + digits;
  const auto [ptr, error] = std::from_chars(name.data(), end, value);
  if (error != std::errc() || ptr != end)
    return std::nullopt;
  return value;
}

}  // namespace

BatchListing parseBatchListing(std::string_view batch_id,
                               const std::vector<store::ObjectInfo>& objects) {
  const std::string prefix = batchPrefix(batch_id);
  BatchListing listing;
  for (const auto& object : objects) {
    if (!object.key.starts_with(prefix))
      continue;
    const std::string_view rest = std::string_view(object.key).substr(prefix.size());
    if (rest == "plan.json") {
      listing.has_plan = true;
    } else if (rest.starts_with("sent/")) {
      listing.sent_keys.push_back(object.key);
    } else if (rest.starts_with("chunks/")) {
      if (auto index = numbered<int>(rest.substr(7), 8, ".json"))
        listing.chunks.push_back(*index);
    } else if (rest.starts_with("replaced/")) {
      if (auto index = numbered<int>(rest.substr(9), 8, ".json"))
        listing.replaced.insert(*index);
    } else if (rest.starts_with("published/")) {
      if (auto revision = numbered<std::int64_t>(rest.substr(10), 8, "")) {
        listing.legacy_published.insert(*revision);
      }
    } else if (rest.starts_with("events/claims/")) {
      if (auto claim = numbered<std::int64_t>(rest.substr(14), 8, ".json")) {
        auto& last = listing.events.last_claim;
        last = std::max(last.value_or(*claim), *claim);
      }
    } else if (rest.starts_with("events/released/")) {
      if (auto claim = numbered<std::int64_t>(rest.substr(16), 8, ""))
        listing.events.released.insert(*claim);
    } else if (rest.starts_with("events/published/")) {
      const std::string_view status = rest.substr(17);
      if (status == "partial" || status == "complete")
        listing.events.published.emplace(status);
    }
  }
  std::sort(listing.chunks.begin(), listing.chunks.end());
  // A replacement without its first result cannot be written; ignore one if it is ever seen.
  std::erase_if(listing.replaced, [&](int index) {
    return !std::binary_search(listing.chunks.begin(), listing.chunks.end(), index);
  });
  return listing;
}

int countChunkKeys(std::string_view batch_id, const std::vector<store::ObjectInfo>& objects) {
  const std::string prefix = chunksPrefix(batch_id);
  return static_cast<int>(std::count_if(objects.begin(), objects.end(), [&](const auto& object) {
    return object.key.starts_with(prefix) &&
           numbered<int>(std::string_view(object.key).substr(prefix.size()), 8, ".json");
  }));
}

}  // namespace rawfeed::tracker::lake
