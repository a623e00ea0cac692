#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::events::lake_outbox {

// Where the lake outbox keeps events, beside the lake tracker's documents under "_rawfeed/":
//   _rawfeed/events/{sink}/pending/{batch_id}.{content:016x}.json    waiting for the sink;
//       create-only, removed once the sink acknowledged it
//   _rawfeed/events/{sink}/delivered/{batch_id}.{content:016x}.json  the sink acknowledged it;
//       create-only, never removed
// {sink} names the configured sink, so a domain that changes sink does not send the old sink's
// backlog to the new one, and two domains sharing a lake with one sink share its outbox.
// {content} is a hash of the event's bytes: a batch whose dead letter was replaced later has a
// second event, and it must not be taken for the first. Finding pending events is one LIST of
// one sink's pending/ prefix, whose size is the backlog, not the history.
inline constexpr std::string_view kEventsPrefix = "_rawfeed/events/";

// A key segment for a sink URI: its scheme, host and path made key-safe (no query string or
// user info, which may hold secrets), at most 80 characters, then "-" and a hash of the whole
// URI so that URIs differing only in what was dropped stay apart.
std::string sinkSegment(std::string_view sink_uri);

std::string pendingPrefix(std::string_view sink_segment);
std::string deliveredPrefix(std::string_view sink_segment);

// The event's name within a sink's prefixes: "{batch_id}.{content:016x}.json". kInvalidInput
// when the event has no detail.batch_id that can be one key segment.
core::Result<std::string> eventFileName(std::string_view event_json);

// The batch id in an event file name (for logs); empty when `file_name` is not one.
std::string batchIdOfFileName(std::string_view file_name);

// FNV-1a, 64 bits: stable across hosts and builds (std::hash is neither).
std::uint64_t contentHash(std::string_view bytes);

}  // namespace rawfeed::events::lake_outbox
