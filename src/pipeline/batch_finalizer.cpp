#include "pipeline/batch_finalizer.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>

#include "core/json_text.h"
#include "core/time_format.h"
#include "digest/sha256.h"
#include "lake/raw_key.h"
#include "pipeline/sorted_spool.h"

namespace rawfeed::pipeline {

namespace {

using nlohmann::ordered_json;

// The manifest's entry of an object (contracts §6), as one ordered_json dump writes it.
void appendManifestEntry(std::string& out, std::string_view symbol, std::string_view key,
                         std::int64_t records, std::int64_t bytes, std::string_view sha256) {
  core::JsonObjectWriter(out)
      .string("symbol", symbol)
      .string("key", key)
      .integer("records", records)
      .integer("bytes", bytes)
      .string("sha256", sha256)
      .close();
}

// About the bytes of an object's manifest entry and its comma, so that a manifest's text is
// reserved once: the fields' names and punctuation, the strings unescaped, the two numbers at
// their widest. Writing the entry to measure it cost as much as writing the manifest.
std::size_t manifestEntryBytesHint(const tracker::ObjectEntry& object) {
  constexpr std::size_t kPunctuationAndNames = 55;  // {"symbol":"","key":"",…,"sha256":""},
  constexpr std::size_t kTwoNumbers = 40;
  return kPunctuationAndNames + kTwoNumbers + object.symbol.size() + object.key.size() +
         object.sha256.size();
}

// An object entry as the finalizer's spool keeps it, about a third of its manifest text, so
// that the 40,000 entries of a day's batch of 8,000 symbols sort in memory without a spill.
//
// Sort key: table '\0' day '\0' then the key's file name — every object of one manifest lies in
// its partition's directory, which is kept once per manifest (SpooledGroup) — or, for a key in
// another directory (nothing rawfeed writes), '\x01' and the whole key, which sorts such
// entries first in their manifest. Payload: the symbol's length (4 bytes) and the symbol,
// records and bytes (8 bytes each), then the SHA-256: '\0' and its 32 bytes, or '\x01' and its
// text when it is not 64 lower-case hex digits.
constexpr char kForeignKey = '\x01';

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

void appendSpooledSha(std::string& out, std::string_view sha256) {
  char packed[32];
  std::size_t packed_size = 0;
  if (sha256.size() == 64) {
    for (std::size_t i = 0; i < 64; i += 2) {
      const int high = hexValue(sha256[i]);
      const int low = hexValue(sha256[i + 1]);
      if (high < 0 || low < 0)
        break;
      packed[packed_size++] = static_cast<char>(high * 16 + low);
    }
  }
  if (packed_size == sizeof packed) {
    out += '\0';
    out.append(packed, sizeof packed);
  } else {
    out += kForeignKey;
    out += sha256;
  }
}

std::string unspooledSha(std::string_view stored) {
  if (stored.empty())
    return {};
  const char tag = stored.front();
  stored.remove_prefix(1);
  if (tag == kForeignKey)
    return std::string(stored);
  return digest::hexEncode(stored);
}

template <class Number>
void appendRaw(std::string& out, Number value) {
  char raw[sizeof value];
  std::memcpy(raw, &value, sizeof value);
  out.append(raw, sizeof value);
}

template <class Number>
Number readRaw(std::string_view& in) {
  Number value{};
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return value;
}

template <class Entry, class Field>
std::string sortedListJson(std::vector<Entry> all, const char* count_name, Field count) {
  // By every field, so that the list is the same whatever order the chunks were digested in.
  std::sort(all.begin(), all.end(), [count](const auto& a, const auto& b) {
    return std::tie(a.symbol, a.reason, a.*count) < std::tie(b.symbol, b.reason, b.*count);
  });
  ordered_json list = ordered_json::array();
  for (const auto& entry : all)
    list.push_back(
        {{"symbol", entry.symbol}, {"reason", entry.reason}, {count_name, entry.*count}});
  return list.dump();
}

// A watermark as the finalizer's spool keeps it, keyed by its symbol: the other fields joined by
// a unit separator (none of them can hold one: a date, digits, an IANA zone name).
constexpr char kFieldSeparator = '\x1f';

std::string spooledWatermark(const tracker::SymbolWatermark& watermark) {
  return fmt::format("{}{}{}{}{}{}{}{}{}", watermark.last_day, kFieldSeparator,
                     watermark.checked_at, kFieldSeparator, watermark.time_zone, kFieldSeparator,
                     watermark.session_close_minute, kFieldSeparator, watermark.weekends ? 1 : 0);
}

core::Result<tracker::SymbolWatermark> unspooledWatermark(std::string_view symbol,
                                                          std::string_view text) {
  std::string_view fields[5];
  for (int i = 0; i < 5; ++i) {
    const auto end = i < 4 ? text.find(kFieldSeparator) : text.size();
    if (end == std::string_view::npos)
      return core::makeError(core::ErrorCode::kInternal, "a spooled watermark lost a field");
    fields[i] = text.substr(0, end);
    text = i < 4 ? text.substr(end + 1) : std::string_view{};
  }
  tracker::SymbolWatermark watermark;
  watermark.symbol = std::string(symbol);
  watermark.last_day = std::string(fields[0]);
  watermark.time_zone = std::string(fields[2]);
  watermark.weekends = fields[4] == "1";
  const auto number = [](std::string_view field, auto& out) {
    return std::from_chars(field.data(), field.data() + field.size(), out).ec == std::errc();
  };
  if (!number(fields[1], watermark.checked_at) ||
      !number(fields[3], watermark.session_close_minute))
    return core::makeError(core::ErrorCode::kInternal, "a spooled watermark lost a number");
  return watermark;
}

// Reported watermarks merged while the manifests are written: up to about the symbols whose
// watermark documents (old and new, ~140 bytes a symbol each) stay within a few megabytes.
constexpr std::size_t kWatermarksAlongside = 20000;

lake::PartitionKey partitionOf(const tracker::BatchPlan& plan, const std::string& table,
                               const std::string& day) {
  return {plan.domain, table, plan.interval, plan.data_source, day};
}

}  // namespace

// Everything the manifests and the event are made of, gathered from the batch's chunk results
// one at a time (BatchTracker::readBatch): the object entries go to a spool sorted by table, day
// and key, so a batch of 100,000 symbols costs the spool's budget and one manifest's text, not
// every entry at once; the rest is batch-wide and small, or one watermark per symbol.
struct BatchFinalizer::Digest {
  struct Figures {
    std::int64_t written = 0;
    std::int64_t skipped = 0;
  };
  std::map<std::string, Figures> figures;  // by table; "" is the batch's own
  std::vector<tracker::SymbolFailure> failed;
  std::vector<tracker::InvalidBars> invalid_bars;
  std::vector<tracker::InvalidActions> invalid_actions;
  std::optional<std::string> failed_json;
  SortedSpool watermarks;  // by symbol: merged in one pass (WatermarkStore::mergeOrdered)
  SortedSpool objects;
  // Per manifest (table '\0' day, as the spool's keys begin): the directory its objects share,
  // and the bytes of its object list, so its text is reserved once rather than grown by copies.
  struct SpooledGroup {
    std::string directory;  // with its trailing '/'
    std::size_t list_bytes = 0;
  };
  std::map<std::string, SpooledGroup, std::less<>> groups;
  std::string scratch;  // reused: the spool payload of an entry

