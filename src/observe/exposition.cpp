#include "observe/exposition.h"

#include <fmt/format.h>

#include <cmath>

namespace rawfeed::observe::exposition {

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string formatValue(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::string formatValue(std::int64_t value) {
  return fmt::format("{}", value);
}

std::string labelSet(std::span<const std::string> names, std::span<const std::string> values,
                     std::string_view extra_name, std::string_view extra_value) {
  if (names.empty() && extra_name.empty())
    return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i > 0)
      out += ',';
    out += names[i];
    out += "=\"";
    out += escapeLabelValue(values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty())
      out += ',';
    out += extra_name;
    out += "=\"";
    out += escapeLabelValue(extra_value);
    out += '"';
  }
  out += '}';
  return out;
}

void appendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += escapeHelp(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void appendSample(std::string& out, std::string_view name, const std::string& labels,
                  const std::string& value) {
  out += name;
  out += labels;
  out += ' ';
  out += value;
  out += '\n';
}

void appendHistogram(std::string& out, std::string_view name,
                     std::span<const std::string> label_names,
                     std::span<const std::string> label_values, const HistogramSnapshot& h) {
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    cumulative += h.counts[i];
    const std::string le = i < h.upper_bounds.size() ? formatValue(h.upper_bounds[i]) : "+Inf";
    appendSample(out, bucket, labelSet(label_names, label_values, "le", le),
                 formatValue(static_cast<std::int64_t>(cumulative)));
  }
  const std::string labels = labelSet(label_names, label_values);
  appendSample(out, std::string(name) + "_sum", labels, formatValue(h.sum));
  appendSample(out, std::string(name) + "_count", labels,
               formatValue(static_cast<std::int64_t>(h.count)));
}

}  // namespace rawfeed::observe::exposition
