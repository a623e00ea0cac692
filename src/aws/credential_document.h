#pragma once

#include <string_view>

#include "aws/credentials.h"
#include "core/result.h"

namespace rawfeed::aws {

// The JSON both the container endpoint and EC2 instance metadata answer with:
// {"AccessKeyId", "SecretAccessKey", "Token", "Expiration": "2024-05-01T12:00:00Z"} (EC2 adds
// "Code": "Success"). kUnauthenticated for a document that is not that; the message names the
// missing field but never echoes the body, which holds the secret.
core::Result<Credentials> parseCredentialDocument(std::string_view body);

}  // namespace rawfeed::aws
