#include "store/local/local_object_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/fakes/fake_clock.h"
#include "unit/store/temp_dir.h"

namespace rawfeed::store::local {
namespace {

using testing::diskEntries;
using testing::TempDir;
using testing::writeFile;

const PutOptions kCreateOnly{PutMode::kCreateOnly, "application/x-ndjson", ""};
const PutOptions kOverwrite{PutMode::kOverwrite, "application/x-ndjson", ""};

std::vector<std::string> keysOf(const std::vector<ObjectInfo>& objects) {
  std::vector<std::string> keys;
  for (const auto& object : objects)
    keys.push_back(object.key);
  return keys;
}

void setMtime(const std::filesystem::path& path, std::int64_t seconds) {
  const timespec times[2] = {{seconds, 0}, {seconds, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

TEST(LocalObjectStoreTest, PutGetHeadRoundTrip) {
  TempDir dir;
  LocalObjectStore store(dir.path() / "lake");  // created by the first put
  const std::string key = "d/t/interval=1d/data_source=y/year=2024/month=03/day=07/AAPL.json";
  const std::string bytes("{\"a\":1}\n\0binary\xff", 16);
  const auto outcome = store.put(key, bytes, kCreateOnly);
  ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  EXPECT_EQ(*outcome, PutOutcome::kWritten);
  EXPECT_EQ(store.get(key).value(), bytes);
  const auto info = store.head(key);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->key, key);
  EXPECT_EQ(info->size, bytes.size());

  ASSERT_EQ(store.put("empty", "", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(store.get("empty").value(), "");
  EXPECT_EQ(store.head("empty")->size, 0u);
}

TEST(LocalObjectStoreTest, AFlushOfAKeyWhoseDirectoryIsGoneNamesTheDirectory) {
  TempDir dir;
  LocalObjectStore store(dir.path() / "lake");
  ASSERT_TRUE(store.put("a/x.json", "x", kCreateOnly).ok());
  const std::vector<std::string> keys{"a/x.json", "gone/day=05/x.json"};
  auto flushed = store.flush(keys);
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(flushed.error().message.find("gone/day=05"), std::string::npos)
      << flushed.error().message;
}

TEST(LocalObjectStoreTest, CreateOnlyLeavesAnExistingObjectAlone) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  ASSERT_EQ(store.put("a/k.json", "first", kCreateOnly).value(), PutOutcome::kWritten);
  const auto second = store.put("a/k.json", "second", kCreateOnly);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, PutOutcome::kAlreadyExists);
  EXPECT_EQ(store.get("a/k.json").value(), "first");
  EXPECT_EQ(diskEntries(dir.path()), (std::vector<std::string>{"a", "a/k.json"}));
}

// A directory this store made is not checked key by key before writing (it held nothing of an
// earlier run), but another writer's object put there meanwhile still wins over ours; one that
// was there before (a re-run, another process's directory) is answered without writing.
TEST(LocalObjectStoreTest, CreateOnlyIsDecidedByTheRenameInADirectoryMadeHere) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  ASSERT_EQ(store.put("a/first.json", "1", kCreateOnly).value(), PutOutcome::kWritten);
  writeFile(dir.path() / "a" / "k.json", "another writer's");
  const auto ours = store.put("a/k.json", "ours", kCreateOnly);
  ASSERT_TRUE(ours.ok()) << ours.error().describe();
  EXPECT_EQ(*ours, PutOutcome::kAlreadyExists);
  EXPECT_EQ(store.get("a/k.json").value(), "another writer's");

  LocalObjectStore rerun(dir.path());  // a later process: the directory was there before it
  EXPECT_EQ(rerun.put("a/k.json", "again", kCreateOnly).value(), PutOutcome::kAlreadyExists);
  EXPECT_EQ(rerun.get("a/k.json").value(), "another writer's");
  EXPECT_EQ(diskEntries(dir.path()), (std::vector<std::string>{"a", "a/first.json", "a/k.json"}));
}

TEST(LocalObjectStoreTest, OverwriteReplaces) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  ASSERT_EQ(store.put("a/k.json", "first", kOverwrite).value(), PutOutcome::kWritten);
  ASSERT_EQ(store.put("a/k.json", "second!", kOverwrite).value(), PutOutcome::kWritten);
  EXPECT_EQ(store.get("a/k.json").value(), "second!");
  EXPECT_EQ(store.head("a/k.json")->size, 7u);
  EXPECT_EQ(diskEntries(dir.path()), (std::vector<std::string>{"a", "a/k.json"}));
}

TEST(LocalObjectStoreTest, InvalidKeysAreRejectedAndNothingIsWritten) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  for (const std::string& key :
       {std::string(), std::string("/etc/passwd"), std::string("a//b"), std::string("a/"),
        std::string("../escape"), std::string("a/../../b"), std::string("a/./b"),
        std::string("a\\b"), std::string("a\0b", 3), std::string(1025, 'k'), std::string(".tmp-1"),
        std::string("x/.tmp-1/y")}) {
    for (const PutOptions& options : {kCreateOnly, kOverwrite}) {
      const auto outcome = store.put(key, "data", options);
      ASSERT_FALSE(outcome.ok()) << key;
      EXPECT_EQ(outcome.error().code, core::ErrorCode::kInvalidInput);
      EXPECT_NE(outcome.error().message.find("'" + key + "'"), std::string::npos);
    }
    EXPECT_EQ(store.get(key).error().code, core::ErrorCode::kInvalidInput) << key;
    EXPECT_EQ(store.head(key).error().code, core::ErrorCode::kInvalidInput) << key;
    EXPECT_EQ(store.remove(key).error().code, core::ErrorCode::kInvalidInput) << key;
  }
  EXPECT_TRUE(diskEntries(dir.path()).empty());
  EXPECT_FALSE(std::filesystem::exists(dir.path().parent_path() / "escape"));
}

TEST(LocalObjectStoreTest, MissingObjectsAreNotFound) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  ASSERT_TRUE(store.put("a/b/c", "x", kCreateOnly).ok());
  for (const char* key : {"nope", "a/b", "a/b/c/d", "a"}) {
    EXPECT_EQ(store.get(key).error().code, core::ErrorCode::kNotFound) << key;
    EXPECT_EQ(store.head(key).error().code, core::ErrorCode::kNotFound) << key;
  }
  // remove() is idempotent (as S3's DELETE): a missing key is removed already; a directory is
  // not an object.
  EXPECT_TRUE(store.remove("nope").ok());
  EXPECT_TRUE(store.remove("a/b/c/d").ok());
  EXPECT_EQ(store.remove("a/b").error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(store.get("nope").error().message.find("'nope'"), std::string::npos);
}

TEST(LocalObjectStoreTest, RemoveDeletesTheObject) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  ASSERT_TRUE(store.put("a/k", "x", kCreateOnly).ok());
  ASSERT_TRUE(store.remove("a/k").ok());
  EXPECT_EQ(store.get("a/k").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(store.put("a/k", "y", kCreateOnly).value(), PutOutcome::kWritten);
  EXPECT_EQ(store.get("a/k").value(), "y");
}

TEST(LocalObjectStoreTest, ListIsRecursiveSortedAndFilteredByPrefix) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  for (const char* key : {"z", "a/bc", "a/b/d", "b/x", "a/b.c", "a/b/c", "a/b/e/f"}) {
    ASSERT_TRUE(store.put(key, key, kCreateOnly).ok()) << key;
  }
  const auto all = store.list("");
  ASSERT_TRUE(all.ok()) << all.error().describe();
  EXPECT_EQ(keysOf(*all),
            (std::vector<std::string>{"a/b.c", "a/b/c", "a/b/d", "a/b/e/f", "a/bc", "b/x", "z"}));
  EXPECT_EQ((*all)[3].size, 7u);
  EXPECT_EQ(keysOf(store.list("a/b").value()),
            (std::vector<std::string>{"a/b.c", "a/b/c", "a/b/d", "a/b/e/f", "a/bc"}));
  EXPECT_EQ(keysOf(store.list("a/b/").value()),
            (std::vector<std::string>{"a/b/c", "a/b/d", "a/b/e/f"}));
  EXPECT_EQ(keysOf(store.list("a/b/e/f").value()), (std::vector<std::string>{"a/b/e/f"}));
  EXPECT_EQ(keysOf(store.list("b").value()), (std::vector<std::string>{"b/x"}));
  for (const char* empty : {"nope/", "a/b/c/", "a/x", "../", "a/../", "a//"}) {
    const auto listed = store.list(empty);
    ASSERT_TRUE(listed.ok()) << empty;
    EXPECT_TRUE(listed->empty()) << empty;
  }
}

