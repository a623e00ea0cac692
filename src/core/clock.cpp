#include "core/clock.h"

namespace rawfeed::core {

const Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace rawfeed::core
