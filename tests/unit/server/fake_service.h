#pragma once

#include <cmath>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "server/service.h"

// A server::Service serving fixed figures and recording every call, so tests can check what the
// server asked for — and that it asked for nothing when it refused a request.
namespace rawfeed::server::testing {

struct FakeFigures {
  std::string domain;
  long visible = 0;
  long in_flight = 0;
  long delayed = 0;
  long dlq = 0;
  std::optional<double> oldest_age_seconds;
  long symbols_ok_total = 0;
  long objects_written_total = 0;
  std::string queue_depth_alarm = "OK";
  std::string oldest_message_age_alarm = "OK";
  std::string worker_errors_alarm = "OK";
};

inline std::vector<FakeFigures> defaultFigures() {
  FakeFigures customer{"customer-data",    12, 3, 1, 2, 42.5, 1234, 987, "OK", "ALARM",
                       "INSUFFICIENT_DATA"};
  FakeFigures product{"product-data", 0, 0, 0, 0, std::nullopt, 56, 55, "OK", "OK", "OK"};
  return {customer, product};
}

struct RecordedCall {
  std::string method;  // "startRun", "redriveDeadLetters", ...
  std::string domain;
  std::string body;  // the JSON text given, where there is one
  bool dry_run = false;
  int limit = 0;
  Service::DeadLetterFilter filter;
};

class FakeService final : public Service {
 public:
  explicit FakeService(std::vector<FakeFigures> figures = defaultFigures())
      : figures_(std::move(figures)) {}

  // The next action call (everything but domains() and metricsText()) fails with this.
  void failNextWith(core::Error error) {
    std::lock_guard<std::mutex> lock(mutex_);
    next_error_ = std::move(error);
  }

  std::vector<RecordedCall> calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  const std::vector<FakeFigures>& figures() const { return figures_; }

  std::vector<std::string> domains() const override {
    std::vector<std::string> names;
    for (const auto& figure : figures_) {
      names.push_back(figure.domain);
    }
    return names;
  }

  core::Result<std::string> startRun(const std::string& domain, std::string_view trigger_json,
                                     bool dry_run) override {
    RecordedCall call{"startRun", domain, std::string(trigger_json), dry_run, 0, {}};
    if (auto error = record(call)) {
      return *error;
    }
    return fmt::format(R"({{"domain":"{}","batch_id":"b-1","dry_run":{}}})", domain, dry_run);
  }

  core::Result<std::string> acceptEvents(std::string_view body) override {
    if (auto error = record({"acceptEvents", "", std::string(body), false, 0, {}})) {
      return *error;
    }
    return std::string(R"({"entries":[{"index":0,"domain":"customer-data","batch_id":"b-2"}]})");
  }

  std::string metricsText() override {
    std::string text =
        "# HELP rawfeed_queue_visible_messages Messages waiting.\n"
        "# TYPE rawfeed_queue_visible_messages gauge\n";
    for (const auto& f : figures_) {
      const std::string label = fmt::format("{{domain=\"{}\"}}", f.domain);
      text += fmt::format("rawfeed_queue_visible_messages{} {}\n", label, f.visible);
      text += fmt::format("rawfeed_queue_in_flight_messages{} {}\n", label, f.in_flight);
      text += fmt::format("rawfeed_dlq_messages{} {}\n", label, f.dlq);
      if (f.oldest_age_seconds) {
        text +=
            fmt::format("rawfeed_queue_oldest_age_seconds{} {}\n", label, *f.oldest_age_seconds);
      }
      text += fmt::format("rawfeed_symbols_ok_total{} {}\n", label, f.symbols_ok_total);
      text += fmt::format("rawfeed_objects_written_total{} {}\n", label, f.objects_written_total);
    }
    return text;
  }

  core::Result<std::string> statusJson() override {
    if (auto error = record({"statusJson", "", "", false, 0, {}})) {
      return *error;
    }
    std::string domains;
    for (const auto& f : figures_) {
      if (!domains.empty()) {
        domains += ',';
      }
      domains += statusOf(f);
    }
    return fmt::format(R"({{"generated_at":"2024-05-01T12:00:00Z","domains":[{}]}})", domains);
  }

  core::Result<std::string> timeseriesJson(const std::string& domain) override {
    if (auto error = record({"timeseriesJson", domain, "", false, 0, {}})) {
      return *error;
    }
    std::string points;
    const long start = 1714564800;
    for (int i = 0; i < 60; ++i) {
      if (i > 0) {
        points += ',';
      }
      const double wave = std::sin(i / 6.0);
      points += fmt::format(
          R"({{"t":{},"visible":{},"in_flight":{},"delayed":{},"dlq":{},"oldest_age_seconds":{},)"
          R"("symbols_ok":{},"errors":{},"throughput_per_second":{:.2f},)"
          R"("latency_p50_seconds":{:.3f},"latency_p95_seconds":{:.3f}}})",
          start + i * 60, 40 + static_cast<int>(30 * wave), 3 + i % 4, i % 3, i < 30 ? 0 : 2,
          20 + 15 * (wave + 1), 20 * i, i % 17 == 0 ? 1 : 0, 8 + 3 * wave, 0.25 + 0.05 * wave,
          0.9 + 0.3 * wave);
    }
    return fmt::format(R"({{"domain":"{}","interval_seconds":60,"points":[{}]}})", domain, points);
  }

