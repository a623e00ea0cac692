#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/compression.h"
#include "pipeline/batch_request.h"

namespace rawfeed::fakes {

// The batch most tests work on, changed only where a test says: customer-data's daily prices
// from yahoo_finance over 5d, JSON, triggered by hand. Header-only: BatchRequest is a plain
// struct, so a test needs rawfeed_pipeline only for what it tests.
class BatchRequestBuilder {
 public:
  BatchRequestBuilder(std::string batch_id = "b1", std::string batch_ds = "2024-01-02") {
    request_.data_source = "yahoo_finance";
    request_.data_type = "prices";
    request_.domain = "customer-data";
    request_.table_name = "prices";
    request_.period = "5d";
    request_.interval = "1d";
    request_.file_format = "json";
    request_.trigger_type = "manual";
    request_.batch_id = std::move(batch_id);
    request_.batch_ds = std::move(batch_ds);
  }

  BatchRequestBuilder& domain(std::string value) { return set(&R::domain, std::move(value)); }
  BatchRequestBuilder& dataType(std::string value) { return set(&R::data_type, std::move(value)); }
  BatchRequestBuilder& tableName(std::string value) {
    return set(&R::table_name, std::move(value));
  }
  BatchRequestBuilder& period(std::string value) { return set(&R::period, std::move(value)); }
  // A date range instead of a period.
  BatchRequestBuilder& range(std::string start, std::string end) {
    request_.period.clear();
    request_.start = std::move(start);
    request_.end = std::move(end);
    return *this;
  }
  BatchRequestBuilder& interval(std::string value) { return set(&R::interval, std::move(value)); }
  BatchRequestBuilder& fileFormat(std::string value) {
    return set(&R::file_format, std::move(value));
  }
  BatchRequestBuilder& triggerType(std::string value) {
    return set(&R::trigger_type, std::move(value));
  }
  BatchRequestBuilder& correlationId(std::string value) {
    return set(&R::correlation_id, std::move(value));
  }
  // The codec and its level (the codec's default unless given).
  BatchRequestBuilder& compression(core::Compression value, std::optional<int> level = {}) {
    request_.compression = value;
    request_.compression_level = level.value_or(core::compressionLevels(value).default_level);
    return *this;
  }
  BatchRequestBuilder& overwrite(bool on = true) { return set(&R::overwrite, on); }
  BatchRequestBuilder& symbols(std::vector<std::string> value) {
    request_.symbols = std::move(value);
    return *this;
  }

  pipeline::BatchRequest build() const { return request_; }

 private:
  using R = pipeline::BatchRequest;
  template <class T>
  BatchRequestBuilder& set(T R::*field, T value) {
    request_.*field = std::move(value);
    return *this;
  }

  pipeline::BatchRequest request_;
};

}  // namespace rawfeed::fakes
