#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sources/source_descriptor.h"

namespace rawfeed::sources {

// The one list of the sources rawfeed fetches from, keyed by the domain's `data_source`.
// Adding a source is its folder (a module rawfeed_sources_<folder> with a SourceDescriptor) plus
// its line in source_registry.cpp and its folder in sources/CMakeLists.txt; docs/architecture.md
// has the recipe.

// nullptr when no source has that name.
const SourceDescriptor* findSource(std::string_view data_source);
// kInvalidInput "unknown data_source 'x' (known: csv_http, yahoo_finance)".
core::Result<const SourceDescriptor*> sourceNamed(std::string_view data_source);
// Every registered name, sorted.
std::vector<std::string_view> sourceNames();

}  // namespace rawfeed::sources
