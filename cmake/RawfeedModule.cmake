# rawfeed_module(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# One static library per module; our warnings are errors, third-party code is not ours to fix.
function(rawfeed_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(rawfeed_${name} STATIC ${M_SOURCES})
  target_include_directories(rawfeed_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(rawfeed_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  rawfeed_warnings(rawfeed_${name})
endfunction()

# Warnings are errors in every build type. -Wshadow: a local that hides a member or a parameter
# has bitten constructors that initialise from the wrong one; -Wnon-virtual-dtor: an interface
# deleted through its base must destroy the whole backend.
# In a unity build each .cpp is included into a batch file, and GCC then takes a class that holds
# a type of the file's anonymous namespace for one defined in a header (-Wsubobject-linkage):
# not a defect here, since every such class is defined in that same .cpp.
function(rawfeed_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Werror)
  if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
endfunction()

# rawfeed_test(NAME SOURCES ... DEPS ... [LABELS ...]): one GoogleTest binary, each test a CTest
# case carrying the labels. Each label also names a target that builds every test binary with it
# (rawfeed_tests_unit, rawfeed_tests_concurrency, ...), so `ctest -L X` can be preceded by a build
# of exactly what it runs (scripts/run-sanitizers.sh).
function(rawfeed_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    RAWFEED_SHARED_DIR="${RAWFEED_SHARED_DIR}"
    RAWFEED_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RAWFEED_BINARY_DIR="${PROJECT_BINARY_DIR}")
  rawfeed_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
  # The labels come from a file of ours read after the discovered tests: CMake 3.25's
  # gtest_discover_tests(PROPERTIES LABELS a b) flattens the list and labels the tests `a` only.
  set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake)
  file(CONFIGURE OUTPUT ${labels_file} CONTENT [[
if(DEFINED @name@_TESTS)
  set_tests_properties(${@name@_TESTS} PROPERTIES LABELS "@T_LABELS@")
endif()
]] @ONLY)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_file})
  foreach(label ${T_LABELS})
    if(NOT TARGET rawfeed_tests_${label})
      add_custom_target(rawfeed_tests_${label})
    endif()
    add_dependencies(rawfeed_tests_${label} ${name})
  endforeach()
endfunction()

# Adds every sub-folder of the calling directory as a backend of `kind` (queue, store): each
# folder defines rawfeed_<kind>_<folder>, linked into rawfeed_<kind>_backends, which the app
# links, so a new backend adds no CMake line outside its folder.
macro(rawfeed_backend_folders kind)
  file(GLOB backend_lists CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt)
  add_library(rawfeed_${kind}_backends INTERFACE)
  foreach(backend_list IN LISTS backend_lists)
    get_filename_component(backend_dir ${backend_list} DIRECTORY)
    get_filename_component(backend_folder ${backend_dir} NAME)
    add_subdirectory(${backend_folder})
    target_link_libraries(rawfeed_${kind}_backends INTERFACE rawfeed_${kind}_${backend_folder})
  endforeach()
endmacro()
