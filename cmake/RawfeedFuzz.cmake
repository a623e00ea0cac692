# RAWFEED_FUZZ: libFuzzer targets (fuzz/) under AddressSanitizer and UndefinedBehaviorSanitizer.
# Every target of this build directory is instrumented (-fsanitize=fuzzer-no-link gives the
# project's libraries the coverage feedback libFuzzer steers by); only the fuzz targets link
# libFuzzer itself. Undefined behaviour aborts rather than printing and carrying on, so the
# fuzzer stops on it like on a crash. _GLIBCXX_ASSERTIONS adds the standard library's bounds and
# empty-optional checks. Build it apart from the GCC build (see README "Fuzzing").
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "RAWFEED_FUZZ needs clang (libFuzzer is part of it): configure a separate build directory "
    "with CC=clang CXX=clang++, e.g. scripts/run-fuzz.sh does")
endif()

set(RAWFEED_FUZZ_SANITIZERS "address,undefined")
add_compile_options(
  -fsanitize=fuzzer-no-link,${RAWFEED_FUZZ_SANITIZERS}
  -fno-sanitize-recover=all
  -fno-omit-frame-pointer
  -D_GLIBCXX_ASSERTIONS)
add_link_options(-fsanitize=${RAWFEED_FUZZ_SANITIZERS})

include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,${RAWFEED_FUZZ_SANITIZERS}")
set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer,${RAWFEED_FUZZ_SANITIZERS}")
check_cxx_source_compiles([[
  #include <cstddef>
  #include <cstdint>
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
]] RAWFEED_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT RAWFEED_HAVE_LIBFUZZER)
  message(FATAL_ERROR
    "clang cannot link -fsanitize=fuzzer: install clang's runtime libraries (Debian 12: "
    "apt-get install clang libclang-rt-14-dev)")
endif()

# rawfeed_fuzzer(NAME SOURCES ... DEPS ...): bin/fuzz/fuzz_NAME, a libFuzzer binary. Each is
# added to the `rawfeed_fuzz` target, which builds them all and nothing else.
add_custom_target(rawfeed_fuzz)
function(rawfeed_fuzzer name)
  cmake_parse_arguments(F "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(fuzz_${name} ${F_SOURCES})
  target_include_directories(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(fuzz_${name} PRIVATE ${F_DEPS})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(fuzz_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  rawfeed_warnings(fuzz_${name})
  add_dependencies(rawfeed_fuzz fuzz_${name})
endfunction()
