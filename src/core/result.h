#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rawfeed::core {

// A closed set: adapters classify failures at the edge, and only the worker decides from the
// code whether to acknowledge, retry later or dead-letter.
enum class ErrorCode {
  kInvalidInput,     // the caller's input broke a rule; retrying will not help
  kNotFound,         // the thing asked for does not exist
  kAlreadyExists,    // a create-only write found the key taken
  kUnauthenticated,  // credentials missing or refused
  kThrottled,        // the other side asked us to slow down
  kTransient,        // network trouble, timeouts, 5xx: may work later
  kPermanent,        // the other side refused for good
  kCancelled,        // we are shutting down
  kInternal,         // a bug or an environment failure (disk, database)
};

const char* errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // "transient: connection reset" — the form every log line and summary uses.
  std::string describe() const;
};

inline Error makeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}
// The two codes most made at the edge, spelled once.
inline Error invalidInput(std::string message) {
  return Error{ErrorCode::kInvalidInput, std::move(message)};
}
inline Error unauthenticated(std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status okStatus() {
  return Status();
}

}  // namespace rawfeed::core
