#include "lambda/deployment_package.h"

#include <fmt/format.h>
#include <zip.h>

#include <cstdio>
#include <memory>
#include <sstream>

namespace rawfeed::lambda {

namespace {

constexpr const char* kZipName = "rawfeed-lambda.zip";
constexpr zip_uint32_t kExecutable = 0100755;
constexpr zip_uint32_t kRegular = 0100644;

std::string shellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)",
// "linux-vdso.so.1 (0x...)" (the kernel's: nothing to bundle), "libx.so => not found".
core::Result<std::optional<SharedLibrary>> parseLddLine(const std::string& raw) {
  const std::string line = trim(raw);
  if (line.empty() || line.find("linux-vdso") == 0 ||
      line.find("statically linked") != std::string::npos) {
    return std::optional<SharedLibrary>();
  }
  const auto arrow = line.find(" => ");
  if (arrow == std::string::npos) {
    const auto space = line.find(' ');
    const std::string path = line.substr(0, space);
    if (path.empty() || path.front() != '/') {
      return core::makeError(core::ErrorCode::kInternal, "ldd said: " + line);
    }
    return std::optional<SharedLibrary>(
        SharedLibrary{std::filesystem::path(path).filename().string(), path, true});
  }
  const std::string name = line.substr(0, arrow);
  std::string rest = line.substr(arrow + 4);
  if (rest.rfind("not found", 0) == 0) {
    return core::makeError(core::ErrorCode::kNotFound,
                           name + " is needed but not found on this machine");
  }
  const auto space = rest.find(" (");
  if (space != std::string::npos)
    rest = rest.substr(0, space);
  return std::optional<SharedLibrary>(SharedLibrary{name, rest, false});
}

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};

core::Error zipError(zip_t* archive, const std::string& what) {
  return core::makeError(core::ErrorCode::kInternal,
                         fmt::format("zip: {}: {}", what, zip_strerror(archive)));
}

}  // namespace

core::Result<std::vector<SharedLibrary>> sharedLibraries(const std::filesystem::path& binary) {
  const std::string command = "ldd " + shellQuote(binary.string()) + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) {
    return core::makeError(core::ErrorCode::kInternal, "cannot run ldd on " + binary.string());
  }
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get()))
    output.append(buffer, n);
  const int status = ::pclose(pipe.release());
  if (status != 0) {
    return core::makeError(core::ErrorCode::kInternal,
                           "ldd " + binary.string() + " failed: " + trim(output));
  }
  std::vector<SharedLibrary> libraries;
  std::istringstream lines(output);
  std::string line;
  bool has_loader = false;
  while (std::getline(lines, line)) {
    auto library = parseLddLine(line);
    if (!library.ok())
      return library.error();
    if (!*library)
      continue;
    has_loader = has_loader || (*library)->loader;
    libraries.push_back(std::move(**library));
  }
  if (!has_loader) {
    return core::makeError(core::ErrorCode::kInternal,
                           binary.string() + ": ldd names no dynamic loader (a static binary?)");
  }
  return libraries;
}

std::string bootstrapScript(const std::string& loader_name) {
  return fmt::format(
      "#!/bin/sh\n"
      "# rawfeed on Lambda's provided.al2023 runtime (made by `rawfeed package`): the bundled\n"
      "# loader runs the bundled binary against the bundled libraries, glibc included, so\n"
      "# nothing of the host's is used.\n"
      "set -eu\n"
      "root=\"${{LAMBDA_TASK_ROOT:-$(cd \"$(dirname \"$0\")\" && pwd)}}\"\n"
      "if [ -z \"${{CURL_CA_BUNDLE:-}}\" ] && [ -f \"$root/certs/ca-certificates.crt\" ]; then\n"
      "  export CURL_CA_BUNDLE=\"$root/certs/ca-certificates.crt\"\n"
      "fi\n"
      "exec \"$root/lib/{}\" --library-path \"$root/lib\" \"$root/rawfeed\" lambda \"$@\"\n",
      loader_name);
}

core::Result<PackageReport> writeDeploymentPackage(const PackageContents& contents,
                                                   const std::filesystem::path& out_dir) {
  auto libraries = sharedLibraries(contents.binary);
  if (!libraries.ok())
    return libraries.error();
  std::string loader_name;
  for (const auto& library : *libraries) {
    if (library.loader)
      loader_name = library.name;
  }
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           out_dir.string() + " cannot be created: " + error.message());
  }
  PackageReport report;
  report.zip = out_dir / kZipName;
  const auto partial = out_dir / (std::string(kZipName) + ".partial");
  std::filesystem::remove(partial, error);
  int code = 0;
  std::unique_ptr<zip_t, ZipCloser> archive(
      zip_open(partial.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code));
  if (!archive) {
    zip_error_t zip_error;
    zip_error_init_with_code(&zip_error, code);
    const std::string message = zip_error_strerror(&zip_error);
    zip_error_fini(&zip_error);
    return core::makeError(core::ErrorCode::kInternal,
                           "zip: cannot create " + partial.string() + ": " + message);
  }
  auto add = [&](const std::string& name, zip_source_t* source, zip_uint32_t mode) -> core::Status {
    if (source == nullptr)
      return zipError(archive.get(), name);
    const zip_int64_t index =
        zip_file_add(archive.get(), name.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);
      return zipError(archive.get(), name);
    }
    if (zip_file_set_external_attributes(archive.get(), static_cast<zip_uint64_t>(index), 0,
                                         ZIP_OPSYS_UNIX, mode << 16) != 0) {
      return zipError(archive.get(), name);
    }
    report.entries.push_back(name);
    return core::okStatus();
  };
  auto addFile = [&](const std::string& name, const std::filesystem::path& path,
                     zip_uint32_t mode) -> core::Status {
    if (!std::filesystem::is_regular_file(path, error)) {
      return core::makeError(core::ErrorCode::kNotFound, path.string() + " is not a file");
    }
    return add(name, zip_source_file(archive.get(), path.c_str(), 0, -1), mode);
  };
  const std::string bootstrap = bootstrapScript(loader_name);  // alive until zip_close
  std::vector<core::Status> steps;
  steps.push_back(add("bootstrap",
                      zip_source_buffer(archive.get(), bootstrap.data(), bootstrap.size(), 0),
                      kExecutable));
  steps.push_back(addFile("rawfeed", contents.binary, kExecutable));
  for (const auto& library : *libraries) {
    steps.push_back(addFile("lib/" + library.name, library.path, kExecutable));
  }
  if (contents.config)
    steps.push_back(addFile("rawfeed.toml", *contents.config, kRegular));
  if (contents.ca_bundle) {
    steps.push_back(addFile("certs/ca-certificates.crt", *contents.ca_bundle, kRegular));
  }
  for (const auto& step : steps) {
    if (!step.ok())
      return step.error();
  }
  if (zip_close(archive.get()) != 0) {
    auto failed = zipError(archive.get(), "writing " + partial.string());
    return failed;
  }
  archive.release();  // zip_close freed it
  std::filesystem::rename(partial, report.zip, error);
  if (error) {
    return core::makeError(core::ErrorCode::kInternal,
                           "cannot rename " + partial.string() + ": " + error.message());
  }
  report.bytes = std::filesystem::file_size(report.zip, error);
  return report;
}

}  // namespace rawfeed::lambda
