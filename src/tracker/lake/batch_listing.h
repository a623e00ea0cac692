#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/object_store.h"

namespace rawfeed::tracker::lake {

// A batch's completion-event objects (batch_keys.h, events/).
struct EventMarkers {
  std::optional<std::int64_t> last_claim;  // the newest claim's number
  std::set<std::int64_t> released;         // claims given up without publishing
  std::set<std::string> published;         // statuses whose event went out
};

// What one listing of a batch's prefix says without reading a document: every key it reads is
// immutable once written (progress documents are not, and are left out), so the listing is the
// batch's state at one instant.
struct BatchListing {
  bool has_plan = false;
  std::vector<std::string> sent_keys;
  std::vector<int> chunks;                  // recorded chunk indexes, ascending
  std::set<int> replaced;                   // chunks whose dead letter a success replaced
  std::set<std::int64_t> legacy_published;  // revisions announced before event claims
  EventMarkers events;

  int recorded() const { return static_cast<int>(chunks.size()); }
  // Grows with every recorded chunk and every replacement, never otherwise.
  std::int64_t revision() const {
    return static_cast<std::int64_t>(chunks.size() + replaced.size());
  }
};

// Keys under batchPrefix(batch_id) sorted into their kinds; keys of no known kind are left out,
// so a later layout's extra objects do not break this reader.
BatchListing parseBatchListing(std::string_view batch_id,
                               const std::vector<store::ObjectInfo>& objects);

// The number of chunk keys in a listing of chunksPrefix(batch_id).
int countChunkKeys(std::string_view batch_id, const std::vector<store::ObjectInfo>& objects);

}  // namespace rawfeed::tracker::lake
