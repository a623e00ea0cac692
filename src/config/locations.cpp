#include "config/locations.h"

#include <array>

namespace rawfeed::config {

namespace {

// One backend's claim: which texts are its locations, and how to read one it claimed.
template <typename Location>
struct Scheme {
  std::string_view forms;  // for errors: what the backend accepts
  bool (*claims)(std::string_view uri);
  core::Result<Location> (*parse)(std::string_view uri);
};

// --- queues ---------------------------------------------------------------------------------

core::Result<QueueLocation> sqliteQueue(std::string_view uri) {
  QueueLocation location;
  location.backend = std::string(kSqliteQueue);
  location.uri = std::string(uri);
  if (uri != "sqlite") {
    location.address = std::string(uri.substr(std::string_view("sqlite://").size()));
    if (location.address.empty() || location.address.front() != '/') {
      return core::invalidInput("queue '" + location.uri + "' must be sqlite:///absolute/path");
    }
  }
  return location;
}

core::Result<QueueLocation> sqsQueue(std::string_view uri) {
  QueueLocation location;
  location.backend = std::string(kSqsQueue);
  location.uri = std::string(uri);
  location.address =
      std::string(uri.starts_with("sqs://") ? uri.substr(std::string_view("sqs://").size()) : uri);
  if (location.address.empty())
    return core::invalidInput("queue '" + location.uri + "' names no queue (sqs://NAME)");
  return location;
}

constexpr std::array<Scheme<QueueLocation>, 2> kQueueSchemes{{
    {"sqlite, sqlite:///absolute/path",
     [](std::string_view uri) { return uri == "sqlite" || uri.starts_with("sqlite://"); },
     sqliteQueue},
    {"sqs://NAME, an SQS queue URL",
     [](std::string_view uri) {
       return uri.starts_with("sqs://") || uri.starts_with("https://") ||
              uri.starts_with("http://");
     },
     sqsQueue},
}};

// --- lakes ----------------------------------------------------------------------------------

core::Result<LakeLocation> localLake(std::string_view uri) {
  LakeLocation location;
  location.backend = std::string(kLocalLake);
  location.uri = std::string(uri);
  if (uri.starts_with("file://")) {
    location.address = std::string(uri.substr(std::string_view("file://").size()));
    if (location.address.empty() || location.address.front() != '/')
      return core::invalidInput("lake URI '" + location.uri + "' must be file:///absolute/path");
    return location;
  }
  if (uri.empty())
    return core::invalidInput("lake location is empty");
  location.address = std::filesystem::absolute(std::filesystem::path(uri)).string();
  return location;
}

core::Result<LakeLocation> s3Lake(std::string_view uri) {
  LakeLocation location;
  location.backend = std::string(kS3Lake);
  location.uri = std::string(uri);
  location.shared = true;
  const std::string_view rest = uri.substr(std::string_view("s3://").size());
  const auto slash = rest.find('/');
  location.address = std::string(rest.substr(0, slash));
  if (location.address.empty())
    return core::invalidInput("lake '" + location.uri + "': an S3 lake is s3://BUCKET[/PREFIX]");
  if (slash != std::string_view::npos)
    location.prefix = std::string(rest.substr(slash + 1));
  while (!location.prefix.empty() && location.prefix.back() == '/')
    location.prefix.pop_back();
  return location;
}

constexpr std::array<Scheme<LakeLocation>, 2> kLakeSchemes{{
    {"a directory, file:///absolute/path",
     [](std::string_view uri) {
       return uri.starts_with("file://") || uri.find("://") == std::string_view::npos;
     },
     localLake},
    {"s3://BUCKET[/PREFIX]", [](std::string_view uri) { return uri.starts_with("s3://"); }, s3Lake},
}};

template <typename Location, std::size_t N>
core::Result<Location> parseBy(const std::array<Scheme<Location>, N>& schemes,
                               std::string_view what, std::string_view uri) {
  std::string forms;
  for (const auto& scheme : schemes) {
    if (scheme.claims(uri))
      return scheme.parse(uri);
    forms += (forms.empty() ? "" : ", ") + std::string(scheme.forms);
  }
  return core::invalidInput(std::string(what) + " '" + std::string(uri) +
                            "' is not one rawfeed knows (" + forms + ")");
}

}  // namespace

core::Result<QueueLocation> parseQueueLocation(std::string_view uri) {
  return parseBy(kQueueSchemes, "queue", uri);
}

core::Result<LakeLocation> parseLakeLocation(std::string_view uri) {
  return parseBy(kLakeSchemes, "lake", uri);
}

core::Result<TrackerKind> parseTrackerKind(std::string_view text) {
  if (text == "auto")
    return TrackerKind::kAuto;
  if (text == "sqlite")
    return TrackerKind::kSqlite;
  if (text == "lake")
    return TrackerKind::kLake;
  return core::invalidInput("tracker must be auto, sqlite or lake (got '" + std::string(text) +
                            "')");
}

std::string_view trackerKindName(TrackerKind kind) {
  switch (kind) {
    case TrackerKind::kAuto:
      return "auto";
    case TrackerKind::kSqlite:
      return "sqlite";
    case TrackerKind::kLake:
      return "lake";
  }
  return "auto";
}

TrackerKind effectiveTracker(TrackerKind kind, const LakeLocation& lake) {
  if (kind != TrackerKind::kAuto)
    return kind;
  return lake.shared ? TrackerKind::kLake : TrackerKind::kSqlite;
}

}  // namespace rawfeed::config