  // In any order of the chunks: what the digest makes of them does not depend on it.
  core::Status add(const tracker::ChunkResult& chunk) {
    for (const auto& object : chunk.objects) {
      auto& table = figures[object.table];
      (object.written ? table.written : table.skipped) += 1;
      if (auto spooled = spool(object); !spooled.ok())
        return spooled;
    }
    failed.insert(failed.end(), chunk.failed.begin(), chunk.failed.end());
    invalid_bars.insert(invalid_bars.end(), chunk.invalid_bars.begin(), chunk.invalid_bars.end());
    invalid_actions.insert(invalid_actions.end(), chunk.invalid_actions.begin(),
                           chunk.invalid_actions.end());
    for (const auto& watermark : chunk.watermarks) {
      if (auto spooled = watermarks.add(watermark.symbol, spooledWatermark(watermark));
          !spooled.ok())
        return spooled;
    }
    return core::okStatus();
  }

  core::Status spool(const tracker::ObjectEntry& object) {
    std::string key;
    key.reserve(object.table.size() + object.day.size() + 24);
    key += object.table;
    key += '\0';
    key += object.day;
    auto group = groups.find(key);
    const std::size_t slash = object.key.rfind('/');
    const std::string_view directory = slash == std::string::npos
                                           ? std::string_view()
                                           : std::string_view(object.key).substr(0, slash + 1);
    if (group == groups.end())
      group = groups.emplace(key, SpooledGroup{std::string(directory), 0}).first;
    group->second.list_bytes += manifestEntryBytesHint(object);
    key += '\0';
    if (directory == group->second.directory) {
      key.append(object.key, directory.size());
    } else {
      key += kForeignKey;
      key += object.key;
    }
    scratch.clear();
    appendRaw(scratch, static_cast<std::uint32_t>(object.symbol.size()));
    scratch += object.symbol;
    appendRaw(scratch, object.records);
    appendRaw(scratch, object.bytes);
    appendSpooledSha(scratch, object.sha256);
    return objects.add(key, scratch);
  }

