#include "aws/default_credentials.h"

#include <vector>

#include "aws/chain_provider.h"
#include "aws/container_provider.h"
#include "aws/environment_provider.h"
#include "aws/instance_metadata_provider.h"
#include "aws/profile_provider.h"
#include "aws/refreshing_provider.h"

namespace rawfeed::aws {

std::unique_ptr<CredentialsProvider> makeDefaultCredentialsProvider(EnvLookup env,
                                                                    http::HttpClient& http,
                                                                    const core::Clock& clock) {
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(std::make_unique<EnvironmentProvider>(env));
  providers.push_back(std::make_unique<ProfileProvider>(env));
  providers.push_back(std::make_unique<ContainerProvider>(env, http));
  providers.push_back(std::make_unique<InstanceMetadataProvider>(env, http));
  return std::make_unique<RefreshingProvider>(std::make_unique<ChainProvider>(std::move(providers)),
                                              clock);
}

}  // namespace rawfeed::aws
