// rawfeed-bench-replay-client: proves the replay server is not the benchmark's bottleneck.
//
// Fires N GET /v8/finance/chart/{symbol} requests at 127.0.0.1:PORT with exactly IN_FLIGHT
// requests open at any time (one thread per keep-alive connection, each sending its next request
// as soon as the previous answer is read) and compares the wall time with the ideal
// N × latency / IN_FLIGHT. A ratio close to 1.00 means the server sustains IN_FLIGHT delayed
// requests at once. Plain sockets and threads, so the client adds nothing worth measuring.
//
//   rawfeed-bench-replay-client --port P [--requests N] [--in-flight K] [--latency-ms L]
//                               [--universe FILE]   (symbols to ask for; else S0, S1, ...)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  int port = 0;
  long requests = 7979;
  int in_flight = 64;
  double latency_ms = 50;
  std::string universe;
};

// The quoted strings of a JSON array, or the non-empty lines of a text file.
std::vector<std::string> readSymbols(const std::string& path) {
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> symbols;
  if (text.find('[') != std::string::npos) {
    for (std::size_t at = text.find('"'); at != std::string::npos;) {
      const std::size_t close = text.find('"', at + 1);
      if (close == std::string::npos)
        break;
      symbols.push_back(text.substr(at + 1, close - at - 1));
      at = text.find('"', close + 1);
    }
  } else {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty())
        symbols.push_back(line);
    }
  }
  return symbols;
}

// Percent-encodes what a path segment may not carry ('=' and '^' appear in Yahoo symbols).
std::string encodeSegment(const std::string& symbol) {
  std::string out;
  for (const unsigned char c : symbol) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

int connectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval timeout{10, 0};  // bounded: a stuck server fails the check instead of hanging it
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool sendAll(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one response (headers + Content-Length body); returns the status, or -1. Leftover bytes
// stay in `buffer` for the next response on the connection.
int readResponse(int fd, std::string& buffer, bool& keep_alive) {
  char chunk[16384];
  auto fill = [&]() {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n > 0)
      buffer.append(chunk, static_cast<std::size_t>(n));
    return n > 0;
  };
  std::size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!fill())
      return -1;
  }
  std::string head = buffer.substr(0, header_end);
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (head.find("transfer-encoding: chunked") != std::string::npos)
    return -1;  // not expected
  std::size_t length = 0;
  if (const auto at = head.find("content-length:"); at != std::string::npos) {
    length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
  }
  keep_alive = head.find("connection: close") == std::string::npos;
  const int status = std::atoi(head.c_str() + 9);  // "http/1.1 200"
  while (buffer.size() < header_end + 4 + length) {
    if (!fill())
      return -1;
  }
  buffer.erase(0, header_end + 4 + length);
  return status;
}

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port")
      options.port = std::atoi(value);
    else if (flag == "--requests")
      options.requests = std::atol(value);
    else if (flag == "--in-flight")
      options.in_flight = std::atoi(value);
    else if (flag == "--latency-ms")
      options.latency_ms = std::atof(value);
    else if (flag == "--universe")
      options.universe = value;
    else
      return false;
  }
  return options.port > 0 && options.requests > 0 && options.in_flight > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (argc % 2 == 0 || !parse(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: %s --port P [--requests N] [--in-flight K] [--latency-ms L] "
                 "[--universe FILE]\n",
                 argv[0]);
    return 2;
  }
  std::vector<std::string> symbols;
  if (!options.universe.empty())
    symbols = readSymbols(options.universe);
  if (symbols.empty())
    symbols.push_back("S");

  std::atomic<long> next{0};
  std::atomic<long> ok{0};
  std::atomic<long> failed{0};
  std::mutex latency_mutex;
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(options.requests));

  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < options.in_flight; ++t) {
    threads.emplace_back([&]() {
      std::vector<double> mine;
      int fd = -1;
      std::string buffer;
      for (long i = next.fetch_add(1); i < options.requests; i = next.fetch_add(1)) {
        const std::string& symbol = symbols[static_cast<std::size_t>(i) % symbols.size()];
        const std::string request = "GET /v8/finance/chart/" + encodeSegment(symbol) +
                                    "?range=5d&interval=1d HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "Accept-Encoding: identity\r\n\r\n";
        const auto sent_at = std::chrono::steady_clock::now();
        int status = -1;
        bool keep_alive = true;
        for (int attempt = 0; attempt < 2 && status < 0; ++attempt) {
          if (fd < 0) {
            fd = connectTo(options.port);
            buffer.clear();
          }
          if (fd >= 0 && sendAll(fd, request))
            status = readResponse(fd, buffer, keep_alive);
          if (status < 0 || !keep_alive) {
            if (fd >= 0)
              ::close(fd);
            fd = -1;
          }
        }
        mine.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent_at)
                .count());
        (status == 200 ? ok : failed).fetch_add(1);
      }
      if (fd >= 0)
        ::close(fd);
      std::lock_guard lock(latency_mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads)
    thread.join();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) {
    return latencies.empty() ? 0.0
                             : latencies[std::min(latencies.size() - 1,
                                                  static_cast<std::size_t>(p * latencies.size()))];
  };
  const double ideal =
      static_cast<double>(options.requests) * options.latency_ms / 1000.0 / options.in_flight;
  std::printf(
      "replay-check requests=%ld in_flight=%d ok=%ld failed=%ld wall_s=%.3f ideal_s=%.3f "
      "ratio=%.3f req_per_s=%.0f ideal_req_per_s=%.0f latency_ms_p50=%.1f p99=%.1f "
      "max=%.1f\n",
      options.requests, options.in_flight, ok.load(), failed.load(), wall, ideal, wall / ideal,
      static_cast<double>(options.requests) / wall, static_cast<double>(options.requests) / ideal,
      percentile(0.50), percentile(0.99), latencies.empty() ? 0.0 : latencies.back());
  return failed.load() == 0 ? 0 : 1;
}
