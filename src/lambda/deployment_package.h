#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace rawfeed::lambda {

// A shared library as the dynamic loader resolves it for a binary.
struct SharedLibrary {
  std::string name;            // what the binary asks for (the soname): "libcurl.so.4"
  std::filesystem::path path;  // where this machine has it
  bool loader = false;         // the dynamic loader itself (ld-linux-x86-64.so.2)
};

// The libraries `binary` needs, transitively, with the loader, from `ldd` (glibc's own resolver,
// so exactly what runs). kNotFound names any library that does not resolve here.
core::Result<std::vector<SharedLibrary>> sharedLibraries(const std::filesystem::path& binary);

// The `bootstrap` of the zip: a shell script that starts the bundled binary through the bundled
// loader with only the bundled libraries (glibc included), so it runs on provided.al2023
// (glibc 2.34) though built on Debian 12 (glibc 2.36), with no layer; and points libcurl at the
// bundled CA certificates when Amazon Linux has none at Debian's path.
std::string bootstrapScript(const std::string& loader_name);

struct PackageContents {
  std::filesystem::path binary;                    // the rawfeed executable
  std::optional<std::filesystem::path> config;     // added as rawfeed.toml
  std::optional<std::filesystem::path> ca_bundle;  // added as certs/ca-certificates.crt
};

struct PackageReport {
  std::filesystem::path zip;
  std::uintmax_t bytes = 0;
  std::vector<std::string> entries;  // names inside the zip
};

// Writes out_dir/rawfeed-lambda.zip: bootstrap (0755), rawfeed (0755), lib/ (every shared
// library and the loader, under the names the binary asks for), and the optional config and CA
// bundle. Written to a temporary name and renamed, so a failed run leaves no half zip behind.
core::Result<PackageReport> writeDeploymentPackage(const PackageContents& contents,
                                                   const std::filesystem::path& out_dir);

}  // namespace rawfeed::lambda
