#include "core/arn.h"

#include <array>

namespace rawfeed::core {

std::optional<Arn> parseArn(std::string_view text) {
  std::array<std::string_view, 6> fields;
  std::size_t start = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const std::size_t colon = text.find(':', start);
    if (colon == std::string_view::npos)
      return std::nullopt;
    fields[i] = text.substr(start, colon - start);
    start = colon + 1;
  }
  fields[5] = text.substr(start);
  if (fields[0] != "arn" || fields[1].empty() || fields[2].empty() || fields[5].empty())
    return std::nullopt;
  return Arn{std::string(fields[1]), std::string(fields[2]), std::string(fields[3]),
             std::string(fields[4]), std::string(fields[5])};
}

std::string formatArn(const Arn& arn) {
  return "arn:" + arn.partition + ":" + arn.service + ":" + arn.region + ":" + arn.account + ":" +
         arn.resource;
}

}  // namespace rawfeed::core
