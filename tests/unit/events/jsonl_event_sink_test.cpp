#include "events/jsonl/jsonl_event_sink.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "contract/temp_dir.h"

namespace rawfeed::events::jsonl {
namespace {

using contract::TempDir;

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A distinct, checkable line; some are far longer than PIPE_BUF (4096).
std::string eventLine(int writer, int n) {
  const std::size_t padding = (n % 7 == 0) ? 20000 : static_cast<std::size_t>(n * 13 % 300);
  return "{\"writer\":" + std::to_string(writer) + ",\"n\":" + std::to_string(n) + ",\"pad\":\"" +
         std::string(padding, static_cast<char>('a' + writer % 26)) + "\"}";
}

TEST(JsonlEventSinkTest, AppendsOneLinePerEventCreatingTheDirectory) {
  TempDir dir;
  const auto path = dir.path() / "var" / "events" / "completion.jsonl";
  JsonlEventSink sink(path);
  ASSERT_TRUE(sink.publish(R"({"detail-type":"Extract Batch Completed","n":1})").ok());
  ASSERT_TRUE(sink.publish(R"({"n":2})").ok());
  // A second sink (a restarted process) appends rather than truncating.
  ASSERT_TRUE(JsonlEventSink(path).publish(R"({"n":3})").ok());
  EXPECT_EQ(readFile(path),
            "{\"detail-type\":\"Extract Batch Completed\",\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
  EXPECT_EQ(readEvents(path).value(),
            (std::vector<std::string>{R"({"detail-type":"Extract Batch Completed","n":1})",
                                      R"({"n":2})", R"({"n":3})"}));
}

TEST(JsonlEventSinkTest, RejectsNewlinesAndEmptyEventsWritingNothing) {
  TempDir dir;
  const auto path = dir.path() / "events.jsonl";
  JsonlEventSink sink(path);
  for (const char* bad : {"", "{\"a\":1}\n", "{\"a\":\n1}", "\n"}) {
    const auto status = sink.publish(bad);
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JsonlEventSinkTest, ReadEventsOfAMissingLogIsEmptyAndATornLineIsLeftOut) {
  TempDir dir;
  EXPECT_TRUE(readEvents(dir.path() / "none.jsonl").value().empty());
  const auto path = dir.path() / "torn.jsonl";
  std::ofstream(path, std::ios::binary) << "{\"a\":1}\n{\"b\":2}\n{\"c\":";
  EXPECT_EQ(readEvents(path).value(), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
}

TEST(JsonlEventSinkTest, FailuresAreInternalAndNameThePath) {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  const auto path = dir.path() / "file" / "events.jsonl";
  const auto status = JsonlEventSink(path).publish("{}");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(status.error().message.find((dir.path() / "file").string()), std::string::npos)
      << status.error().message;
  const auto read = readEvents(dir.path());  // a directory is not a log
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, core::ErrorCode::kInternal);
}

void expectWholeLines(const std::filesystem::path& path, int writers, int per_writer) {
  auto lines = readEvents(path).value();
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(writers * per_writer));
  std::vector<std::string> expected;
  for (int w = 0; w < writers; ++w) {
    for (int n = 0; n < per_writer; ++n)
      expected.push_back(eventLine(w, n));
  }
  std::sort(lines.begin(), lines.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_TRUE(lines == expected) << "a line was torn, lost or interleaved";
}

TEST(JsonlEventSinkTest, ConcurrentThreadsAppendWholeLines) {
  TempDir dir;
  const auto path = dir.path() / "events.jsonl";
  JsonlEventSink sink(path);
  constexpr int kWriters = 8;
  constexpr int kPerWriter = 40;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&sink, w] {
      for (int n = 0; n < kPerWriter; ++n)
        ASSERT_TRUE(sink.publish(eventLine(w, n)).ok());
    });
  }
  for (auto& thread : threads)
    thread.join();
  expectWholeLines(path, kWriters, kPerWriter);
}

TEST(JsonlEventSinkTest, ConcurrentProcessesAppendWholeLines) {
  TempDir dir;
  const auto path = dir.path() / "events.jsonl";
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 30;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      JsonlEventSink sink(path);
      int failures = 0;
      for (int n = 0; n < kPerWriter; ++n)
        failures += sink.publish(eventLine(w, n)).ok() ? 0 : 1;
      ::_exit(failures == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  expectWholeLines(path, kWriters, kPerWriter);
}

}  // namespace
}  // namespace rawfeed::events::jsonl
