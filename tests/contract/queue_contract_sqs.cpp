// The queue contract against SQS: fauxqs behind the SigV4-verifying proxy, over real HTTP, so a
// signing mistake fails every case. Each case gets its own queue and DLQ with a 2 s visibility
// and 2 receives, so time-dependent cases run on real time with short sleeps; cases that would
// need more than a few seconds of waiting skip (advance() answers false, and the suite says so).
#include <map>
#include <thread>

#include "contract/queue_contract.h"
#include "integration/sqs/sqs_test_server.h"
#include "support/fakes/static_credentials.h"

namespace rawfeed::contract {
namespace {

using namespace std::chrono_literals;

// Longest real wait one advance() may cost; beyond it the case skips.
constexpr std::chrono::seconds kRealTimeBudget{6};
// Added to every real wait so "exactly at expiry" is safely past it on the server's clock.
constexpr std::chrono::milliseconds kSlack{300};

// Where SQS (or fauxqs) differs from the contract's letter, with the reason printed on skip.
const std::map<std::string, std::string, std::less<>> kUnsupported = {
    {"StatsCountEachStateAndTheOldestAge",
     "SQS has no oldest-message age to read without receiving (SqsQueue reports it unknown)"},
    {"StaleReceiptHandleIsRejectedAndChangesNothing",
     "SQS does not promise to reject a stale receipt handle (AWS: a delete with an old handle "
     "may succeed), and fauxqs accepts it"},
    {"MalformedReceiptHandleIsRejected",
     "fauxqs' DeleteMessageBatch accepts a bogus receipt handle as success (LOCAL_SERVERS.md); "
     "the mapping of SQS's ReceiptHandleIsInvalid is unit-tested with a fake"},
    {"DeleteBatchReportsOnlyTheFailedEntries",
     "fauxqs' DeleteMessageBatch accepts a bogus receipt handle as success (LOCAL_SERVERS.md); "
     "per-entry failures are unit-tested with a fake"},
    {"MovesToDeadLettersAfterMaxReceives",
     "fauxqs counts the receive that moves a message to the DLQ, so the dead letter shows "
     "max_receives + 1 receives; the move itself is covered by the redrive cases"},
};

class SqsQueueHarness final : public QueueHarness {
 public:
  SqsQueueHarness() { open(); }

  queue::Queue& queue() override { return *queue_; }
  bool advance(std::chrono::seconds by) override {
    if (by > kRealTimeBudget)
      return false;
    if (by.count() > 0)
      std::this_thread::sleep_for(by + kSlack);
    return true;
  }
  std::chrono::seconds defaultVisibility() const override { return spec_.visibility; }
  int maxReceives() const override { return spec_.max_receives; }
  std::chrono::seconds retention() const override { return spec_.retention; }
  std::optional<std::string> unsupported(std::string_view test_name) const override {
    auto it = kUnsupported.find(test_name);
    if (it == kUnsupported.end())
      return std::nullopt;
    return it->second;
  }

 private:
  void open() {
    auto server = testing::sqsServer("FAUXQS");
    ASSERT_TRUE(server) << "no fauxqs to test against";
    credentials_ = std::make_unique<fakes::StaticCredentials>(server->credentials);
    spec_.prefix = "contract";
    spec_.visibility = 2s;
    spec_.max_receives = 2;
    spec_.retention = 60s;  // SQS's minimum
    auto pair = testing::createQueuePair(*server, http_, *credentials_, random_, spec_);
    ASSERT_TRUE(pair.ok()) << pair.error().describe();
    auto opened = queue::sqs::SqsQueue::open(testing::queueOptions(*server, *pair), http_,
                                             *credentials_, core::systemClock(), random_);
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    queue_ = std::move(opened).value();
  }

  http::curl::CurlHttpClient http_;
  core::SystemRandom random_;
  std::unique_ptr<fakes::StaticCredentials> credentials_;
  testing::QueuePairSpec spec_;
  std::unique_ptr<queue::sqs::SqsQueue> queue_;
};

INSTANTIATE_TEST_SUITE_P(Sqs, QueueContractTest,
                         ::testing::Values(QueueBackend{
                             "Sqs", [] { return std::make_unique<SqsQueueHarness>(); }}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
