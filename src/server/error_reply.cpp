#include "server/error_reply.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rawfeed::server {
namespace {

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

}  // namespace

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

std::string closingErrorResponse(int status, std::string_view message) {
  const std::string body = errorJson(status, message);
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
      "Connection: close\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n"
      "\r\n{}",
      status, reasonPhrase(status), body.size(), body);
}

}  // namespace rawfeed::server
