#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/governor/fleet_store.h"
#include "http/governor/host_governor.h"
#include "http/http_client.h"

namespace rawfeed::http::governor {

struct GovernedHttpClientOptions {
  GovernorSettings settings;
  // Where the learned limits live and the fleet meets; null: this process alone, kept nowhere.
  FleetStore* fleet = nullptr;
  std::string member_id;  // unique per process; empty: host name, pid and a random suffix
  std::chrono::milliseconds sync_interval{1000};
  // A member not heard from for this long no longer takes a share of the budget.
  std::chrono::seconds member_ttl{15};
};

// One source host as the governor and the fleet see it.
struct HostStatus {
  std::string origin;
  GovernorSnapshot governor;  // this process's figures (rates in its own share)
  std::size_t waiting = 0;    // requests held back here
  int live_members = 1;       // processes sharing the budget, this one included
  double fleet_rate = 0;      // what they send at together, as last synced
  double fleet_ceiling = 0;
  std::string fleet_error;  // the last sync's failure; empty when it worked
};

// An HttpClient that puts a HostGovernor in front of every origin (scheme://host:port) of the
// client it wraps: requests wait here, in FIFO order per origin, until the governor admits
// them; their answers (429 and Retry-After above all) teach it. A request with a start_by that
// cannot start in time — the host is paused beyond it, or it is still waiting then — fails with
// kThrottled at once and never reaches the host. With a FleetStore the governors of every
// process sharing it meet there every sync_interval (and at once after a throttle): each paces
// rate / live members, a pause anyone saw holds for all, and a new process starts from what
// the fleet learned. Callbacks run on the inner client's thread (or this client's, for requests
// that never left). Thread-safe.
class GovernedHttpClient final : public HttpClient {
 public:
  GovernedHttpClient(HttpClient& inner, const core::Clock& clock,
                     GovernedHttpClientOptions options);
  ~GovernedHttpClient() override;
  GovernedHttpClient(const GovernedHttpClient&) = delete;
  GovernedHttpClient& operator=(const GovernedHttpClient&) = delete;

  void send(HttpRequest request, Callback done) override;

  // Fails every waiting request with kCancelled, writes this process's last figures to the
  // fleet and leaves it. Idempotent.
  void stop();

  std::vector<HostStatus> status() const;
  // How long the origin of `url` stays paused; zero when it is not.
  std::chrono::milliseconds pauseRemaining(const std::string& url) const;

 private:
  class Dispatcher;
  std::unique_ptr<Dispatcher> dispatcher_;
};

// "https://query2.finance.yahoo.com:443/v8/..." -> "https://query2.finance.yahoo.com:443";
// nullopt when the URL has no scheme://host.
std::optional<std::string> originOf(const std::string& url);

// What an exchange says about the host's limit: 429 (or 503 with Retry-After) is a throttle,
// another answer a success, no answer or a 401/403/5xx nothing.
Signal classifyAnswer(const core::Result<HttpResponse>& answer);

}  // namespace rawfeed::http::governor
