#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "server/body_budget.h"
#include "server/http_framing.h"

namespace rawfeed::server {

struct AssemblyLimits {
  // From the connection's accept (first request) or the request's first byte (later ones) to
  // its blank line. Per-read timeouts do not bound this: a byte a second would renew them.
  std::chrono::milliseconds head_timeout{10000};
  // From the end of the head (or the "100 Continue") to the end of the body.
  std::chrono::milliseconds body_timeout{30000};
  // How long a kept-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{2000};
  // From a response's first byte handed over to its last one written.
  std::chrono::milliseconds write_timeout{10000};
  std::size_t max_head_bytes = 64 << 10;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_requests = 100;  // on one connection
};

// One request as the front hands it to the handler side.
struct BufferedRequest {
  std::string bytes;  // the whole request, head and body
  std::string path;   // the target without its query, to choose a lane by
  // The head alone of an "Expect: 100-continue" request: judge it, do not act on it.
  bool probe = false;
  bool last = false;  // the connection closes after the answer
};

// What the handler side made of a BufferedRequest.
struct HandledRequest {
  std::string response;         // bytes to send; none for an accepted probe
  bool close = false;           // close the connection after them
  bool probe_accepted = false;  // the probe passed: ask the client for its body
};

enum class CloseReason {
  kNone,
  kDone,          // either side asked for it, or the request limit of a connection was reached
  kIdle,          // no next request within the idle timeout
  kClientGone,    // the client closed its side
  kHeadTimeout,   // the head did not arrive within head_timeout (answered 408 if begun)
  kBodyTimeout,   // 408
  kWriteTimeout,  // the client did not read its response in time
  kHeadTooLarge,  // 431
  kMalformed,     // 400: the request's extent could not be told
  kNoBodyMemory,  // 503: the body budget was spent
  kStopping,      // the server is stopping
};

const char* closeReasonName(CloseReason reason);

// One connection's requests assembled from the bytes its client sends, under deadlines, without
// sockets or threads: the front feeds it what it reads and what the handler side answers, sends
// what pendingOutput() holds, and calls onDeadline() when deadline() passes. A request is handed
// over only once whole; while it is being handled or answered nothing more is read, so a client
// gets one request served at a time (pipelined bytes wait in order). Bodies are kept up to
// max_body_bytes; a larger one is read to its end and dropped, and the handler side gets the
// head with a stand-in body just over the limit so that it refuses it exactly as it would the
// real one. Not thread-safe.
class RequestAssembler {
 public:
  RequestAssembler(const AssemblyLimits& limits, BodyBudget& budget, core::SteadyTime now);
  ~RequestAssembler();
  RequestAssembler(const RequestAssembler&) = delete;
  RequestAssembler& operator=(const RequestAssembler&) = delete;

  void onInput(std::string_view bytes, core::SteadyTime now);
  void onEndOfInput();  // the client sent FIN
  void onHandled(HandledRequest handled, core::SteadyTime now);
  void onSent(std::size_t bytes, core::SteadyTime now);  // that much of pendingOutput() went out
  void onDeadline(core::SteadyTime now);                 // no-op before deadline()
  // The server is stopping: close now if waiting on the client, else after the current answer.
  void stop();

  // A request ready for the handler side (at most one at a time), or nullopt.
  std::optional<BufferedRequest> takeRequest();
  std::string_view pendingOutput() const { return std::string_view(output_).substr(output_sent_); }
  bool wantsInput() const;
  // Waiting on the client (for a request, its body, or to read a closing reply) rather than on
  // the handler side or on a response it is owed.
  bool waitingOnClient() const;
  std::optional<core::SteadyTime> deadline() const;
  bool finished() const { return phase_ == Phase::kFinished; }  // close the connection
  CloseReason closeReason() const { return reason_; }

 private:
  enum class Phase { kIdle, kHead, kJudging, kBody, kHandling, kResponding, kClosing, kFinished };

  void advance(core::SteadyTime now);
  void startRequest(std::string head, core::SteadyTime now);
  void beginBody(core::SteadyTime now);
  void readBody(core::SteadyTime now);
  void dispatchBody();
  void dispatch(std::string bytes, bool probe);
  void respond(std::string response, bool close, core::SteadyTime now);
  void responseSent(core::SteadyTime now);
  void fail(int status, std::string_view message, CloseReason reason, core::SteadyTime now);
  void finish(CloseReason reason);
  void releaseBody();

  const AssemblyLimits limits_;
  BodyBudget& budget_;
  Phase phase_ = Phase::kIdle;
  CloseReason reason_ = CloseReason::kNone;
  bool first_request_ = true;
  bool input_closed_ = false;
  bool stopping_ = false;
  bool close_after_response_ = false;
  std::size_t requests_ = 0;
  core::SteadyTime phase_deadline_;

  std::string input_;  // read and not yet taken into a request
  // How much of input_ is known to hold no end of head: a head trickled a byte at a time is
  // searched once, not once per byte.
  std::size_t head_scanned_ = 0;
  std::string output_;  // to send, from output_sent_ on
  std::size_t output_sent_ = 0;
  std::optional<BufferedRequest> ready_;

  // The request being assembled.
  std::string head_;
  RequestFraming framing_;
  bool last_ = false;
  std::uint64_t body_left_ = 0;  // for a Content-Length body
  std::string body_;
  std::optional<ChunkedBodyDecoder> chunked_;
  std::size_t reserved_ = 0;  // of the budget
};

}  // namespace rawfeed::server
