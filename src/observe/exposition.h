#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "observe/histogram.h"

// Pieces of the Prometheus text exposition format 0.0.4, shared by the registry's renderer and
// its tests. Pure functions.
namespace rawfeed::observe::exposition {

// Label values escape backslash, double quote and newline.
std::string escapeLabelValue(std::string_view value);
// HELP text escapes backslash and newline (quotes are literal there).
std::string escapeHelp(std::string_view help);
// Shortest text that reads back to the same double; "NaN", "+Inf", "-Inf" as the format spells.
std::string formatValue(double value);
std::string formatValue(std::int64_t value);

// `{a="x",b="y"}` for parallel names and values, "" when there are none. `extra_name` (e.g.
// "le") is appended when not empty.
std::string labelSet(std::span<const std::string> names, std::span<const std::string> values,
                     std::string_view extra_name = {}, std::string_view extra_value = {});

// "# HELP ...\n# TYPE ...\n".
void appendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type);
void appendSample(std::string& out, std::string_view name, const std::string& labels,
                  const std::string& value);
// The _bucket lines (cumulative, ending with le="+Inf"), _sum and _count of one child.
void appendHistogram(std::string& out, std::string_view name,
                     std::span<const std::string> label_names,
                     std::span<const std::string> label_values, const HistogramSnapshot& h);

}  // namespace rawfeed::observe::exposition
