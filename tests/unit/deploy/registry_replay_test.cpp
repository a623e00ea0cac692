// The registry is true: each handler's components — the real Orchestrator, LakeBatchTracker,
// ObjectWriter and BatchFinalizer, and the worker's visibility call — run against the real
// S3ObjectStore and SqsQueue over fakes that record every request, make exactly the S3 and SQS
// operations the registry lists for that handler, each on the kind of resource it says, on S3
// servers with and without conditional writes (the latter need HEAD).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "aws/api_operations.h"
#include "deploy/handler_operations.h"
#include "pipeline/batch_finalizer.h"
#include "pipeline/object_writer.h"
#include "pipeline/orchestrator.h"
#include "queue/sqs/sqs_queue.h"
#include "support/fakes/batch_request_builder.h"
#include "tracker/lake/lake_batch_tracker.h"
#include "unit/queue_sqs/fake_sqs.h"
#include "unit/store_s3/s3_world.h"

namespace rawfeed::deploy {
namespace {

using store::s3::testing::FakeS3;
using store::s3::testing::FakeWorld;
using Seen = std::set<std::pair<std::string, deploy::ResourceKind>>;

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
        {call.action, dlq ? deploy::ResourceKind::kDeadLetterQueue : deploy::ResourceKind::kQueue});
  }
  return out;
}

class NullSink final : public events::EventSink {
 public:
  core::Status publish(std::string_view) override { return core::okStatus(); }
};

// The S3 operation and resource kind of one recorded request to bucket "lake", prefix "raw".
std::pair<std::string, deploy::ResourceKind> classify(const http::HttpRequest& request) {
  const std::string& url = request.url;
  const bool list = url.find("list-type=2") != std::string::npos;
  if (list)
    return {"ListObjectsV2", deploy::ResourceKind::kLakeBucket};
  const bool probe = url.find("/raw/_rawfeed/probes/conditional-create-") != std::string::npos;
  const bool pending_event = url.find("/raw/_rawfeed/events/") != std::string::npos &&
                             url.find("/pending/") != std::string::npos;
  auto kind = deploy::ResourceKind::kLakeObjects;
  if (request.method == "DELETE" && probe)
    kind = deploy::ResourceKind::kLakeProbeObjects;
  else if (request.method == "DELETE" && pending_event)
    kind = deploy::ResourceKind::kLakePendingEvents;
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

// The registry's S3 and SQS operations of our own code (the event source mapping's are
// Lambda's; logs are written by Lambda).
Seen registryOperations(deploy::Handler handler) {
  Seen out;
  for (const auto& use : deploy::handlerOperations(handler, deploy::HandlerSetup{})) {
    const bool ours = use.performer == deploy::Performer::kHandlerCode;
    if (ours && (use.operation.service == "s3" || use.operation.service == "sqs")) {
      out.insert({std::string(use.operation.name), use.resource});
    }
  }
  return out;
}

std::string describe(const Seen& operations) {
  std::string text;
  for (const auto& [name, kind] : operations) {
    text += name + " on " + deploy::resourceKindName(kind) + "\n";
  }
  return text;
}

pipeline::BatchRequest request() {
  return fakes::BatchRequestBuilder("b-1", "2026-11-26")
      .period("1mo")
      .triggerType("schedule")
      .build();
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

  // Orchestrator: the lake and the queue opened, the batch orchestrated — twice, as a re-run
  // with the same batch id (the second registers again, reads the plan, sends nothing).
  EXPECT_TRUE(orchestrator_store->checkBucket().ok());
  const auto now = world.clock.now();
  FakeSqs orchestrator_sqs;
  auto orchestrator_queue =
      openQueue(orchestrator_sqs, world.credentials, world.clock, world.random);
  EXPECT_NE(orchestrator_queue, nullptr);
  if (!orchestrator_queue)
    return {};
  orchestrator_sqs.on("SendMessageBatch", 200, {{"Successful", {{{"Id", "0"}}}}});
  for (int run = 0; run < 2; ++run) {
    tracker::lake::LakeBatchTracker orchestrator_tracker(*orchestrator_store);
    pipeline::Orchestrator orchestrator(*orchestrator_queue, orchestrator_tracker, world.clock,
                                        pipeline::OrchestratorOptions{});
    auto orchestrated = orchestrator.orchestrate(request(), {"AAPL"});
    EXPECT_TRUE(orchestrated.ok()) << orchestrated.error().describe();
  }
  Seen orchestrator = seen(world.s3, 0);
  const Seen orchestrator_queue_calls = seenSqs(orchestrator_sqs);
  orchestrator.insert(orchestrator_queue_calls.begin(), orchestrator_queue_calls.end());

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
  // A delivery that finished part of the chunk saves its progress; the next reads it back.
  EXPECT_TRUE(worker_tracker.chunkProgress("b-1", 0).ok());
  EXPECT_TRUE(worker_tracker.saveChunkProgress("b-1", record.result, now).ok());
  auto progress = worker_tracker.chunkProgress("b-1", 0);
  EXPECT_TRUE(progress.ok() && progress->has_value());
  auto recorded = worker_tracker.recordChunks(std::span(&record, 1), now);
  EXPECT_TRUE(recorded.ok() && (*recorded)[0].batch_complete);
  NullSink sink;
  pipeline::BatchFinalizer finalizer(*worker_store, worker_tracker, sink, "prod", world.clock);
  EXPECT_TRUE(finalizer.finalize("b-1").ok());
  FakeSqs worker_sqs;
  auto worker_queue = openQueue(worker_sqs, world.credentials, world.clock, world.random);
  EXPECT_NE(worker_queue, nullptr);
  if (!worker_queue)
    return {};
  worker_sqs.on("ChangeMessageVisibility", 200, json::object());
  EXPECT_TRUE(worker_queue->changeVisibility("rh-1", std::chrono::seconds(30)).ok());
  Seen worker = seen(world.s3, from);
  const Seen worker_queue_calls = seenSqs(worker_sqs);
  worker.insert(worker_queue_calls.begin(), worker_queue_calls.end());
  return {orchestrator, worker};
}

TEST(RegistryReplay, TheHandlersComponentsMakeExactlyTheRegistrysOperations) {
  const auto [orchestrator_honour, worker_honour] = replay(FakeS3::IfNoneMatch::kHonour);
  const auto [orchestrator_ignore, worker_ignore] = replay(FakeS3::IfNoneMatch::kIgnore);
  Seen orchestrator = orchestrator_honour;
  orchestrator.insert(orchestrator_ignore.begin(), orchestrator_ignore.end());
  Seen worker = worker_honour;
  worker.insert(worker_ignore.begin(), worker_ignore.end());
  EXPECT_EQ(orchestrator, registryOperations(deploy::Handler::kOrchestrator))
      << "made:\n"
      << describe(orchestrator) << "registry:\n"
      << describe(registryOperations(deploy::Handler::kOrchestrator));
  EXPECT_EQ(worker, registryOperations(deploy::Handler::kWorker))
      << "made:\n"
      << describe(worker) << "registry:\n"
      << describe(registryOperations(deploy::Handler::kWorker));
  // On a server with conditional writes, no HEAD is needed.
  for (const auto& [name, kind] : worker_honour)
    EXPECT_NE(name, "HeadObject");
}

}  // namespace
}  // namespace rawfeed::deploy
