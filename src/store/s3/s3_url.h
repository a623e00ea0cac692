#pragma once

#include <string>
#include <string_view>

#include "aws/endpoints.h"
#include "core/result.h"
#include "store/s3/s3_options.h"

namespace rawfeed::store::s3 {

// Where each object of one store lives: the store's keys are relative to a prefix inside a
// bucket, and every request target is built here so that the URL sent and the path signed come
// from one string (aws::s3Target). Keys are percent-encoded with every byte outside
// A-Za-z0-9-_.~ escaped and '/' kept — "day=07/AAPL.json" goes out as "day%3D07/AAPL.json",
// exactly what S3 canonicalises, so the signature matches. Immutable, thread-safe.
class S3Url {
 public:
  // kInvalidInput for a bad endpoint, bucket name, prefix, or addressing the endpoint cannot do.
  static core::Result<S3Url> make(const S3Options& options);

  // The key as stored in the bucket (prefix + '/' + key). kInvalidInput naming the key for one
  // the ObjectStore contract forbids: empty, absolute, an empty, "." or ".." segment, NUL or
  // '\\' (refused so that every key is valid on every backend), or over S3's 1024 bytes.
  core::Result<std::string> storedKey(std::string_view key) const;
  // The S3 prefix that lists the store's keys starting with `prefix`.
  std::string storedPrefix(std::string_view prefix) const;
  // storedKey's inverse for keys a listing returned; false when outside the store's prefix.
  bool relativeKey(std::string_view stored_key, std::string& out) const;

  // `query` is already canonical (aws::canonicalQuery) or empty.
  core::Result<aws::S3Target> object(std::string_view stored_key,
                                     std::string_view query = {}) const;
  core::Result<aws::S3Target> bucket(std::string_view query = {}) const;

  std::string location() const;  // "s3://bucket/prefix"
  const std::string& bucketName() const { return bucket_; }
  const std::string& prefix() const { return prefix_; }
  const aws::Endpoint& endpoint() const { return endpoint_; }

 private:
  S3Url(aws::Endpoint endpoint, std::string bucket, std::string prefix,
        aws::S3Addressing addressing);

  aws::Endpoint endpoint_;
  std::string bucket_;
  std::string prefix_;  // no '/' at either end; empty for the bucket's root
  aws::S3Addressing addressing_;
};

// kInvalidInput (naming the key) unless `key` is a relative '/'-separated path whose segments
// are non-empty and not "." or "..", free of NUL and '\\'.
core::Status validateKey(std::string_view key);

}  // namespace rawfeed::store::s3
