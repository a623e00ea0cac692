#include "app/memory_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "app/periodic_activity.h"

namespace rawfeed::app {

void tuneAllocator() {
#if defined(__GLIBC__)
  // A fixed threshold also turns off glibc's dynamic one (which rises to the largest mapped
  // buffer freed so far, up to 32 MiB).
  (void)mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

ArenaTrimmer::ArenaTrimmer(std::chrono::milliseconds interval)
    : activity_(std::make_unique<PeriodicActivity>(interval, [] {
#if defined(__GLIBC__)
        (void)malloc_trim(0);
#endif
      })) {
  activity_->start();
}

ArenaTrimmer::~ArenaTrimmer() = default;

}  // namespace rawfeed::app
