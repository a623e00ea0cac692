// The registry is true: the lake's components, run as each handler runs them against the real
// S3ObjectStore over an in-memory S3 that records every request, make exactly the S3 operations
// the registry lists for that handler — on servers with and without conditional writes — and
// each on the kind of resource the registry says; the same for the handlers' calls of the real
// SqsQueue over a recording fake SQS.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "aws/api_operations.h"
#include "pipeline/batch_finalizer.h"
#include "pipeline/object_writer.h"
#include "queue/sqs/sqs_queue.h"
#include "tracker/lake/lake_batch_tracker.h"
#include "unit/queue_sqs/fake_sqs.h"
#include "unit/store_s3/s3_world.h"

namespace rawfeed::deploy {
namespace {

using store::s3::testing::FakeS3;
using store::s3::testing::FakeWorld;
using Seen = std::set<std::pair<std::string, aws::ResourceKind>>;

class NullSink final : public events::EventSink {
 public:
  core::Status publish(std::string_view) override { return core::okStatus(); }
};

// The S3 operation and resource kind of one recorded request to bucket "lake", prefix "raw".
std::pair<std::string, aws::ResourceKind> classify(const http::HttpRequest& request) {
  const std::string& url = request.url;
  const bool list = url.find("list-type=2") != std::string::npos;
  if (list)
    return {"ListObjectsV2", aws::ResourceKind::kLakeBucket};
  const bool probe = url.find("/raw/_rawfeed/probes/conditional-create-") != std::string::npos;
  const auto kind = probe && request.method == "DELETE" ? aws::ResourceKind::kLakeProbeObjects
                                                        : aws::ResourceKind::kLakeObjects;
  if (request.method == "PUT")
    return {"PutObject", kind};
  if (request.method == "HEAD")
    return {"HeadObject", kind};
  if (request.method == "DELETE")
    return {"DeleteObject", kind};
  return {"GetObject", kind};
}

Seen seen(const FakeS3& s3, std::size_t from) {
  Seen out;
  const auto requests = s3.requests();
  for (std::size_t i = from; i < requests.size(); ++i)
    out.insert(classify(requests[i]));
  return out;
}

Seen registryS3(aws::Handler handler) {
  Seen out;
  aws::HandlerSetup setup;
  for (const auto& use : aws::handlerOperations(handler, setup)) {
    if (use.operation.service == "s3")
      out.insert({std::string(use.operation.name), use.resource});
  }
  return out;
}

std::string describe(const Seen& operations) {
  std::string text;
  for (const auto& [name, kind] : operations) {
    text += name + " on " + aws::resourceKindName(kind) + "\n";
  }
  return text;
}

tracker::BatchPlan plan() {
  tracker::BatchPlan plan;
  plan.batch_id = "b-1";
  plan.batch_ds = "2026-11-26";
  plan.domain = "customer-data";
  plan.table_name = "prices";
  plan.data_source = "yahoo_finance";
  plan.interval = "1d";
  plan.file_format = "json";
  plan.trigger_type = "schedule";
  plan.total_chunks = 1;
  plan.fingerprint = "f";
  return plan;
}

core::DayRecords day() {
  core::Record record;
  record.timestamp = 1764165600;
  record.open = "1";
  record.high = "2";
  record.low = "0.5";
  record.close = "1.5";
  record.adjusted_close = "1.5";
  record.volume = "100";
  return core::DayRecords{"2026-11-26", {record}};
}

// Both handlers over one lake, on a server of the given kind; returns what each did.
std::pair<Seen, Seen> replay(FakeS3::IfNoneMatch mode) {
  FakeWorld world;
  world.s3.setIfNoneMatch(mode);
  auto orchestrator_store = world.make();
  auto worker_store = world.make();
  EXPECT_TRUE(orchestrator_store && worker_store);
  if (!orchestrator_store || !worker_store)
    return {};

  // Orchestrator: the lake opened (bucket check), the batch registered (twice: a re-run), its
  // state read, the chunk marked sent.
  EXPECT_TRUE(orchestrator_store->checkBucket().ok());
  tracker::lake::LakeBatchTracker orchestrator_tracker(*orchestrator_store);
  const auto now = world.clock.now();
  EXPECT_TRUE(orchestrator_tracker.registerBatch(plan(), now).ok());
  tracker::lake::LakeBatchTracker rerun_tracker(*orchestrator_store);
  EXPECT_TRUE(rerun_tracker.registerBatch(plan(), now).ok());
  EXPECT_TRUE(rerun_tracker.snapshot("b-1").ok());
  const int chunks[] = {0};
  EXPECT_TRUE(rerun_tracker.markSent("b-1", chunks).ok());
  const Seen orchestrator = seen(world.s3, 0);

  // Worker: the lake opened, objects written (twice: a redelivery finds them), the chunk
  // recorded, the batch finalized (manifest, event marker).
  const std::size_t from = world.s3.requests().size();
  EXPECT_TRUE(worker_store->checkBucket().ok());
  pipeline::ObjectWriter writer(*worker_store);
  pipeline::ObjectLayout layout{"customer-data", "prices", "1d", "yahoo_finance", "json"};
  auto written = writer.write(layout, "AAPL", {day()});
  EXPECT_TRUE(written.ok());
  EXPECT_TRUE(writer.write(layout, "AAPL", {day()}).ok());
  tracker::lake::LakeBatchTracker worker_tracker(*worker_store);
  tracker::ChunkRecord record;
  record.batch_id = "b-1";
  record.result.chunk_index = 0;
  if (written.ok())
    record.result.objects = *written;
  record.result.ok_symbols = {"AAPL"};
  auto recorded = worker_tracker.recordChunks(std::span(&record, 1), now);
  EXPECT_TRUE(recorded.ok() && (*recorded)[0].batch_complete);
  NullSink sink;
  pipeline::BatchFinalizer finalizer(*worker_store, worker_tracker, sink, "prod");
  EXPECT_TRUE(finalizer.finalize("b-1").ok());
  return {orchestrator, seen(world.s3, from)};
}

TEST(RegistryReplay, TheLakeComponentsMakeExactlyTheRegistrysS3Operations) {
  const auto [orchestrator_honour, worker_honour] = replay(FakeS3::IfNoneMatch::kHonour);
  const auto [orchestrator_ignore, worker_ignore] = replay(FakeS3::IfNoneMatch::kIgnore);
  Seen orchestrator = orchestrator_honour;
  orchestrator.insert(orchestrator_ignore.begin(), orchestrator_ignore.end());
  Seen worker = worker_honour;
  worker.insert(worker_ignore.begin(), worker_ignore.end());
  EXPECT_EQ(orchestrator, registryS3(aws::Handler::kOrchestrator))
      << "made:\n"
      << describe(orchestrator) << "registry:\n"
      << describe(registryS3(aws::Handler::kOrchestrator));
  EXPECT_EQ(worker, registryS3(aws::Handler::kWorker))
      << "made:\n"
      << describe(worker) << "registry:\n"
      << describe(registryS3(aws::Handler::kWorker));
  // On a server with conditional writes, no HEAD is needed.
  for (const auto& [name, kind] : worker_honour)
    EXPECT_NE(name, "HeadObject");
}

}  // namespace
}  // namespace rawfeed::deploy

