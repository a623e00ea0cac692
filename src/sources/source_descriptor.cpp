#include "sources/source_descriptor.h"

#include <algorithm>

namespace rawfeed::sources {

bool SourceDescriptor::supportsInterval(std::string_view interval) const {
  const auto served = intervals();
  return std::find(served.begin(), served.end(), interval) != served.end();
}

}  // namespace rawfeed::sources
