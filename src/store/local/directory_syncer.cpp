#include "store/local/directory_syncer.h"

#include "store/local/posix_io.h"

namespace rawfeed::store::local {

int DirectorySyncer::sync(const std::string& path) {
  std::unique_lock lock(mutex_);
  State& joined = states_[path];
  if (!joined.next)
    joined.next = std::make_shared<Batch>();
  const std::shared_ptr<Batch> batch = joined.next;
  while (!batch->done) {
    State& state = states_[path];  // re-found: the map may have changed while we waited
    if (state.running) {
      finished_.wait(lock);
      continue;
    }
    // Nothing is running and our batch is not done, so it is the pending one: lead it. The
    // fsync starts after every member's rename, since each joined after renaming.
    state.running = true;
    const std::shared_ptr<Batch> mine = std::move(state.next);
    lock.unlock();
    const int error = fsyncDirectory(path);
    lock.lock();
    mine->error = error;
    mine->done = true;
    State& after = states_[path];
    after.running = false;
    if (!after.next)
      states_.erase(path);
    finished_.notify_all();
  }
  return batch->error;
}

}  // namespace rawfeed::store::local
