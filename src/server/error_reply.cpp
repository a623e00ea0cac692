#include "server/error_reply.h"

#include <nlohmann/json.hpp>

namespace rawfeed::server {

int httpStatusFor(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidInput:
      return 400;
    case core::ErrorCode::kNotFound:
      return 404;
    case core::ErrorCode::kUnauthenticated:
      return 401;
    case core::ErrorCode::kThrottled:
      return 429;
    case core::ErrorCode::kCancelled:
      return 503;
    default:
      return 500;
  }
}

std::string errorJson(int status, std::string_view message) {
  nlohmann::json document = {{"error", std::string(message)}, {"status", status}};
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ApiReply errorReply(int status, std::string_view message) {
  ApiReply reply;
  reply.status = status;
  reply.body = errorJson(status, message);
  return reply;
}

ApiReply errorReply(const core::Error& error) {
  return errorReply(httpStatusFor(error.code), error.message);
}

std::string defaultMessageFor(int status) {
  switch (status) {
    case 400:
      return "bad request: the request could not be parsed";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 408:
      return "request timeout";
    case 413:
      return "request body too large";
    case 414:
      return "request URI too long";
    case 416:
      return "range not satisfiable";
    default:
      return status >= 500 ? "internal server error" : "request failed";
  }
}

}  // namespace rawfeed::server