  core::Result<std::string> batchesJson(const std::string& domain, int limit) override {
    if (auto error = record({"batchesJson", domain, "", false, limit, {}})) {
      return *error;
    }
    return fmt::format(
        R"({{"domain":"{0}","batches":[{{"batch_id":"2024-05-01-sched-7f3a","batch_ds":"2024-05-01",)"
        R"("status":"partial","trigger_type":"schedule","created_at":"2024-05-01T13:00:00Z",)"
        R"("finished_at":"2024-05-01T13:04:10Z","symbols":120,"chunks":24,"chunks_done":24,)"
        R"("objects_written":117,"objects_skipped":1,"manifest_keys":["{0}/prices/interval=1d/)"
        R"(data_source=yahoo_finance/year=2024/month=05/day=01/_batch.manifest.json"],)"
        R"("failed_symbols":[{{"symbol":"BAD.X","reason":"permanent: no data"}},)"
        R"({{"symbol":"<b>XSS</b>","reason":"throttled: 429"}}]}},)"
        R"({{"batch_id":"2024-04-30-sched-11c2","batch_ds":"2024-04-30","status":"complete",)"
        R"("trigger_type":"schedule","created_at":"2024-04-30T13:00:00Z",)"
        R"("finished_at":"2024-04-30T13:03:55Z","symbols":120,"chunks":24,"chunks_done":24,)"
        R"("objects_written":120,"objects_skipped":0,"manifest_keys":[],"failed_symbols":[]}}]}})",
        domain);
  }

  core::Result<std::string> lakeJson(const std::string& domain) override {
    if (auto error = record({"lakeJson", domain, "", false, 0, {}})) {
      return *error;
    }
    return fmt::format(
        R"({{"domain":"{}","partitions":[{{"ds":"2024-04-29","objects":118,"bytes":1843200}},)"
        R"({{"ds":"2024-04-30","objects":120,"bytes":1900544}},)"
        R"({{"ds":"2024-05-01","objects":117,"bytes":1795000}}]}})",
        domain);
  }

  core::Result<std::string> deadLettersJson(const std::string& domain,
                                            const DeadLetterFilter& filter) override {
    if (auto error = record({"deadLettersJson", domain, "", false, filter.limit, filter})) {
      return *error;
    }
    return std::string(
        R"({"messages":[{"message_id":"m-1","receive_count":5,"sent_at":"2024-05-01T13:00:01Z",)"
        R"("dead_lettered_at":"2024-05-01T13:20:00Z","age_seconds":3600,"batch_id":"2024-05-01-sched-7f3a",)"
        R"("chunk_index":7,"symbols":["AAPL","MSFT"],"error_class":"throttled"},)"
        R"({"message_id":"m-2","receive_count":5,"sent_at":"2024-05-01T13:00:02Z",)"
        R"("dead_lettered_at":"2024-05-01T13:21:00Z","age_seconds":3500,"batch_id":"2024-05-01-sched-7f3a",)"
        R"("chunk_index":9,"symbols":["BAD.X"],"error_class":"poison"}]})");
  }

  core::Result<std::string> redriveDeadLetters(const std::string& domain,
                                               const DeadLetterFilter& filter,
                                               bool dry_run) override {
    if (auto error = record({"redriveDeadLetters", domain, "", dry_run, filter.limit, filter})) {
      return *error;
    }
    return fmt::format(R"({{"matched":2,"redriven":{},"message_ids":["m-1","m-2"]}})",
                       dry_run ? 0 : 2);
  }

 private:
  std::optional<core::Error> record(RecordedCall call) {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.push_back(std::move(call));
    std::optional<core::Error> error = std::move(next_error_);
    next_error_.reset();
    return error;
  }

  static std::string alarm(std::string_view name, const std::string& state, double value,
                           double threshold) {
    return fmt::format(
        R"({{"name":"{}","state":"{}","value":{},"threshold":{},"period_seconds":300}})", name,
        state, value, threshold);
  }

  static std::string statusOf(const FakeFigures& f) {
    const std::string oldest =
        f.oldest_age_seconds ? fmt::format("{}", *f.oldest_age_seconds) : std::string("null");
    const std::string alarms = alarm("queue_depth", f.queue_depth_alarm, double(f.visible), 100) +
                               "," +
                               alarm("oldest_message_age", f.oldest_message_age_alarm,
                                     f.oldest_age_seconds.value_or(0), 300) +
                               "," + alarm("worker_errors", f.worker_errors_alarm, 0, 1);
    return fmt::format(
        R"({{"domain":"{}","queue":{{"visible":{},"in_flight":{},"delayed":{},"dlq":{},)"
        R"("oldest_age_seconds":{}}},"counters":{{"symbols_ok_total":{},)"
        R"("symbols_failed_total":3,"objects_written_total":{},"objects_skipped_total":1,)"
        R"("bytes_written_total":5538744,"messages_dead_lettered_total":{}}},"alarms":[{}],)"
        R"j("schedule":{{"expression":"cron(0 22 * * ? *)","time_zone":"Asia/Seoul",)j"
        R"("next_fire":"2024-05-01T13:00:00Z"}},"recent_batches":[]}})",
        f.domain, f.visible, f.in_flight, f.delayed, f.dlq, oldest, f.symbols_ok_total,
        f.objects_written_total, f.dlq, alarms);
  }

  std::vector<FakeFigures> figures_;
  mutable std::mutex mutex_;  // guards calls_ and next_error_
  std::vector<RecordedCall> calls_;
  std::optional<core::Error> next_error_;
};

}  // namespace rawfeed::server::testing
