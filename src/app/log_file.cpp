#include "app/log_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "store/local/writable_check.h"

namespace rawfeed::app {

namespace {

core::Error unopenable(const std::filesystem::path& path, const std::string& cause) {
  return core::makeError(core::ErrorCode::kInternal,
                         "log file '" + path.string() + "' cannot be written: " + cause);
}

}  // namespace

core::Result<std::unique_ptr<observe::JsonLinesLogger>> openLogger(
    const std::filesystem::path& state_dir, const std::string& level_name, ConsoleEcho echo,
    const core::Clock& clock) {
  observe::Level level = observe::Level::kInfo;
  if (!observe::parseLevel(level_name, level))
    level = observe::Level::kInfo;
  const auto directory = state_dir / "logs";
  const auto path = directory / "rawfeed.jsonl";
  std::error_code created;
  std::filesystem::create_directories(directory, created);
  std::FILE* file = created ? nullptr : std::fopen(path.c_str(), "ae");
  if (file == nullptr) {
    const std::string cause = created ? created.message() : std::strerror(errno);
    // The state directory itself unusable (a file in its place, a read-only mount) is said the
    // way every command says it.
    if (auto writable = store::local::checkWritableDirectory(state_dir, "state directory");
        !writable.ok()) {
      return writable.error();
    }
    return unopenable(path, cause);
  }
  const observe::Level console_level =
      echo == ConsoleEcho::kWarnings ? std::max(level, observe::Level::kWarn) : level;
  return std::make_unique<observe::JsonLinesLogger>(clock, file, level, /*console=*/true,
                                                    console_level);
}

}  // namespace rawfeed::app
