#include "server/request_assembler.h"

#include <algorithm>

#include <fmt/format.h>

#include "server/error_reply.h"

namespace rawfeed::server {
namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

long long millisOf(std::chrono::milliseconds duration) {
  return static_cast<long long>(duration.count());
}

}  // namespace

const char* closeReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kNone:
      return "none";
    case CloseReason::kDone:
      return "done";
    case CloseReason::kIdle:
      return "idle";
    case CloseReason::kClientGone:
      return "client_gone";
    case CloseReason::kHeadTimeout:
      return "head_timeout";
    case CloseReason::kBodyTimeout:
      return "body_timeout";
    case CloseReason::kWriteTimeout:
      return "write_timeout";
    case CloseReason::kHeadTooLarge:
      return "head_too_large";
    case CloseReason::kMalformed:
      return "malformed";
    case CloseReason::kNoBodyMemory:
      return "body_budget_spent";
    case CloseReason::kStopping:
      return "stopping";
  }
  return "unknown";
}

RequestAssembler::RequestAssembler(const AssemblyLimits& limits, BodyBudget& budget,
                                   core::SteadyTime now)
    : limits_(limits), budget_(budget), phase_deadline_(now + limits.head_timeout) {}

RequestAssembler::~RequestAssembler() {
  releaseBody();
}

void RequestAssembler::onInput(std::string_view bytes, core::SteadyTime now) {
  if (phase_ == Phase::kFinished) {
    return;
  }
  input_.append(bytes);
  advance(now);
}

void RequestAssembler::onEndOfInput() {
  input_closed_ = true;
  // A request already whole is still answered; a partial one never will be.
  if (phase_ == Phase::kIdle || phase_ == Phase::kHead || phase_ == Phase::kBody) {
    finish(CloseReason::kClientGone);
  }
}

void RequestAssembler::onHandled(HandledRequest handled, core::SteadyTime now) {
  if (phase_ == Phase::kJudging) {
    if (handled.probe_accepted && !stopping_) {
      beginBody(now);
      if (phase_ == Phase::kBody) {
        output_.append(kContinue);
        advance(now);
      }
      return;
    }
    // Refused from the head: the client may or may not send the body now, so the stream
    // cannot be followed further.
    respond(std::move(handled.response), /*close=*/true, now);
    return;
  }
  if (phase_ == Phase::kHandling) {
    releaseBody();
    respond(std::move(handled.response), handled.close || last_, now);
  }
}

void RequestAssembler::onSent(std::size_t bytes, core::SteadyTime now) {
  output_sent_ = std::min(output_sent_ + bytes, output_.size());
  if (output_sent_ < output_.size()) {
    return;
  }
  output_.clear();
  output_sent_ = 0;
  if (phase_ == Phase::kResponding) {
    responseSent(now);
  } else if (phase_ == Phase::kClosing) {
    finish(reason_);
  }
}

void RequestAssembler::onDeadline(core::SteadyTime now) {
  const auto due = deadline();
  if (!due || now < *due) {
    return;
  }
  switch (phase_) {
    case Phase::kIdle:
      // Nothing of a request arrived: there is nobody to answer.
      finish(first_request_ ? CloseReason::kHeadTimeout : CloseReason::kIdle);
      break;
    case Phase::kHead:
      fail(408,
           fmt::format("the request head did not arrive within {} ms",
                       millisOf(limits_.head_timeout)),
           CloseReason::kHeadTimeout, now);
      break;
    case Phase::kBody:
      fail(408,
           fmt::format("the request body did not arrive within {} ms",
                       millisOf(limits_.body_timeout)),
           CloseReason::kBodyTimeout, now);
      break;
    case Phase::kResponding:
    case Phase::kClosing:
      finish(CloseReason::kWriteTimeout);
      break;
    default:
      break;
  }
}

void RequestAssembler::stop() {
  stopping_ = true;
  if (phase_ == Phase::kIdle || phase_ == Phase::kHead || phase_ == Phase::kBody) {
    finish(CloseReason::kStopping);
  }
}

std::optional<BufferedRequest> RequestAssembler::takeRequest() {
  std::optional<BufferedRequest> taken = std::move(ready_);
  ready_.reset();
  return taken;
}

bool RequestAssembler::wantsInput() const {
  return !input_closed_ &&
         (phase_ == Phase::kIdle || phase_ == Phase::kHead || phase_ == Phase::kBody);
}

bool RequestAssembler::waitingOnClient() const {
  return phase_ == Phase::kIdle || phase_ == Phase::kHead || phase_ == Phase::kBody ||
         phase_ == Phase::kClosing;
}

std::optional<core::SteadyTime> RequestAssembler::deadline() const {
  switch (phase_) {
    case Phase::kIdle:
    case Phase::kHead:
    case Phase::kBody:
    case Phase::kResponding:
    case Phase::kClosing:
      return phase_deadline_;
    default:
      return std::nullopt;  // the handler side has the request; it is not the client's fault
  }
}

void RequestAssembler::advance(core::SteadyTime now) {
  if (phase_ == Phase::kIdle && !input_.empty()) {
    phase_ = Phase::kHead;
    // The first request's head is due by accept + head_timeout, however long the client took
    // to start it; a kept-alive connection's next one by its first byte + head_timeout.
    if (!first_request_) {
      phase_deadline_ = now + limits_.head_timeout;
    }
  }
  if (phase_ == Phase::kHead) {
    const std::size_t from = head_scanned_ > 3 ? head_scanned_ - 3 : 0;
    std::optional<std::size_t> length = headLength(std::string_view(input_).substr(from));
    if (length) {
      *length += from;
    }
    head_scanned_ = input_.size();
    if ((length && *length > limits_.max_head_bytes) ||
        (!length && input_.size() > limits_.max_head_bytes)) {
      fail(431, fmt::format("the request head is over {} bytes", limits_.max_head_bytes),
           CloseReason::kHeadTooLarge, now);
      return;
    }
    if (!length) {
      return;
    }
    std::string head = input_.substr(0, *length);
    input_.erase(0, *length);
    head_scanned_ = 0;
    startRequest(std::move(head), now);
  }
  if (phase_ == Phase::kBody) {
    readBody(now);
  }
}

