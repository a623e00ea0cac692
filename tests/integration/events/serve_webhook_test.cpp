// `rawfeed serve` with a webhook sink that is down when the batch completes: the batch finishes
// (its event is in the local outbox), and the daemon's redelivery thread delivers the event once
// the hook answers again — exactly once, with the token.
#include <gtest/gtest.h>

#include <cstdlib>

#include "integration/events/hook_server.h"
#include "integration/serve/serve_support.h"

namespace rawfeed::serve_test {
namespace {

class ServeWebhookTest : public ServeTest {};

TEST_F(ServeWebhookTest, AnEventTheHookRefusedIsDeliveredByTheDaemonOnceItRecovers) {
  events_it::HookServer hook;
  hook.setSteadyStatus(503);
  ::setenv("SERVE_HOOK_TOKEN", "serve-hook-token", /*overwrite=*/1);
  const fs::path config = writeServeConfig(
      dir_.path(),
      {{"hooked",
        {"KO", "PG", "JNJ"},
        "events = \"" + hook.url() + "\"\nevents_token_env = \"SERVE_HOOK_TOKEN\"\n"}});
  auto serve = startServe(config, "serve");
  ASSERT_TRUE(serve);

  const Reply started = serve->post("/v1/domains/hooked/runs", "{\"batch_id\":\"hooked-1\"}");
  ASSERT_EQ(started.status, 202) << started.body;
  const auto batch = waitComplete(*serve, "hooked", "hooked-1");
  ASSERT_TRUE(batch.is_object() && batch["status"] == "complete") << batch.dump();
  EXPECT_EQ(completionEventsFor(state(), "hooked-1"), 1) << "kept in the local outbox";
  ASSERT_TRUE(pollUntil(seconds(20), [&] { return !hook.deliveries().empty(); }))
      << "the hook was never tried";

  hook.setSteadyStatus(200);
  // The daemon retries pending events every 30 s.
  auto accepted = [&] {
    int count = 0;
    for (const auto& delivery : hook.deliveries())
      count += delivery.answered == 200 ? 1 : 0;
    return count;
  };
  ASSERT_TRUE(pollUntil(seconds(45), [&] { return accepted() > 0; }))
      << "the pending event was not redelivered";
  std::this_thread::sleep_for(seconds(1));  // a second delivery, if any, would show by now
  EXPECT_EQ(accepted(), 1);
  for (const auto& delivery : hook.deliveries()) {
    const auto event = nlohmann::json::parse(delivery.body);
    EXPECT_EQ(event["detail"]["batch_id"], "hooked-1");
    EXPECT_EQ(delivery.authorization, "Bearer serve-hook-token");
  }

  const Exit stopped = serve->stop();
  EXPECT_FALSE(stopped.timed_out);
  EXPECT_EQ(stopped.status, 0) << serve->process().err();
}

}  // namespace
}  // namespace rawfeed::serve_test
