#pragma once

#include <memory>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "core/clock.h"
#include "http/http_client.h"

namespace rawfeed::aws {

// The SDKs' default order — environment, shared files (AWS_PROFILE), container endpoint,
// instance metadata — cached and refreshed before expiry. `http` and `clock` must outlive it.
std::unique_ptr<CredentialsProvider> makeDefaultCredentialsProvider(EnvLookup env,
                                                                    http::HttpClient& http,
                                                                    const core::Clock& clock);

}  // namespace rawfeed::aws