  // Appends the manifest entry of a spooled object to `out`; false when the payload is not one
  // this digest wrote.
  bool appendEntry(std::string& out, std::string_view group_key, std::string_view name,
                   std::string_view payload) const {
    if (payload.size() < 4)
      return false;
    const auto symbol_size = readRaw<std::uint32_t>(payload);
    if (payload.size() < std::size_t{symbol_size} + 17)
      return false;
    const std::string_view symbol = payload.substr(0, symbol_size);
    payload.remove_prefix(symbol_size);
    const auto records = readRaw<std::int64_t>(payload);
    const auto bytes = readRaw<std::int64_t>(payload);
    std::string key;
    if (!name.empty() && name.front() == kForeignKey) {
      key = std::string(name.substr(1));
    } else {
      const auto group = groups.find(group_key);
      if (group == groups.end())
        return false;
      key = group->second.directory + std::string(name);
    }
    appendManifestEntry(out, symbol, key, records, bytes, unspooledSha(payload));
    return true;
  }

  // The failures by symbol, as the manifests and the event list them.
  // Computed once: every manifest and the event repeat it.
  const std::string& failedJson() {
    if (failed_json)
      return *failed_json;
    // By every field, so that the list is the same whatever order the chunks were digested in.
    auto& sorted = failed;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return std::tie(a.symbol, a.outcome, a.reason) < std::tie(b.symbol, b.outcome, b.reason);
    });
    ordered_json list = ordered_json::array();
    for (const auto& failure : sorted) {
      list.push_back(
          {{"symbol", failure.symbol}, {"outcome", failure.outcome}, {"reason", failure.reason}});
    }
    failed_json = list.dump();
    return *failed_json;
  }

  // The batch's own table first, then every other table it wrote or found objects in (the
  // corporate actions) or was to write (its plan's actions table, listed even without an
  // object), by name.
  std::vector<std::string> tables(const tracker::BatchPlan& plan) const {
    std::set<std::string> others;
    if (!plan.corporate_actions_table.empty() && plan.corporate_actions_table != plan.table_name)
      others.insert(plan.corporate_actions_table);
    for (const auto& [table, counts] : figures) {
      if (!table.empty() && table != plan.table_name)
        others.insert(table);
    }
    std::vector<std::string> all{plan.table_name};
    all.insert(all.end(), others.begin(), others.end());
    return all;
  }

  Figures figuresOf(const tracker::BatchPlan& plan, const std::string& table) const {
    Figures sum;
    for (const auto& [name, counts] : figures) {
      if ((name.empty() ? plan.table_name : name) == table) {
        sum.written += counts.written;
        sum.skipped += counts.skipped;
      }
    }
    return sum;
  }
};

struct BatchFinalizer::Ahead {
  std::string batch_id;
  std::int64_t since = 0;  // the batch's revision when digesting began
  BatchReadObserver::ReadingId reading = 0;
  std::unique_ptr<Digest> digest = std::make_unique<Digest>();
  tracker::ChunkTally tally;  // of the chunks digested
  std::vector<bool> seen;     // by chunk index
};

const char* finalizeOutcomeName(FinalizeOutcome outcome) {
  switch (outcome) {
    case FinalizeOutcome::kPublished:
      return "published";
    case FinalizeOutcome::kAlreadyPublished:
      return "already_published";
    case FinalizeOutcome::kClaimedElsewhere:
      return "claimed_elsewhere";
  }
  return "claimed_elsewhere";
}

