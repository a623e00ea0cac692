#pragma once

#include <optional>
#include <string_view>

namespace rawfeed::sources {

// Checks on a number kept as the source's own text (a JSON number, a CSV cell), so nothing is
// rounded through a double. The grammar is JSON's for both.
bool isJsonNumber(std::string_view text);
// A JSON number that is not negative ("0", "0.0", "75.08750152587891"; not "-1", "-0.0").
bool isNonNegativeNumber(std::string_view text);
// Digits only, no sign, fraction or exponent: contracts §5 volume.
bool isNonNegativeInteger(std::string_view text);

// Why a cell is not a valid price (contracts §5: a finite, non-negative number), as one of the
// invalid-bar reasons of sources/source.h; nullopt when it is one.
std::optional<std::string_view> priceProblem(std::string_view text);
// Why a cell is not a valid volume (an integer in 0..2^63-1); nullopt when it is one.
std::optional<std::string_view> volumeProblem(std::string_view text);

}  // namespace rawfeed::sources
