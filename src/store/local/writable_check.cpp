#include "store/local/writable_check.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "store/local/posix_io.h"

namespace rawfeed::store::local {
namespace {

// Big enough to need a real block: a disk with only metadata room left fails here.
constexpr std::size_t kProbeBytes = 4096;

core::Status unwritable(std::string_view what, const std::filesystem::path& dir,
                        const std::string& cause) {
  return core::makeError(core::ErrorCode::kInternal,
                         std::string(what) + " '" + dir.string() + "' cannot be written: " + cause);
}

}  // namespace

core::Status checkWritableDirectory(const std::filesystem::path& dir, std::string_view what) {
  std::error_code error;
  const auto status = std::filesystem::status(dir, error);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
    return unwritable(what, dir, "it is a file, not a directory");
  std::filesystem::create_directories(dir, error);
  if (error)
    return unwritable(what, dir, error.message());
  const auto probe = dir / (".rawfeed-write-check-" + std::to_string(::getpid()));
  UniqueFd fd(::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid())
    return unwritable(what, dir, errnoText(errno));
  int failure = writeAll(fd.get(), std::string(kProbeBytes, '\0'));
  if (failure == 0)
    failure = syncFileData(fd.get());
  const int closed = fd.reset();
  if (failure == 0)
    failure = closed;
  ::unlink(probe.c_str());
  if (failure != 0)
    return unwritable(what, dir, errnoText(failure));
  return core::okStatus();
}

}  // namespace rawfeed::store::local