BatchFinalizer::BatchFinalizer(store::ObjectStore& store, tracker::BatchTracker& tracker,
                               events::EventSink& events, std::string environment,
                               const core::Clock& clock, BatchFinalizerOptions options)
    : store_(store),
      tracker_(tracker),
      events_(events),
      environment_(std::move(environment)),
      clock_(clock),
      options_(options) {}

BatchFinalizer::~BatchFinalizer() = default;

BatchReadObserver::ReadingId BatchFinalizer::startReading(const std::string& batch_id) {
  const auto reading = next_reading_.fetch_add(1);
  if (observer_ != nullptr)
    observer_->readStarted(reading, batch_id);
  return reading;
}

core::Status BatchFinalizer::digestAhead(const std::string& batch_id) {
  auto revision = tracker_.revision(batch_id);
  if (!revision.ok())
    return revision.error();
  std::lock_guard lock(ahead_mutex_);
  stopDigestingAhead();
  if (!*revision)
    return core::okStatus();  // the tracker keeps none: finalize reads the batch
  ahead_ = std::make_unique<Ahead>();
  ahead_->batch_id = batch_id;
  ahead_->since = **revision;
  ahead_->reading = startReading(batch_id);
  digesting_ahead_.store(true);
  return core::okStatus();
}

void BatchFinalizer::stopDigestingAhead() {
  digesting_ahead_.store(false);
  if (ahead_ && observer_ != nullptr)
    observer_->readAbandoned(ahead_->reading);
  ahead_.reset();
}

core::Result<std::vector<tracker::RecordOutcome>> BatchFinalizer::recordChunks(
    std::span<const tracker::ChunkRecord> records, core::SystemTime now) {
  if (!digesting_ahead_.load())
    return tracker_.recordChunks(records, now);
  std::lock_guard lock(ahead_mutex_);
  auto recorded = tracker_.recordChunks(records, now);
  if (!recorded.ok())
    return recorded;  // all or none: nothing was recorded
  for (std::size_t i = 0; i < records.size() && ahead_; ++i) {
    if ((*recorded)[i].counted && records[i].batch_id == ahead_->batch_id)
      digestRecorded(records[i].result);
  }
  return recorded;
}

void BatchFinalizer::digestRecorded(const tracker::ChunkResult& chunk) {
  Ahead& ahead = *ahead_;
  const auto index = static_cast<std::size_t>(chunk.chunk_index);
  if (chunk.chunk_index < 0 || (index < ahead.seen.size() && ahead.seen[index])) {
    // Recorded twice (a dead letter replaced): the digest cannot take the first one back.
    stopDigestingAhead();
    return;
  }
  if (index >= ahead.seen.size())
    ahead.seen.resize(index + 1);
  ahead.seen[index] = true;
  ahead.tally.add(chunk);
  if (observer_ != nullptr)
    observer_->chunkRead(ahead.reading, chunk);
  if (!ahead.digest->add(chunk).ok())
    stopDigestingAhead();  // a spill that failed: finalize reads the batch, and reports it
}

std::unique_ptr<BatchFinalizer::Digest> BatchFinalizer::takeAheadDigest(
    const std::string& batch_id, std::optional<tracker::BatchOutline>& outline) {
  std::unique_ptr<Ahead> ahead;
  {
    std::lock_guard lock(ahead_mutex_);
    if (!ahead_ || ahead_->batch_id != batch_id)
      return nullptr;
    digesting_ahead_.store(false);
    ahead = std::move(ahead_);
  }
  auto confirmed = tracker_.outlineOfRecorded(batch_id, ahead->since, ahead->tally);
  if (!confirmed.ok() || !*confirmed) {
    // Not every chunk, or not only this process's records: read. An error comes back there.
    if (observer_ != nullptr)
      observer_->readAbandoned(ahead->reading);
    return nullptr;
  }
  if (observer_ != nullptr)
    observer_->readFinished(ahead->reading, **confirmed);
  outline = std::move(*confirmed);
  return std::move(ahead->digest);
}

// The parts of a batch's manifests that do not depend on the partition: computed once, read by
// every manifest's rendering (on several threads at once).
struct BatchFinalizer::ManifestFrame {
  const tracker::BatchPlan& plan;
  const std::string& environment;
  const std::string& failed;
  std::string invalid_bars;
  std::string invalid_actions;
  std::string generated_at;

