#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>
#include <set>

#include "contract/temp_dir.h"
#include "queue/sqlite/sqlite_queue.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::queue::sqlite {
namespace {

using namespace std::chrono_literals;

constexpr int kMessages = 400;
constexpr int kProcesses = 4;

// The child's whole life: its own connection, receive until the queue is drained, delete every
// other message, write what it got. Visibility is long and the clock still, so a message is
// never due again: each must reach exactly one process.
int drain(const SqliteQueueOptions& options, const std::filesystem::path& out, int seed) {
  fakes::FakeClock clock;
  auto queue = SqliteQueue::open(options, clock);
  if (!queue.ok()) {
    return 2;
  }
  std::ofstream ids(out);
  for (int round = 0;; ++round) {
    auto received = (*queue)->receive(ReceiveOptions{1 + (round + seed) % 10, 0ms, std::nullopt});
    if (!received.ok()) {
      return 3;
    }
    if (received->empty()) {
      return ids ? 0 : 4;
    }
    std::vector<std::string> handles;
    for (const auto& message : *received) {
      ids << message.message_id << '\n';
      if (handles.size() % 2 == 0) {
        handles.push_back(message.receipt_handle);
      }
    }
    auto failed = (*queue)->deleteBatch(handles);
    if (!failed.ok() || !failed->empty()) {
      return 5;
    }
  }
}

TEST(SqliteQueueProcesses, ConcurrentProcessesReceiveEachMessageExactlyOnce) {
  contract::TempDir dir;
  SqliteQueueOptions options;
  options.db_path = dir.path() / "queues" / "equities.db";
  options.queue_name = "prices";
  options.visibility_timeout = 3600s;
  std::set<std::string> sent;
  {
    fakes::FakeClock clock;
    auto queue = SqliteQueue::open(options, clock);
    ASSERT_TRUE(queue.ok()) << queue.error().describe();
    for (int b = 0; b < kMessages / 10; ++b) {
      std::vector<OutgoingMessage> batch;
      for (int i = 0; i < 10; ++i) {
        batch.push_back({fmt::format("e{}", i), fmt::format("body {} {}", b, i)});
      }
      ASSERT_TRUE((*queue)->sendBatch(batch).ok());
    }
  }  // closed before fork: a SQLite connection must not cross fork()
  // A start line: children block on the pipe until the parent closes it, so they race.
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(start[1]);
      char byte;
      (void)!read(start[0], &byte, 1);
      _exit(drain(options, dir.path() / fmt::format("child{}.txt", p), p));
    }
    children.push_back(pid);
  }
  close(start[0]);
  close(start[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  std::multiset<std::string> received;
  std::vector<std::size_t> per_process;
  for (int p = 0; p < kProcesses; ++p) {
    std::ifstream in(dir.path() / fmt::format("child{}.txt", p));
    std::size_t count = 0;
    for (std::string id; std::getline(in, id); ++count) {
      received.insert(id);
    }
    per_process.push_back(count);
  }
  EXPECT_EQ(received.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(received.begin(), received.end()).size(),
            static_cast<std::size_t>(kMessages))
      << "no message reached two processes";
  std::printf("per process: %zu %zu %zu %zu\n", per_process[0], per_process[1], per_process[2],
              per_process[3]);
}

}  // namespace
}  // namespace rawfeed::queue::sqlite
