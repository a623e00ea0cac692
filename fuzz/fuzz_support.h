#pragma once

// What every fuzz target shares: the input as text, an invariant check that stops the run like a
// crash, and the fakes that keep a target pure (a fixed clock, fixed randomness, fixed
// credentials, an HTTP client that answers from memory). Nothing here opens a socket or a file.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "aws/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/http_client.h"

namespace rawfeed::fuzz {

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// An invariant the parser broke: reported and aborted, so libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const char* file, int line, const char* condition,
                              const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n  %s\n", file, line, condition,
               detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(condition, detail)                                  \
  do {                                                                 \
    if (!(condition))                                                  \
      ::rawfeed::fuzz::fail(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)

// The first line (without '\n') and the rest after it; the rest is empty without a '\n'.
inline std::pair<std::string_view, std::string_view> splitLine(std::string_view text) {
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos)
    return {text, {}};
  return {text.substr(0, newline), text.substr(newline + 1)};
}

// 2025-06-02T00:00:00Z: after every fixture, so bars in them count as closed.
inline constexpr std::chrono::seconds kNow{1'748'822'400};

class FixedClock final : public core::Clock {
 public:
  explicit FixedClock(core::SystemTime now = core::SystemTime(kNow)) : now_(now) {}
  core::SystemTime now() const override { return now_; }
  core::SteadyTime steadyNow() const override { return core::SteadyTime{}; }

 private:
  core::SystemTime now_;
};

// A counter, not a generator: the same input always takes the same path.
class FixedRandom final : public core::Random {
 public:
  double uniform01() override { return 0.5; }
  std::uint64_t next64() override { return 0x9E3779B97F4A7C15ULL * ++calls_; }

 private:
  std::uint64_t calls_ = 0;
};

class FixedCredentials final : public aws::CredentialsProvider {
 public:
  core::Result<aws::Credentials> credentials() override {
    return aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}};
  }
  std::string describe() const override { return "fuzz"; }
};

// Answers every request at once, on the caller's thread, with the same response.
class FixedHttpClient final : public http::HttpClient {
 public:
  explicit FixedHttpClient(http::HttpResponse response) : response_(std::move(response)) {}
  void send(http::HttpRequest, Callback done) override { done(response_); }

 private:
  http::HttpResponse response_;
};

inline http::HttpResponse response(int status, std::string_view body, http::Headers headers = {}) {
  http::HttpResponse out;
  out.status = status;
  out.body = std::string(body);
  out.headers = std::move(headers);
  return out;
}

}  // namespace rawfeed::fuzz