  // The text of a manifest up to its object list, reserved for `list_bytes` of entries. The
  // bytes are those of one ordered_json dump (tests compare manifests byte for byte).
  std::string open(const std::string& table, const std::string& day, std::size_t list_bytes) const {
    ordered_json head;
    head["schema"] = "rawfeed.manifest/1";
    head["environment"] = environment;
    head["domain"] = plan.domain;
    head["table_name"] = table;
    head["data_source"] = plan.data_source;
    head["interval"] = plan.interval;
    head["ds"] = day;
    head["batch_id"] = plan.batch_id;
    head["generated_at"] = generated_at;
    const std::string head_text = head.dump();
    std::string text;
    text.reserve(head_text.size() + list_bytes + failed.size() + invalid_bars.size() +
                 invalid_actions.size() + 128);
    text.append(head_text, 0, head_text.size() - 1);  // its closing brace: the list follows
    text += ",\"objects\":[";
    return text;
  }

  // Closes the object list and adds the batch-wide lists.
  void close(const std::string& table, std::string& text) const {
    const bool own_table = table == plan.table_name;
    text += "],\"failed_symbols\":" + failed;
    // Symbols an incremental plan did not ask for, the lake holding all their closed sessions;
    // only when there are any, in the bars' table.
    if (own_table && plan.symbols_up_to_date > 0)
      text += ",\"symbols_up_to_date\":" + std::to_string(plan.symbols_up_to_date);
    // Bars the source sent that were not written, by symbol and reason (batch-wide, like
    // failed_symbols); present only when there are any, so clean manifests keep their bytes.
    // The bars' table only: they are the bars' figures.
    if (own_table && !invalid_bars.empty())
      text += ",\"invalid_bars\":" + invalid_bars;
    // The same for the corporate actions dropped as invalid, in the actions table's manifests.
    if (!own_table && !invalid_actions.empty())
      text += ",\"invalid_actions\":" + invalid_actions;
    text += '}';
  }
};

namespace {

// Entries of one manifest as the spool handed them out, copied (a third of the manifest's text)
// so that the manifest is rendered on another thread while the spool drains the next.
struct BufferedManifest {
  std::string table;
  std::string day;
  std::string group_key;
  std::size_t list_bytes = 0;
  std::string entries;  // per entry: u32 name size, name, u32 payload size, payload

  void add(std::string_view name, std::string_view payload) {
    appendRaw(entries, static_cast<std::uint32_t>(name.size()));
    entries += name;
    appendRaw(entries, static_cast<std::uint32_t>(payload.size()));
    entries += payload;
  }
  template <class Visit>
  void forEach(Visit visit) const {
    std::string_view in = entries;
    while (!in.empty()) {
      const auto name_size = readRaw<std::uint32_t>(in);
      const std::string_view name = in.substr(0, name_size);
      in.remove_prefix(name_size);
      const auto payload_size = readRaw<std::uint32_t>(in);
      const std::string_view payload = in.substr(0, payload_size);
      in.remove_prefix(payload_size);
      if (!visit(name, payload))
        return;
    }
  }
};

// A manifest written: its table and key.
using WrittenManifest = std::pair<std::string, std::string>;

// Manifests rendered and written on threads of their own: at most `writers` at once and, together,
// at most kRenderBudgetBytes of estimated text — beyond it (a partition of some 70,000 objects)
// one at a time, so that the finalizer's memory stays what it was at 100,000 symbols.
class ManifestWriters {
 public:
  static constexpr std::size_t kRenderBudgetBytes = std::size_t{12} << 20;

  explicit ManifestWriters(int writers) : writers_(static_cast<std::size_t>(writers)) {}
  ~ManifestWriters() { (void)finish(); }
  ManifestWriters(const ManifestWriters&) = delete;
  ManifestWriters& operator=(const ManifestWriters&) = delete;

  // Whether a manifest of `bytes` is handed to a writer; false: write it in place, one at a time.
  bool takes(std::size_t bytes) const { return writers_ > 1 && bytes <= kRenderBudgetBytes; }

  void submit(std::size_t bytes, std::function<core::Result<WrittenManifest>()> write) {
    while (!running_.empty() &&
           (running_.size() >= writers_ || bytes_ + bytes > kRenderBudgetBytes))
      collectOldest();
    bytes_ += bytes;
    running_.push_back({std::async(std::launch::async, std::move(write)), bytes});
  }