namespace rawfeed::deploy {
namespace {

using nlohmann::json;
using queue::sqs::testing::FakeSqs;

const std::string kQueueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/chunks";
const std::string kDlqUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/chunks-dlq";
const std::string kQueueArn = "arn:aws:sqs:us-east-1:123456789012:chunks";
const std::string kDlqArn = "arn:aws:sqs:us-east-1:123456789012:chunks-dlq";

// Opens the queue by its URL, as the stack's RAWFEED_QUEUE gives it.
std::unique_ptr<queue::sqs::SqsQueue> openQueue(FakeSqs& sqs, aws::CredentialsProvider& credentials,
                                                const core::Clock& clock, core::Random& random) {
  sqs.on("GetQueueAttributes", 200,
         {{"Attributes",
           {{"QueueArn", kQueueArn},
            {"RedrivePolicy",
             json{{"deadLetterTargetArn", kDlqArn}, {"maxReceiveCount", "5"}}.dump()}}}});
  sqs.on("GetQueueUrl", 200, {{"QueueUrl", kDlqUrl}});
  sqs.on("GetQueueAttributes", 200, {{"Attributes", {{"QueueArn", kDlqArn}}}});
  queue::sqs::SqsQueueOptions options;
  options.queue_url = kQueueUrl;
  options.region = "us-east-1";
  options.endpoint = "https://sqs.us-east-1.amazonaws.com";
  options.max_retries = 0;
  auto opened = queue::sqs::SqsQueue::open(options, sqs, credentials, clock, random);
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

Seen seenSqs(const FakeSqs& sqs) {
  Seen out;
  for (const auto& call : sqs.calls()) {
    const std::string url = call.body.value("QueueUrl", "");
    const std::string name = call.body.value("QueueName", "");
    const bool dlq = url == kDlqUrl || name == "chunks-dlq";
    out.insert(
        {call.action, dlq ? aws::ResourceKind::kDeadLetterQueue : aws::ResourceKind::kQueue});
  }
  return out;
}

// The registry's SQS operations of our own code (the event source mapping's are Lambda's).
Seen registrySqs(aws::Handler handler) {
  Seen out;
  for (const auto& use : aws::handlerOperations(handler, aws::HandlerSetup{})) {
    if (use.operation.service == "sqs" && use.performer == aws::Performer::kHandlerCode) {
      out.insert({std::string(use.operation.name), use.resource});
    }
  }
  return out;
}

TEST(RegistryReplay, TheHandlersQueueCallsMakeExactlyTheRegistrysSqsOperations) {
  queue::sqs::testing::StaticCredentials credentials{queue::sqs::testing::testCredentials()};
  contract::FakeClock clock;
  queue::sqs::testing::FixedRandom random{0.5};

  FakeSqs orchestrator_sqs;
  auto orchestrator_queue = openQueue(orchestrator_sqs, credentials, clock, random);
  ASSERT_NE(orchestrator_queue, nullptr);
  orchestrator_sqs.on("SendMessageBatch", 200, {{"Successful", {{{"Id", "m0"}}}}});
  const queue::OutgoingMessage message{"m0", "{}", {}};
  EXPECT_TRUE(orchestrator_queue->sendMany(std::span(&message, 1), 10).ok());
  EXPECT_EQ(seenSqs(orchestrator_sqs), registrySqs(aws::Handler::kOrchestrator))
      << "made:\n"
      << describe(seenSqs(orchestrator_sqs)) << "registry:\n"
      << describe(registrySqs(aws::Handler::kOrchestrator));

  FakeSqs worker_sqs;
  auto worker_queue = openQueue(worker_sqs, credentials, clock, random);
  ASSERT_NE(worker_queue, nullptr);
  worker_sqs.on("ChangeMessageVisibility", 200, json::object());
  EXPECT_TRUE(worker_queue->changeVisibility("rh-1", std::chrono::seconds(30)).ok());
  EXPECT_EQ(seenSqs(worker_sqs), registrySqs(aws::Handler::kWorker))
      << "made:\n"
      << describe(seenSqs(worker_sqs)) << "registry:\n"
      << describe(registrySqs(aws::Handler::kWorker));
}

}  // namespace
}  // namespace rawfeed::deploy
