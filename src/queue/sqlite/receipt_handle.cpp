#include "queue/sqlite/receipt_handle.h"

#include <charconv>

namespace rawfeed::queue::sqlite {

std::string formatReceipt(const ReceiptHandle& handle) {
  char nonce[17];
  auto end = std::to_chars(nonce, nonce + 16, handle.nonce, 16).ptr;
  std::string hex(nonce, end);
  return "rh1." + std::to_string(handle.seq) + "." + std::string(16 - hex.size(), '0') + hex;
}

std::optional<ReceiptHandle> parseReceipt(std::string_view text) {
  constexpr std::string_view kPrefix = "rh1.";
  if (text.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  text.remove_prefix(kPrefix.size());
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || text.size() - dot - 1 != 16) {
    return std::nullopt;
  }
  ReceiptHandle handle;
  auto seq = std::from_chars(text.data(), text.data() + dot, handle.seq);
  auto nonce = std::from_chars(text.data() + dot + 1, text.data() + text.size(), handle.nonce, 16);
  if (seq.ec != std::errc() || seq.ptr != text.data() + dot || nonce.ec != std::errc() ||
      nonce.ptr != text.data() + text.size() || handle.seq <= 0) {
    return std::nullopt;
  }
  return handle;
}

}  // namespace rawfeed::queue::sqlite
