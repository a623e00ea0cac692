#pragma once

#include <chrono>
#include <memory>

namespace rawfeed::app {

class PeriodicActivity;

// glibc's allocator set for a long-lived process of many threads (workers, the curl loop): a
// buffer of 1 MiB or more (a spool's run, a manifest, a watermark document) is mapped on its own
// and unmapped when freed, instead of the default that, after the first such buffer is freed,
// serves the next ones from a thread's arena, where the freed pages stay in the process. Call
// once, first thing in main. Without glibc it does nothing.
void tuneAllocator();

// While it lives, gives the pages freed in every thread's arena back to the system every
// `interval` (malloc_trim): the many small allocations of 8 workers leave arenas holding freed
// pages that one thread's later work does not reuse, which made peak RSS grow with the run's
// length rather than with what it holds. A trim of a few tens of MB takes well under a
// millisecond.
class ArenaTrimmer {
 public:
  explicit ArenaTrimmer(std::chrono::milliseconds interval = std::chrono::seconds(2));
  ~ArenaTrimmer();
  ArenaTrimmer(const ArenaTrimmer&) = delete;
  ArenaTrimmer& operator=(const ArenaTrimmer&) = delete;

 private:
  std::unique_ptr<PeriodicActivity> activity_;
};

}  // namespace rawfeed::app
