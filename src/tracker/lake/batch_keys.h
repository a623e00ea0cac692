#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rawfeed::tracker::lake {

// Where the tracker's objects live. Everything is under "_rawfeed/", whose leading '_' no raw
// key starts with. Per batch, under _rawfeed/batches/{batch_id}/:
//   plan.json                  the BatchPlan and registered_at; create-only
//   sent/{hash}.json           the chunk indexes of one markSent call; same bytes on a repeat
//   chunks/{index:08d}.json    a chunk's first recorded result; create-only, never rewritten
//   replaced/{index:08d}.json  the success that replaced a dead-lettered first result;
//                              create-only, so at most one
//   events/claims/{n:08d}.json the n-th claim on publishing the batch's completion event (of
//                              either status, which the document names, with its lease);
//                              create-only, so of two callers taking claim n one gets it
//   events/released/{n:08d}    claim n was given up without publishing
//   events/published/{status}  the event of that status ("partial", "complete") went out
//   published/{revision:08d}   written before event claims: the event of the batch as it was at
//                              that revision went out. Read, never written
//   progress/{index:08d}.json  what deliveries finished of a chunk not yet recorded; each save
//                              overwrites it, and none is deleted: readers ignore it once
//                              chunks/{index}.json exists. The only rewritten object here;
//                              listings skip it
// And two indexes, since a listing has no delimiter and no limit (listing batches/ would read
// every chunk key ever written), each key sorting newest first:
//   index/recent/{inverted registered_at ms:013d}-{batch_id}
//   index/domains/{domain}/{inverted registered_at ms:013d}-{batch_id}
inline constexpr std::string_view kRootPrefix = "_rawfeed/";

std::string batchPrefix(std::string_view batch_id);
std::string planKey(std::string_view batch_id);
// `sorted_chunks` sorted and unique; the key is a hash of them, so repeats share one object.
std::string sentKey(std::string_view batch_id, std::span<const int> sorted_chunks);
std::string chunksPrefix(std::string_view batch_id);
std::string chunkKey(std::string_view batch_id, int chunk_index);
std::string replacedKey(std::string_view batch_id, int chunk_index);
std::string legacyPublishedKey(std::string_view batch_id, std::int64_t revision);
std::string eventClaimKey(std::string_view batch_id, std::int64_t claim);
std::string eventReleasedKey(std::string_view batch_id, std::int64_t claim);
std::string eventPublishedKey(std::string_view batch_id, std::string_view status);
std::string progressKey(std::string_view batch_id, int chunk_index);

std::string recentIndexPrefix();
std::string domainIndexPrefix(std::string_view domain);
std::string recentIndexKey(std::int64_t registered_at_ms, std::string_view batch_id);
std::string domainIndexKey(std::string_view domain, std::int64_t registered_at_ms,
                           std::string_view batch_id);

struct IndexEntry {
  std::string batch_id;
  std::int64_t registered_at_ms = 0;
};
// nullopt for a key under `prefix` that is not an index entry (left alone by readers).
std::optional<IndexEntry> parseIndexKey(std::string_view prefix, std::string_view key);

// Empty when `segment` can be one key segment (a batch id, a domain); else why not.
std::string segmentProblem(std::string_view segment);

}  // namespace rawfeed::tracker::lake
