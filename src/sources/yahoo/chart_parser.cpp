#include "sources/yahoo/chart_parser.h"

#include <simdjson.h>

#include <utility>

namespace rawfeed::sources::yahoo {
namespace {

namespace od = simdjson::ondemand;

std::string_view trimmed(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  return token;
}

std::optional<std::int64_t> optionalInt(od::value value) {
  if (value.is_null()) {
    return std::nullopt;
  }
  return value.get_int64().value();
}

std::string optionalString(od::value value) {
  if (value.is_null()) {
    return {};
  }
  return std::string(value.get_string().value());
}

void parseRegularPeriod(od::object period, ChartMeta& meta) {
  for (auto field : period) {
    const std::string_view key = field.unescaped_key().value();
    if (key == "regular") {
      for (auto inner : field.value().get_object()) {
        const std::string_view name = inner.unescaped_key().value();
        if (name == "start") {
          meta.regular_start = optionalInt(inner.value());
        } else if (name == "end") {
          meta.regular_end = optionalInt(inner.value());
        }
      }
    }
  }
}

void parseMeta(od::object object, ChartMeta& meta) {
  for (auto field : object) {
    const std::string_view key = field.unescaped_key().value();
    if (key == "exchangeTimezoneName") {
      meta.exchange_timezone = optionalString(field.value());
    } else if (key == "gmtoffset") {
      meta.gmtoffset = optionalInt(field.value());
    } else if (key == "regularMarketTime") {
      meta.regular_market_time = optionalInt(field.value());
    } else if (key == "dataGranularity") {
      meta.data_granularity = optionalString(field.value());
    } else if (key == "currency") {
      od::value value = field.value();
      if (value.type().value() == od::json_type::string) {
        meta.currency = std::string(value.get_string().value());
      }
    } else if (key == "currentTradingPeriod") {
      od::value value = field.value();
      if (!value.is_null()) {
        parseRegularPeriod(value.get_object(), meta);
      }
    }
  }
}

std::vector<Cell> parseColumn(od::array array) {
  std::vector<Cell> cells;
  for (auto element : array) {
    od::value value = element.value();
    const std::string_view token = trimmed(value.raw_json_token());
    if (token == "null") {
      cells.emplace_back(std::nullopt);
    } else {
      cells.emplace_back(std::string(token));
    }
  }
  return cells;
}

// The first element of an array of objects (quote:[{...}], adjclose:[{...}]), or nothing.
template <class Fn>
void forFirstObject(od::value value, Fn&& fn) {
  for (auto element : value.get_array()) {
    fn(element.value().get_object());
    return;
  }
}

void parseQuote(od::object quote, ChartBody& out) {
  for (auto field : quote) {
    const std::string_view key = field.unescaped_key().value();
    Column* column = key == "open"     ? &out.open
                     : key == "high"   ? &out.high
                     : key == "low"    ? &out.low
                     : key == "close"  ? &out.close
                     : key == "volume" ? &out.volume
                                       : nullptr;
    if (column != nullptr) {
      *column = parseColumn(field.value().get_array());
    }
  }
}

void parseIndicators(od::object indicators, ChartBody& out) {
  for (auto field : indicators) {
    const std::string_view key = field.unescaped_key().value();
    if (key == "quote") {
      forFirstObject(field.value(), [&](od::object quote) { parseQuote(quote, out); });
    } else if (key == "adjclose") {
      forFirstObject(field.value(), [&](od::object object) {
        for (auto inner : object) {
          if (inner.unescaped_key().value() == "adjclose") {
            out.adjclose = parseColumn(inner.value().get_array());
          }
        }
      });
    }
  }
}

// A field of an event entry as its JSON text ("0.205", "\"x\"", "{"), nullopt for null.
Cell chartEventCell(od::value value) {
  const std::string_view token = trimmed(value.raw_json_token());
  if (token == "null") {
    return std::nullopt;
  }
  return std::string(token);
}

std::optional<std::string> chartEventString(od::value value) {
  if (value.type().value() != od::json_type::string) {
    return std::nullopt;
  }
  return std::string(value.get_string().value());
}

void parseChartEventEntry(od::value value, ChartEvent& event) {
  if (value.type().value() != od::json_type::object) {
    return;
  }
  event.is_object = true;
  for (auto field : value.get_object()) {
    const std::string_view key = field.unescaped_key().value();
    if (key == "amount") {
      event.amount = chartEventCell(field.value());
    } else if (key == "date") {
      event.date = chartEventCell(field.value());
    } else if (key == "numerator") {
      event.numerator = chartEventCell(field.value());
    } else if (key == "denominator") {
      event.denominator = chartEventCell(field.value());
    } else if (key == "currency") {
      event.currency = chartEventString(field.value());
    } else if (key == "splitRatio") {
      event.split_ratio = chartEventString(field.value());
    }
  }
}

void parseChartEvents(od::value value, ChartBody& out) {
  if (value.type().value() != od::json_type::object) {
    return;  // null or anything else: no events
  }
  for (auto group : value.get_object()) {
    const std::string_view name = group.unescaped_key().value();
    if (name != "dividends" && name != "splits" && name != "capitalGains") {
      continue;  // earnings and whatever Yahoo adds later
    }
    od::value entries = group.value();
    const od::json_type type = entries.type().value();
    if (type == od::json_type::null) {
      continue;
    }
    if (type != od::json_type::object) {
      ++out.malformed_event_groups;
      continue;
    }
    for (auto entry : entries.get_object()) {
      ChartEvent event;
      event.group = std::string(name);
      event.key = std::string(entry.unescaped_key().value());
      parseChartEventEntry(entry.value(), event);
      out.events.push_back(std::move(event));
    }
  }
}

void parseResult(od::object result, ChartBody& out) {
  out.has_result = true;
  for (auto field : result) {
    const std::string_view key = field.unescaped_key().value();
    if (key == "meta") {
      parseMeta(field.value().get_object(), out.meta);
    } else if (key == "timestamp") {
      std::vector<std::int64_t> timestamps;
      for (auto element : field.value().get_array()) {
        timestamps.push_back(element.get_int64().value());
      }
      out.timestamps = std::move(timestamps);
    } else if (key == "indicators") {
      parseIndicators(field.value().get_object(), out);
    } else if (key == "events") {
      parseChartEvents(field.value(), out);
    }
  }
}

void parseError(od::value value, ChartBody& out) {
  if (value.is_null()) {
    return;
  }
  ChartError error;
  for (auto field : value.get_object()) {
    const std::string_view key = field.unescaped_key().value();
    if (key == "code") {
      error.code = optionalString(field.value());
    } else if (key == "description") {
      error.description = optionalString(field.value());
    }
  }
  out.error = std::move(error);
}

void parseEnvelope(od::object envelope, ChartBody& out) {
  for (auto field : envelope) {
    const std::string_view key = field.unescaped_key().value();
    if (key == "result") {
      od::value value = field.value();
      if (!value.is_null()) {
        forFirstObject(value, [&](od::object result) { parseResult(result, out); });
      }
    } else if (key == "error") {
      parseError(field.value(), out);
    }
  }
}

}  // namespace

core::Result<ChartBody> parseChartBody(std::string_view body) {
  try {
    od::parser parser;
    const simdjson::padded_string padded(body);
    od::document doc = parser.iterate(padded);
    ChartBody out;
    for (auto field : doc.get_object()) {
      const std::string_view key = field.unescaped_key().value();
      if (key == "chart" || key == "finance") {
        out.is_chart = out.is_chart || key == "chart";
        parseEnvelope(field.value().get_object(), out);
      }
    }
    return out;
  } catch (const simdjson::simdjson_error& error) {
    return core::makeError(core::ErrorCode::kTransient, error.what());
  }
}

}  // namespace rawfeed::sources::yahoo