TEST(LocalObjectStoreTest, ListOfAMissingRootIsEmpty) {
  TempDir dir;
  LocalObjectStore store(dir.path() / "not-yet");
  const auto listed = store.list("");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST(LocalObjectStoreTest, TemporariesAreInvisibleAndSweptWhenOld) {
  TempDir dir;
  const std::int64_t t0 = 1'700'000'000;
  fakes::FakeClock clock{core::SystemTime(std::chrono::seconds(t0))};
  LocalObjectStore store(dir.path(), clock);
  ASSERT_TRUE(store.put("a/b/k.json", "object", kCreateOnly).ok());
  writeFile(dir.path() / ".tmp-crashed-1", "partial");
  writeFile(dir.path() / "a/b/.tmp-crashed-2", "partial");
  writeFile(dir.path() / "a/b/.tmp-fresh", "in flight");
  setMtime(dir.path() / ".tmp-crashed-1", t0 - 3600);
  setMtime(dir.path() / "a/b/.tmp-crashed-2", t0 - 3600);
  setMtime(dir.path() / "a/b/.tmp-fresh", t0 - 10);
  setMtime(dir.path() / "a/b/k.json", t0 - 7200);  // old objects are not temporaries

  EXPECT_EQ(keysOf(store.list("").value()), (std::vector<std::string>{"a/b/k.json"}));
  EXPECT_EQ(keysOf(store.list("a/b/.tmp").value()), std::vector<std::string>{});
  // A put beside a leftover is unaffected by it.
  ASSERT_EQ(store.put("a/b/other.json", "x", kCreateOnly).value(), PutOutcome::kWritten);

  const auto swept = store.sweepTemporaries(std::chrono::minutes(10));
  ASSERT_TRUE(swept.ok()) << swept.error().describe();
  EXPECT_EQ(*swept, 2u);
  EXPECT_EQ(diskEntries(dir.path()), (std::vector<std::string>{"a", "a/b", "a/b/.tmp-fresh",
                                                               "a/b/k.json", "a/b/other.json"}));
  clock.set(core::SystemTime(std::chrono::seconds(t0 + 3600)));
  EXPECT_EQ(store.sweepTemporaries(std::chrono::minutes(10)).value(), 1u);
  EXPECT_EQ(store.get("a/b/k.json").value(), "object");
}

TEST(LocalObjectStoreTest, APutUnderAFileReportsInternalNamingThePath) {
  TempDir dir;
  writeFile(dir.path() / "file", "not a directory");
  LocalObjectStore store(dir.path() / "file" / "lake");
  const auto outcome = store.put("a/k.json", "x", kCreateOnly);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(outcome.error().message.find((dir.path() / "file").string()), std::string::npos)
      << outcome.error().message;
  EXPECT_NE(outcome.error().message.find("a/k.json"), std::string::npos);
}

TEST(LocalObjectStoreTest, AnUnwritableRootReportsInternalNamingThePath) {
  TempDir dir;
  const auto root = dir.path() / "ro";
  std::filesystem::create_directories(root);
  ::chmod(dir.path().c_str(), 0755);
  ::chmod(root.c_str(), 0555);
  // Root ignores directory permissions: run the put as an unprivileged user in a child.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && ::setuid(65534) != 0)
      ::_exit(10);
    LocalObjectStore store(root);
    const auto outcome = store.put("a/k.json", "x", kCreateOnly);
    if (outcome.ok())
      ::_exit(11);
    if (outcome.error().code != core::ErrorCode::kInternal)
      ::_exit(12);
    if (outcome.error().message.find(root.string()) == std::string::npos)
      ::_exit(13);
    if (outcome.error().message.find("Permission denied") == std::string::npos)
      ::_exit(14);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ::chmod(root.c_str(), 0755);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "10: could not drop to uid 65534; 11: the put succeeded; 12: wrong code; 13: the path "
         "is not named; 14: errno text missing";
  EXPECT_TRUE(std::filesystem::is_empty(root));
}

TEST(LocalObjectStoreTest, ADirectoryRemovedBehindItsBackIsMadeAgain) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  ASSERT_TRUE(store.put("a/b/k1", "1", kCreateOnly).ok());
  std::filesystem::remove_all(dir.path() / "a");
  const auto outcome = store.put("a/b/k2", "2", kCreateOnly);
  ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  EXPECT_EQ(store.get("a/b/k2").value(), "2");
}

TEST(LocalObjectStoreTest, LocationIsAnAbsoluteFileUrl) {
  TempDir dir;
  EXPECT_EQ(LocalObjectStore(dir.path() / "lake/").location(),
            "file://" + (dir.path() / "lake").string());
  const auto cwd = std::filesystem::current_path();
  EXPECT_EQ(LocalObjectStore("rel/lake").location(), "file://" + (cwd / "rel/lake").string());
  EXPECT_EQ(LocalObjectStore("rel/lake").root(), (cwd / "rel/lake").string());
}

}  // namespace
}  // namespace rawfeed::store::local
