#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rawfeed::queue::sqlite {

// A receipt handle names the row (its sequence number) and one receive of it (a random nonce
// stored with the row), so a handle from an earlier receive can be told from an unknown one.
struct ReceiptHandle {
  std::int64_t seq = 0;
  std::uint64_t nonce = 0;
};

std::string formatReceipt(const ReceiptHandle& handle);
std::optional<ReceiptHandle> parseReceipt(std::string_view text);

}  // namespace rawfeed::queue::sqlite
