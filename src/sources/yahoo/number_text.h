#pragma once

#include <string_view>

namespace rawfeed::sources::yahoo {

// Checks on a number kept as the source's own JSON text, so nothing is rounded through a double.
bool isJsonNumber(std::string_view text);
// A JSON number that is not negative ("0", "0.0", "75.08750152587891"; not "-1", "-0.0").
bool isNonNegativeNumber(std::string_view text);
// Digits only, no sign, fraction or exponent: contracts §5 volume.
bool isNonNegativeInteger(std::string_view text);

}  // namespace rawfeed::sources::yahoo
