// rawfeed-replay: serves recorded Yahoo chart responses on 127.0.0.1 with injectable faults.
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves recorded Yahoo chart responses (GET /v8/finance/chart/{symbol})"};
  Flags flags;
  app.add_option("--bind", flags.bind, "Address to listen on")->capture_default_str();
  app.add_option("--port", flags.port, "Port; 0 picks a free one")->capture_default_str();
  app.add_option("--responses", flags.responses, "Folder of {SYMBOL}.json bodies or wrappers")
      ->check(CLI::ExistingDirectory);
  app.add_option("--template", flags.template_file,
                 "Body for unknown symbols; its \"symbol\" values become the requested one")
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
  app.add_option("--retry-after", flags.retry_after, "Retry-After seconds on 429s (default none)");
  app.add_option("--threads", flags.threads, "Server threads (one per open connection)")
      ->capture_default_str();
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
    server.start();
    std::cout << "rawfeed-replay listening on " << server.baseUrl() << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
    const auto counters = server.counters();
    std::cerr << "rawfeed-replay: stopped; " << counters.requests << " requests, "
              << counters.connections << " connections, " << counters.faults << " faults\n";
  } catch (const CLI::Error& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    std::cerr << "rawfeed-replay: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
