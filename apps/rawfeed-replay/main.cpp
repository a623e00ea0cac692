// rawfeed-replay: serves recorded Yahoo chart responses on 127.0.0.1 with injectable faults, an
// optional rate/concurrency limiter with bans and Yahoo's cookie + crumb session.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "support/replay_server.h"

namespace {

using rawfeed::testing::FaultKind;
using rawfeed::testing::parseFaultKind;

// "N:KIND" or "P:KIND" → the number and the kind; nullopt when either part is bad.
template <class Number>
std::optional<std::pair<Number, FaultKind>> parseCountAndKind(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  auto kind = parseFaultKind(std::string_view(text).substr(colon + 1));
  if (!kind) {
    return std::nullopt;
  }
  try {
    std::size_t used = 0;
    const std::string number = text.substr(0, colon);
    const double value = std::stod(number, &used);
    if (used != number.size()) {
      return std::nullopt;
    }
    return std::pair{static_cast<Number>(value), *kind};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// CLI::PositiveNumber's message prints the whole range of a double; this one says what is wanted.
const CLI::Validator kAboveZero(
    [](std::string& text) -> std::string {
      try {
        std::size_t used = 0;
        if (std::stod(text, &used) > 0 && used == text.size()) {
          return {};
        }
      } catch (const std::exception&) {
      }
      return "expected a number above 0, got '" + text + "'";
    },
    "> 0");

struct Flags {
  std::string bind = "127.0.0.1";
  int port = 0;
  std::string responses;
  std::string template_file;
  int latency_ms = 0;
  int hang_ms = 30000;
  std::string fail_first;
  std::vector<std::string> fault_rates;
  std::uint64_t seed = 1;
  int retry_after = -1;
  std::size_t threads = 256;
  double limit_rate = 0;
  double limit_burst = 0;
  int limit_concurrent = 0;
  int ban_ms = 0;
  bool ban_extends = false;
  bool require_crumb = false;
  int rotate_crumb_after = 0;
  std::string block;
};

rawfeed::testing::ReplayFaults faultsFrom(const Flags& flags) {
  rawfeed::testing::ReplayFaults faults;
  faults.latency = std::chrono::milliseconds(flags.latency_ms);
  faults.hang = std::chrono::milliseconds(flags.hang_ms);
  faults.seed = flags.seed;
  if (flags.retry_after >= 0) {
    faults.retry_after_seconds = flags.retry_after;
  }
  if (!flags.fail_first.empty()) {
    auto parsed = parseCountAndKind<int>(flags.fail_first);
    if (!parsed || parsed->first < 0) {
      throw CLI::ValidationError("--fail-first",
                                 "expected N:KIND, KIND one of 429|500|503|reset|hang");
    }
    faults.fail_first = parsed->first;
    faults.fail_first_kind = parsed->second;
  }
  for (const auto& rate : flags.fault_rates) {
    auto parsed = parseCountAndKind<double>(rate);
    if (!parsed || parsed->first < 0 || parsed->first > 1) {
      throw CLI::ValidationError("--fault-rate", "expected P:KIND with 0 <= P <= 1");
    }
    faults.rates.emplace_back(parsed->second, parsed->first);
  }
  return faults;
}

rawfeed::testing::ReplayLimits limitsFrom(const Flags& flags) {
  if (flags.ban_extends && flags.ban_ms == 0) {
    throw CLI::ValidationError("--ban-extends", "needs --ban-ms");
  }
  if (flags.ban_ms > 0 && flags.limit_rate == 0 && flags.limit_concurrent == 0) {
    throw CLI::ValidationError("--ban-ms",
                               "a ban needs an excess to start it: add --limit-rate or "
                               "--limit-concurrent");
  }
  if (flags.limit_burst > 0 && flags.limit_rate == 0) {
    throw CLI::ValidationError("--limit-burst", "needs --limit-rate");
  }
  rawfeed::testing::ReplayLimits limits;
  limits.rate = flags.limit_rate;
  limits.burst = flags.limit_burst;
  limits.max_concurrent = flags.limit_concurrent;
  limits.ban = std::chrono::milliseconds(flags.ban_ms);
  limits.ban_extends = flags.ban_extends;
  // One Retry-After policy for all 429s, the limiter's and the faults'.
  if (flags.retry_after >= 0) {
    limits.retry_after_seconds = flags.retry_after;
  }
  return limits;
}

rawfeed::testing::ReplaySession sessionFrom(const Flags& flags) {
  if (flags.rotate_crumb_after > 0 && !flags.require_crumb) {
    throw CLI::ValidationError("--rotate-crumb-after", "needs --require-crumb");
  }
  rawfeed::testing::ReplaySession session;
  session.require_crumb = flags.require_crumb;
  session.rotate_after = flags.rotate_crumb_after;
  session.block = flags.block;
  return session;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves recorded Yahoo chart responses (GET /v8/finance/chart/{symbol})"};
  Flags flags;
  app.add_option("--bind", flags.bind, "Address to listen on")->capture_default_str();
  app.add_option("--port", flags.port, "Port; 0 picks a free one")->capture_default_str();
  app.add_option("--responses", flags.responses, "Folder of {SYMBOL}.json bodies or wrappers")
      ->check(CLI::ExistingDirectory);
  app.add_option("--template", flags.template_file,
                 "Body for unknown symbols; its \"symbol\" values become the requested one and a "
                 "period1/period2 window keeps only its bars")
      ->check(CLI::ExistingFile);
  app.add_option("--latency-ms", flags.latency_ms, "Delay added to every request")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--hang-ms", flags.hang_ms, "How long a 'hang' fault holds a request")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--fail-first", flags.fail_first,
                 "N:KIND: the first N requests of each symbol fail (429|500|503|reset|hang)");
  app.add_option("--fault-rate", flags.fault_rates, "P:KIND: each request fails with probability P")
      ->allow_extra_args(false);
  app.add_option("--seed", flags.seed, "Seed for --fault-rate")->capture_default_str();
  app.add_option("--retry-after", flags.retry_after,
                 "Retry-After seconds on 429s, faults' and the limiter's (default none)");
  app.add_option("--threads", flags.threads, "Server threads (one per open connection)")
      ->capture_default_str();
  app.add_option("--limit-rate", flags.limit_rate, "Chart requests admitted per second; 429 beyond")
      ->check(kAboveZero);
  app.add_option("--limit-burst", flags.limit_burst,
                 "Token bucket size in requests (default: one second of --limit-rate)")
      ->check(kAboveZero);
  app.add_option("--limit-concurrent", flags.limit_concurrent,
                 "Chart requests in progress at once (latency included); 429 beyond")
      ->check(kAboveZero);
  app.add_option("--ban-ms", flags.ban_ms, "After any excess, refuse every chart request this long")
      ->check(kAboveZero);
  app.add_flag("--ban-extends", flags.ban_extends, "A request during a ban restarts the ban");
  app.add_flag("--require-crumb", flags.require_crumb,
               "Charts need cookie A3 (GET /cookie) and its crumb (GET /v1/test/getcrumb)");
  app.add_option("--rotate-crumb-after", flags.rotate_crumb_after,
                 "A crumb stops being valid after this many chart requests")
      ->check(kAboveZero);
  app.add_option("--block", flags.block, "Charts answer a block page instead")
      ->check(CLI::IsMember({"html", "403", "redirect"}));
  CLI11_PARSE(app, argc, argv);

  // Blocked before any thread starts, so every thread inherits the mask and sigwait below is
  // the only receiver: shutdown runs on the main thread, not in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    rawfeed::testing::ReplayServerOptions options;
    options.bind = flags.bind;
    options.port = flags.port;
    options.threads = flags.threads;
    rawfeed::testing::ReplayServer server(options);
    if (!flags.responses.empty()) {
      const std::size_t loaded = server.registry().loadDirectory(flags.responses);
      std::cerr << "rawfeed-replay: " << loaded << " responses from " << flags.responses << "\n";
    }
    if (!flags.template_file.empty()) {
      server.registry().loadTemplate(flags.template_file);
    }
    server.setFaults(faultsFrom(flags));
    server.setLimits(limitsFrom(flags));
    server.setSession(sessionFrom(flags));
    server.start();
    std::cout << "rawfeed-replay listening on " << server.baseUrl() << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
    const auto counters = server.counters();
    const auto& limiter = server.limiter();
    std::cerr << "rawfeed-replay: stopped; " << counters.requests << " requests, "
              << counters.connections << " connections, " << counters.faults << " faults, "
              << counters.limited << " limited, " << counters.banned << " banned, "
              << limiter.counters().bans_started << " bans started, "
              << limiter.maxAdmittedInWindow(std::chrono::seconds(1))
              << " max admitted in any 1 s, " << counters.unauthorized << " unauthorized, "
              << counters.blocked << " blocked, " << counters.chart_requests << " chart requests, "
              << counters.chart_body_bytes << " chart body bytes, " << counters.chart_sent_bytes
              << " chart bytes sent\n";
  } catch (const CLI::Error& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    std::cerr << "rawfeed-replay: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
