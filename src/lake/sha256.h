#pragma once

#include <string>
#include <string_view>

namespace rawfeed::lake {

// The SHA-256 of bytes as 64 lower-case hex digits (the manifest's "sha256", contracts §6).
// Thread-safe.
std::string sha256Hex(std::string_view bytes);

}  // namespace rawfeed::lake