  // Waits for every manifest handed over; the first error, else ok.
  core::Status finish() {
    while (!running_.empty())
      collectOldest();
    return error_ ? core::Status(*error_) : core::okStatus();
  }

  std::vector<WrittenManifest>& written() { return written_; }

 private:
  struct Running {
    std::future<core::Result<WrittenManifest>> done;
    std::size_t bytes;
  };

  void collectOldest() {
    auto done = running_.front().done.get();
    bytes_ -= running_.front().bytes;
    running_.pop_front();
    if (!done.ok()) {
      if (!error_)
        error_ = done.error();
      return;
    }
    written_.push_back(std::move(done).value());
  }

  const std::size_t writers_;
  std::deque<Running> running_;
  std::size_t bytes_ = 0;
  std::optional<core::Error> error_;
  std::vector<WrittenManifest> written_;
};

}  // namespace

core::Result<BatchFinalizer::ManifestKeys> BatchFinalizer::writeManifests(
    const tracker::BatchOutline& batch, Digest& digest) {
  const auto& plan = batch.plan;
  ManifestFrame frame{
      plan,
      environment_,
      digest.failedJson(),
      digest.invalid_bars.empty()
          ? std::string()
          : sortedListJson(std::move(digest.invalid_bars), "bars", &tracker::InvalidBars::bars),
      digest.invalid_actions.empty() ? std::string()
                                     : sortedListJson(std::move(digest.invalid_actions), "actions",
                                                      &tracker::InvalidActions::actions),
      core::formatIsoUtc(batch.completed_at.value_or(batch.registered_at))};
  store::PutOptions options;
  options.mode = store::PutMode::kOverwrite;  // same bytes every time: overwriting is harmless
  options.content_type = "application/json";
  const auto put = [this, &plan, &frame, &options](const std::string& table, const std::string& day,
                                                   std::string& text) -> core::Result<std::string> {
    frame.close(table, text);
    const std::string key = lake::manifestKey(partitionOf(plan, table, day));
    auto written = store_.put(key, text, options);
    text.clear();
    text.shrink_to_fit();
    if (!written.ok())
      return written.error();
    return key;
  };
  const auto damaged = [] {
    return core::makeError(core::ErrorCode::kInternal, "a spooled manifest entry is damaged");
  };

  ManifestWriters writers(options_.manifest_writers);
  // The manifest being drained: rendered here entry by entry (in place), or its entries buffered
  // for a writer.
  std::string table;
  std::string day;
  std::string text;
  std::size_t entries = 0;
  std::optional<BufferedManifest> buffered;
  const auto handOver = [&]() -> core::Status {
    if (buffered) {
      auto manifest = std::make_shared<BufferedManifest>(std::move(*buffered));
      buffered.reset();
      const std::size_t bytes = manifest->list_bytes;
      writers.submit(
          bytes, [&digest, &frame, &put, &damaged, manifest]() -> core::Result<WrittenManifest> {
            std::string rendered = frame.open(manifest->table, manifest->day, manifest->list_bytes);
            bool first = true;
            bool intact = true;
            manifest->forEach([&](std::string_view name, std::string_view payload) {
              rendered += std::exchange(first, false) ? "" : ",";
              intact = digest.appendEntry(rendered, manifest->group_key, name, payload);
              return intact;
            });
            if (!intact)
              return damaged();
            auto key = put(manifest->table, manifest->day, rendered);
            if (!key.ok())
              return key.error();
            return WrittenManifest{manifest->table, std::move(key).value()};
          });
      return core::okStatus();
    }
    auto key = put(table, day, text);
    if (!key.ok())
      return key.error();
    writers.written().emplace_back(table, std::move(key).value());
    return core::okStatus();
  };

  bool open = false;
  std::string group_key;
  auto drained = digest.objects.drain([&](std::string_view sort_key, std::string_view payload) {
    const auto table_end = sort_key.find('\0');
    const auto day_end = sort_key.find('\0', table_end + 1);
    const std::string_view entry_table = sort_key.substr(0, table_end);
    const std::string_view entry_day = sort_key.substr(table_end + 1, day_end - table_end - 1);
    const std::string_view resolved = entry_table.empty() ? plan.table_name : entry_table;
    const std::string_view name = sort_key.substr(day_end + 1);
    if (!open || resolved != table || entry_day != day) {
      if (open) {
        if (auto done = handOver(); !done.ok())
          return done;
      }
      table = std::string(resolved);
      day = std::string(entry_day);
      group_key = std::string(sort_key.substr(0, day_end));
      const auto group = digest.groups.find(group_key);
      const std::size_t list_bytes = group == digest.groups.end() ? 0 : group->second.list_bytes;
      if (writers.takes(list_bytes)) {
        buffered = BufferedManifest{table, day, group_key, list_bytes, {}};
        buffered->entries.reserve(list_bytes / 2);
      } else {
        // Alone: what the writers hold is written first.
        if (auto written = writers.finish(); !written.ok())
          return written;
        text = frame.open(table, day, list_bytes);
        entries = 0;
      }
      open = true;
    }
    if (buffered) {
      buffered->add(name, payload);
      return core::okStatus();
    }
    text += entries++ == 0 ? "" : ",";
    if (!digest.appendEntry(text, group_key, name, payload))
      return core::Status(damaged());
    return core::okStatus();
  });
  if (drained.ok() && open)
    drained = handOver();
  if (auto written = writers.finish(); drained.ok() && !written.ok())
    drained = written;
  if (!drained.ok())
    return drained.error();
  ManifestKeys keys;
  for (auto& [name, key] : writers.written())
    keys[name].push_back(std::move(key));
  // The batch's own table has a manifest of the batch's day when it has no object, so that even
  // an empty or failed batch leaves one saying so; other tables only for the days they touched.
  if (keys[plan.table_name].empty()) {
    std::string empty = frame.open(plan.table_name, plan.batch_ds, 0);
    auto key = put(plan.table_name, plan.batch_ds, empty);
    if (!key.ok())
      return key.error();
    keys[plan.table_name].push_back(std::move(key).value());
  }
  for (auto& [name, table_keys] : keys)
    std::sort(table_keys.begin(), table_keys.end());
  return keys;
}