void RequestAssembler::startRequest(std::string head, core::SteadyTime now) {
  auto split = splitHead(head);
  auto framing =
      split.ok() ? requestFramingOf(*split) : core::Result<RequestFraming>(split.error());
  if (!framing.ok()) {
    fail(400, framing.error().message, CloseReason::kMalformed, now);
    return;
  }
  head_ = std::move(head);
  framing_ = std::move(*framing);
  ++requests_;
  last_ = !framing_.keep_alive || requests_ >= limits_.max_requests || stopping_;
  if (framing_.body == BodyFraming::kNone) {
    dispatch(rewriteHead(head_, {"Expect"}), /*probe=*/false);
  } else if (framing_.expects_continue && input_.empty()) {
    // The client waits for "100 Continue" before it uploads: ask the handler side whether the
    // head alone is refused (auth, route, declared size) before asking for the body.
    dispatch(rewriteHead(head_, {"Expect"}, "Expect: 100-continue\r\n"), /*probe=*/true);
  } else {
    beginBody(now);
  }
}

void RequestAssembler::beginBody(core::SteadyTime now) {
  const std::size_t limit = limits_.max_body_bytes;
  std::size_t reserve = limit + 1;  // a chunked body's size is known only at its end
  if (framing_.body == BodyFraming::kLength) {
    reserve = framing_.content_length <= limit ? static_cast<std::size_t>(framing_.content_length)
                                               : 0;  // read and dropped, never kept
  }
  if (!budget_.tryReserve(reserve)) {
    fail(503, "too many request bodies are being received; retry shortly",
         CloseReason::kNoBodyMemory, now);
    return;
  }
  reserved_ = reserve;
  phase_ = Phase::kBody;
  phase_deadline_ = now + limits_.body_timeout;
  body_.clear();
  body_left_ = framing_.content_length;
  chunked_.reset();
  if (framing_.body == BodyFraming::kChunked) {
    chunked_.emplace(limit + 1);
  }
}

void RequestAssembler::readBody(core::SteadyTime now) {
  if (chunked_) {
    const std::size_t taken = chunked_->feed(input_);
    input_.erase(0, taken);
    if (chunked_->state() == ChunkedBodyDecoder::State::kMalformed) {
      fail(400, "the chunked request body is malformed", CloseReason::kMalformed, now);
    } else if (chunked_->state() == ChunkedBodyDecoder::State::kDone) {
      dispatchBody();
    }
    return;
  }
  const std::size_t taken =
      static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, input_.size()));
  if (framing_.content_length <= limits_.max_body_bytes) {
    body_.append(input_, 0, taken);
  }
  input_.erase(0, taken);
  body_left_ -= taken;
  if (body_left_ == 0) {
    dispatchBody();
  }
}

void RequestAssembler::dispatchBody() {
  const std::size_t limit = limits_.max_body_bytes;
  if (chunked_) {
    // Over the limit, the first limit + 1 bytes are enough for the handler side to refuse it.
    dispatch(rewriteHead(head_, {"Expect"}) + encodeAsOneChunk(chunked_->kept()), false);
    chunked_.reset();
  } else if (framing_.content_length <= limit) {
    dispatch(rewriteHead(head_, {"Expect"}) + body_, false);
  } else {
    // The body was dropped as it came. Its head with a body one byte over the limit gets what
    // the real request would: the refusal its head earns (401, 404, ...) or 413.
    dispatch(rewriteHead(head_, {"Expect", "Content-Length"},
                         fmt::format("Content-Length: {}\r\n", limit + 1)) +
                 std::string(limit + 1, ' '),
             false);
  }
  body_.clear();
}

void RequestAssembler::dispatch(std::string bytes, bool probe) {
  ready_ = BufferedRequest{std::move(bytes), std::string(framing_.path()), probe, last_ || probe};
  phase_ = probe ? Phase::kJudging : Phase::kHandling;
}

void RequestAssembler::respond(std::string response, bool close, core::SteadyTime now) {
  output_.append(response);
  close_after_response_ = close;
  phase_ = Phase::kResponding;
  phase_deadline_ = now + limits_.write_timeout;
  if (pendingOutput().empty()) {
    responseSent(now);
  }
}

void RequestAssembler::responseSent(core::SteadyTime now) {
  if (close_after_response_ || input_closed_ || stopping_) {
    finish(CloseReason::kDone);
    return;
  }
  phase_ = Phase::kIdle;
  first_request_ = false;
  phase_deadline_ = now + limits_.idle_timeout;
  advance(now);  // a pipelined request may be waiting already
}

void RequestAssembler::fail(int status, std::string_view message, CloseReason reason,
                            core::SteadyTime now) {
  releaseBody();
  output_.append(closingErrorResponse(status, message));
  reason_ = reason;
  phase_ = Phase::kClosing;
  phase_deadline_ = now + limits_.write_timeout;
}

void RequestAssembler::finish(CloseReason reason) {
  releaseBody();
  if (reason_ == CloseReason::kNone) {
    reason_ = reason;
  }
  phase_ = Phase::kFinished;
  output_.clear();
  output_sent_ = 0;
  input_.clear();
}

void RequestAssembler::releaseBody() {
  budget_.release(reserved_);
  reserved_ = 0;
}

}  // namespace rawfeed::server
