#include "lambda/emf_exporter.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace rawfeed::lambda {

namespace {

constexpr std::size_t kMaxMetricsPerDirective = 100;

std::string unitFor(const std::string& name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends("_seconds"))
    return "Seconds";
  if (ends("_bytes") || ends("_bytes_total"))
    return "Bytes";
  if (ends("_total"))
    return "Count";
  return "None";
}

std::string seriesKey(const observe::MetricSample& sample) {
  std::string key = sample.name;
  for (const auto& value : sample.label_values)
    key += '\x1f' + value;
  return key;
}

// One domain's figures for one flush, other labels summed.
struct DomainFigures {
  std::map<std::string, double> values;                          // counters (deltas) and gauges
  std::map<std::string, observe::HistogramSnapshot> histograms;  // new observations
};

void addInto(observe::HistogramSnapshot& into, const observe::HistogramSnapshot& more) {
  if (into.upper_bounds.empty()) {
    into = more;
    return;
  }
  for (std::size_t i = 0; i < into.counts.size() && i < more.counts.size(); ++i) {
    into.counts[i] += more.counts[i];
  }
  into.sum += more.sum;
  into.count += more.count;
}

nlohmann::ordered_json histogramValue(const observe::HistogramSnapshot& snapshot) {
  nlohmann::ordered_json values = nlohmann::ordered_json::array();
  nlohmann::ordered_json counts = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < snapshot.counts.size(); ++i) {
    if (snapshot.counts[i] == 0 || snapshot.upper_bounds.empty())
      continue;
    const double value = snapshot.upper_bounds[std::min(i, snapshot.upper_bounds.size() - 1)];
    if (!values.empty() && values.back().get<double>() == value) {
      counts.back() = counts.back().get<std::uint64_t>() + snapshot.counts[i];
      continue;
    }
    values.push_back(value);
    counts.push_back(snapshot.counts[i]);
  }
  return {{"Values", values}, {"Counts", counts}};
}

}  // namespace

std::vector<std::string> EmfExporter::flush(core::SystemTime now,
                                            const std::map<std::string, std::string>& properties) {
  std::map<std::string, DomainFigures> domains;
  for (const auto& sample : registry_.samples()) {
    const auto label = std::find(sample.label_names.begin(), sample.label_names.end(), "domain");
    if (label == sample.label_names.end())
      continue;
    const std::string& domain =
        sample.label_values[static_cast<std::size_t>(label - sample.label_names.begin())];
    DomainFigures& figures = domains[domain];
    const std::string key = seriesKey(sample);
    switch (sample.type) {
      case observe::MetricType::kCounter: {
        double& previous = counters_[key];
        figures.values[sample.name] += sample.value - previous;
        previous = sample.value;
        break;
      }
      case observe::MetricType::kGauge:
        break;  // pull-style figures, not refreshed in Lambda (see the header)
      case observe::MetricType::kHistogram: {
        auto& previous = histograms_[key];
        const auto fresh =
            previous.upper_bounds.empty() ? sample.histogram : sample.histogram.since(previous);
        previous = sample.histogram;
        if (fresh.count > 0)
          addInto(figures.histograms[sample.name], fresh);
        break;
      }
    }
  }
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::vector<std::string> lines;
  for (const auto& [domain, figures] : domains) {
    std::vector<std::pair<std::string, nlohmann::ordered_json>> metrics;
    for (const auto& [name, value] : figures.values)
      metrics.emplace_back(name, value);
    for (const auto& [name, snapshot] : figures.histograms) {
      metrics.emplace_back(name, histogramValue(snapshot));
    }
    std::sort(metrics.begin(), metrics.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t first = 0; first < metrics.size(); first += kMaxMetricsPerDirective) {
      const std::size_t last = std::min(metrics.size(), first + kMaxMetricsPerDirective);
      nlohmann::ordered_json definitions = nlohmann::ordered_json::array();
      nlohmann::ordered_json document;
      for (std::size_t i = first; i < last; ++i) {
        definitions.push_back({{"Name", metrics[i].first}, {"Unit", unitFor(metrics[i].first)}});
      }
      document["_aws"] = {{"Timestamp", millis},
                          {"CloudWatchMetrics",
                           nlohmann::ordered_json::array(
                               {{{"Namespace", "rawfeed"},
                                 {"Dimensions", nlohmann::ordered_json::array(
                                                    {nlohmann::ordered_json::array({"domain"})})},
                                 {"Metrics", definitions}}})}};
      document["domain"] = domain;
      for (const auto& [key, value] : properties)
        document[key] = value;
      for (std::size_t i = first; i < last; ++i)
        document[metrics[i].first] = metrics[i].second;
      lines.push_back(document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  return lines;
}

}  // namespace rawfeed::lambda
