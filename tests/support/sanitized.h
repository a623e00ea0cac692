#pragma once

// Whether this test binary is built with a sanitizer (RAWFEED_SANITIZE_ADDRESS or
// RAWFEED_SANITIZE_THREAD; scripts/run-sanitizers.sh). Such a build runs several times slower:
// a test that measures speed leaves out its figure there, and one that races the wall clock
// widens its margin, instead of failing on what is only the instrumentation's cost.
namespace rawfeed::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace rawfeed::testing
