#include "lambda/lambda_logger.h"

#include <nlohmann/json.hpp>

namespace rawfeed::lambda {

std::string withRequestId(const std::string& line, const std::string& request_id) {
  if (request_id.empty() || line.empty() || line.front() != '{')
    return line;
  const std::string member =
      "\"request_id\":" +
      nlohmann::json(request_id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return "{" + member + (line.size() > 2 ? "," : "") + line.substr(1);
}

LambdaLogger::LambdaLogger(const core::Clock& clock, std::FILE* out, observe::Level level)
    : clock_(clock), out_(out), level_(level) {}

void LambdaLogger::log(observe::Level level, std::string_view event,
                       std::initializer_list<observe::Field> fields) {
  if (level < level_)
    return;
  const std::string line = observe::formatLogLine(clock_.now(), level, event, fields);
  std::lock_guard lock(mutex_);
  const std::string out = withRequestId(line, request_id_) + "\n";
  std::fwrite(out.data(), 1, out.size(), out_);
  std::fflush(out_);
}

void LambdaLogger::setRequestId(std::string request_id) {
  std::lock_guard lock(mutex_);
  request_id_ = std::move(request_id);
}

void LambdaLogger::writeRaw(const std::string& line) {
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace rawfeed::lambda