std::string BatchFinalizer::completionEventJson(const tracker::BatchOutline& batch, Digest& digest,
                                                const ManifestKeys& keys) {
  const auto& plan = batch.plan;
  // Per table: the top-level figures and manifest_keys are the batch's own table's, as before
  // there were two; `tables` lists every table the batch wrote, its own first.
  static const std::vector<std::string> kNone;
  const auto keysOf = [&keys](const std::string& table) -> const std::vector<std::string>& {
    const auto found = keys.find(table);
    return found == keys.end() ? kNone : found->second;
  };
  ordered_json tables = ordered_json::array();
  for (const auto& table : digest.tables(plan)) {
    const auto figures = digest.figuresOf(plan, table);
    tables.push_back({{"table_name", table},
                      {"manifest_keys", keysOf(table)},
                      {"objects_written", figures.written},
                      {"objects_skipped", figures.skipped}});
  }
  const auto own = digest.figuresOf(plan, plan.table_name);
  ordered_json detail;
  detail["schema"] = "rawfeed.completion/1";
  detail["batch_id"] = plan.batch_id;
  detail["batch_ds"] = plan.batch_ds;
  detail["domain"] = plan.domain;
  detail["table_name"] = plan.table_name;
  detail["interval"] = plan.interval;
  detail["data_source"] = plan.data_source;
  detail["manifest_keys"] = keysOf(plan.table_name);
  detail["objects_written"] = own.written;
  detail["objects_skipped"] = own.skipped;
  detail["failed_symbols"] = ordered_json::parse(digest.failedJson());
  detail["status"] =
      tracker::eventStatusName(batch.event_status.value_or(tracker::EventStatus::kPartial));
  if (!plan.correlation_id.empty())
    detail["correlation_id"] = plan.correlation_id;
  detail["tables"] = std::move(tables);
  if (plan.symbols_up_to_date > 0)
    detail["symbols_up_to_date"] = plan.symbols_up_to_date;
  ordered_json event;
  event["detail-type"] = "Extract Batch Completed";
  event["source"] = "rawfeed";
  event["detail"] = std::move(detail);
  return event.dump();
}

