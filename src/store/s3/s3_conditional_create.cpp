#include "store/s3/s3_conditional_create.h"

namespace rawfeed::store::s3 {

namespace {

// The answers of a server that does not accept If-None-Match at all (400 InvalidArgument,
// 501 NotImplemented): no conditional create there, but HEAD + PUT works.
bool refusesHeader(const core::Error& error) {
  return error.code == core::ErrorCode::kInvalidInput || error.code == core::ErrorCode::kPermanent;
}

}  // namespace

const char* createMethodName(CreateMethod method) {
  return method == CreateMethod::kIfNoneMatch ? "if-none-match" : "head+put";
}

core::Result<CreateMethod> decideFromProbe(const core::Status& first_put,
                                           const core::Status& second_put) {
  if (!first_put) {
    // 412 on a key nobody could have written: the header is honoured, whatever made it exist.
    if (first_put.error().code == core::ErrorCode::kAlreadyExists)
      return CreateMethod::kIfNoneMatch;
    if (refusesHeader(first_put.error()))
      return CreateMethod::kHeadThenPut;
    return first_put.error();
  }
  if (second_put)
    return CreateMethod::kHeadThenPut;  // overwritten: the header was ignored
  if (second_put.error().code == core::ErrorCode::kAlreadyExists)
    return CreateMethod::kIfNoneMatch;
  if (refusesHeader(second_put.error()))
    return CreateMethod::kHeadThenPut;
  return second_put.error();
}

ConditionalCreatePolicy::ConditionalCreatePolicy(ConditionalCreate mode) {
  if (mode == ConditionalCreate::kAlways)
    decided_ = CreateMethod::kIfNoneMatch;
  if (mode == ConditionalCreate::kNever)
    decided_ = CreateMethod::kHeadThenPut;
}

core::Result<CreateMethod> ConditionalCreatePolicy::method(const Probe& probe) {
  std::lock_guard lock(mutex_);
  if (decided_)
    return *decided_;
  auto decision = probe();
  if (decision)
    decided_ = *decision;
  return decision;
}

std::optional<CreateMethod> ConditionalCreatePolicy::decided() const {
  std::lock_guard lock(mutex_);
  return decided_;
}

}  // namespace rawfeed::store::s3
