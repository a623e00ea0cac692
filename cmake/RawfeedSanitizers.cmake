# RAWFEED_SANITIZE_ADDRESS / RAWFEED_SANITIZE_THREAD: every target of the build directory (our
# libraries, the apps, the tests and their support code) compiled and linked with the sanitizer,
# so a test that runs `rawfeed` as a process checks that process too. The two runtimes cannot
# share a process: one build directory each (scripts/run-sanitizers.sh uses build-asan and
# build-tsan). Third-party libraries (curl, sqlite, OpenSSL) are Debian's, not instrumented.
if(RAWFEED_SANITIZE_ADDRESS AND RAWFEED_SANITIZE_THREAD)
  message(FATAL_ERROR
    "RAWFEED_SANITIZE_ADDRESS and RAWFEED_SANITIZE_THREAD cannot be combined (ThreadSanitizer "
    "excludes AddressSanitizer): configure a build directory for each")
endif()
if(RAWFEED_FUZZ AND (RAWFEED_SANITIZE_ADDRESS OR RAWFEED_SANITIZE_THREAD))
  message(FATAL_ERROR
    "RAWFEED_FUZZ already builds with AddressSanitizer and UndefinedBehaviorSanitizer: leave "
    "RAWFEED_SANITIZE_ADDRESS and RAWFEED_SANITIZE_THREAD off in a fuzzing build")
endif()

if(RAWFEED_SANITIZE_ADDRESS)
  # Undefined behaviour aborts instead of printing and carrying on, so a test that hits it fails.
  set(rawfeed_sanitizers address,undefined)
  add_compile_options(-fsanitize=${rawfeed_sanitizers} -fno-sanitize-recover=undefined)
elseif(RAWFEED_SANITIZE_THREAD)
  set(rawfeed_sanitizers thread)
  add_compile_options(-fsanitize=${rawfeed_sanitizers})
else()
  return()
endif()
add_compile_options(-fno-omit-frame-pointer)
add_link_options(-fsanitize=${rawfeed_sanitizers})

# A sanitized test binary is listed at test time, not at build time: listing it runs it, and a
# build should not fail (or need the sanitizer's options) because the runtime does.
set(CMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE PRE_TEST)