core::Status BatchFinalizer::mergeWatermarks(const tracker::BatchOutline& batch,
                                             SortedSpool& reported) {
  if (options_.watermarks == nullptr || reported.entries() == 0)
    return core::okStatus();
  const auto& plan = batch.plan;
  return options_.watermarks->mergeOrdered(
      {plan.domain, plan.table_name, plan.interval, plan.data_source},
      [&reported](const tracker::WatermarkStore::UpdateSink& sink) {
        return reported.drain([&sink](std::string_view symbol, std::string_view fields) {
          auto watermark = unspooledWatermark(symbol, fields);
          if (!watermark.ok())
            return core::Status(watermark.error());
          return sink(*watermark);
        });
      });
}

core::Result<FinalizeOutcome> BatchFinalizer::finalize(const std::string& batch_id) {
  // A second pass only when the claim finds the batch complete while this finalizer read it
  // partial: it reads it again and writes the complete manifests over the partial ones it may
  // have just written. Complete is final, so two passes are enough.
  for (int pass = 0; pass < 2; ++pass) {
    std::optional<tracker::BatchOutline> batch;
    std::unique_ptr<Digest> ahead_digest = pass == 0 ? takeAheadDigest(batch_id, batch) : nullptr;
    Digest read_digest;
    Digest& digest = ahead_digest ? *ahead_digest : read_digest;
    if (!ahead_digest) {
      const auto reading = startReading(batch_id);
      auto read =
          tracker_.readBatch(batch_id, [this, reading, &digest](tracker::ChunkResult& chunk) {
            if (observer_ != nullptr)
              observer_->chunkRead(reading, chunk);
            return digest.add(chunk);
          });
      if (!read.ok()) {
        if (observer_ != nullptr)
          observer_->readAbandoned(reading);
        return read.error();
      }
      if (observer_ != nullptr)
        observer_->readFinished(reading, *read);
      batch = std::move(read).value();
    }
    const auto status = batch->event_status;
    if (!status) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             "batch " + batch_id + " still has unrecorded chunks");
    }
    // The watermarks are merged while the manifests are written when their documents are small
    // (the domain's old and new text are held during the merge); else after them, so that the
    // two never add up at 100,000 symbols.
    std::future<core::Status> merging;
    if (options_.manifest_writers > 1 && digest.watermarks.entries() <= kWatermarksAlongside) {
      merging = std::async(std::launch::async, [this, &batch, &digest] {
        return mergeWatermarks(*batch, digest.watermarks);
      });
    }
    auto manifest_keys = writeManifests(*batch, digest);
    const core::Status merged = merging.valid()      ? merging.get()
                                : manifest_keys.ok() ? mergeWatermarks(*batch, digest.watermarks)
                                                     : core::okStatus();
    if (!manifest_keys.ok())
      return manifest_keys.error();
    if (!merged.ok())
      return merged.error();
    // Claimed even when the outline says published: the claim reads the batch's status anew,
    // which is what catches an outline that went stale while the manifests were written.
    auto claim = tracker_.claimEvent(batch_id, *status, clock_.now(), options_.event_claim_lease);
    if (!claim.ok())
      return claim.error();
    switch (claim->outcome) {
      case tracker::ClaimOutcome::kGranted:
        return publish(*batch, *status, claim->claim_id,
                       completionEventJson(*batch, digest, *manifest_keys));
      case tracker::ClaimOutcome::kPublished:
        return FinalizeOutcome::kAlreadyPublished;
      case tracker::ClaimOutcome::kHeld:
        return FinalizeOutcome::kClaimedElsewhere;
      case tracker::ClaimOutcome::kSuperseded:
        continue;
    }
  }
  return core::makeError(core::ErrorCode::kInternal,
                         "batch " + batch_id + ": its status kept changing while finalizing");
}

core::Result<FinalizeOutcome> BatchFinalizer::publish(const tracker::BatchOutline& batch,
                                                      tracker::EventStatus status,
                                                      std::int64_t claim_id,
                                                      const std::string& event) {
  const std::string& batch_id = batch.plan.batch_id;
  if (auto published = events_.publish(event); !published.ok()) {
    // Best effort: a claim not released lapses after its lease anyway.
    (void)tracker_.releaseEventClaim(batch_id, status, claim_id);
    return published.error();
  }
  // A failure here leaves the event published but not marked: after the lease another
  // finalizer publishes it again (the one at-least-once case).
  if (auto marked = tracker_.markEventPublished(batch_id, status); !marked.ok())
    return marked.error();
  return FinalizeOutcome::kPublished;
}

}  // namespace rawfeed::pipeline
