#include "sources/source_registry.h"

#include <algorithm>

#include "sources/csv_http/csv_http_descriptor.h"
#include "sources/yahoo/yahoo_descriptor.h"

namespace rawfeed::sources {
namespace {

// One line per source.
const SourceDescriptor* const kSources[] = {
    &yahoo::yahooFinanceDescriptor(),
    &csv_http::csvHttpDescriptor(),
};

}  // namespace

const SourceDescriptor* findSource(std::string_view data_source) {
  for (const SourceDescriptor* source : kSources) {
    if (source->name() == data_source)
      return source;
  }
  return nullptr;
}

std::vector<std::string_view> sourceNames() {
  std::vector<std::string_view> names;
  for (const SourceDescriptor* source : kSources)
    names.push_back(source->name());
  std::sort(names.begin(), names.end());
  return names;
}

core::Result<const SourceDescriptor*> sourceNamed(std::string_view data_source) {
  if (const SourceDescriptor* source = findSource(data_source))
    return source;
  std::string known;
  for (const auto name : sourceNames()) {
    if (!known.empty())
      known += ", ";
    known += name;
  }
  return core::makeError(
      core::ErrorCode::kInvalidInput,
      "unknown data_source '" + std::string(data_source) + "' (known: " + known + ")");
}

}  // namespace rawfeed::sources
