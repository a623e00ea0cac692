#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rawfeed::lake::testing {

// `size` bytes of JSON lines that look like the lake's (repetitive, not trivially so), the same
// every time: what the codec tests compress.
inline std::string sampleJsonLines(std::size_t size) {
  std::string text;
  std::uint32_t state = 12345;
  while (text.size() < size) {
    state = state * 1103515245u + 12345u;
    text += "{\"symbol\":\"AAPL\",\"close\":" + std::to_string(state % 100000) + "}\n";
  }
  text.resize(size);
  return text;
}

}  // namespace rawfeed::lake::testing
