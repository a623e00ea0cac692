#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/http_client.h"

namespace rawfeed::events::testing {

inline std::string header(const http::HttpRequest& request, std::string_view name) {
  http::HttpResponse probe;
  probe.headers = request.headers;
  return probe.header(name).value_or("");
}

// A completion event as BatchFinalizer writes it (contracts §7).
inline std::string completionEvent(const std::string& batch_id, const std::string& domain = "d1") {
  return R"({"detail-type":"Extract Batch Completed","source":"rawfeed","detail":{"schema":)"
         R"("rawfeed.completion/1","batch_id":")" +
         batch_id + R"(","batch_ds":"2026-11-26","domain":")" + domain +
         R"(","table_name":"prices","interval":"1d","data_source":"yahoo_finance",)"
         R"("manifest_keys":["k"],"objects_written":3,"objects_skipped":1,)"
         R"("failed_symbols":[],"status":"complete"}})";
}

}  // namespace rawfeed::events::testing
