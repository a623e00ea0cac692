#pragma once

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "deploy/stack_template.h"

namespace rawfeed::deploy::testing {

// A domain on S3 with a schedule: what most tests start from, extended with `extra` lines in the
// domain's table and `aws` lines in its [aws] table.
inline std::string configText(const std::string& extra = "", const std::string& aws = "") {
  return R"(environment = "prod"
[domains.customer-data]
symbols = ["AAPL", "MSFT"]
lake = "s3://acme-raw/lake"
schedule = "0 6 * * 1-5"
schedule_timezone = "America/New_York"
worker_timeout_seconds = 120
messages_per_delivery = 4
)" + extra +
         "\n[domains.customer-data.aws]\ncode_bucket = \"acme-artifacts\"\ncode_key = "
         "\"rawfeed/rawfeed.zip\"\n" +
         aws + "\n";
}

inline config::DomainConfig domainOf(const std::string& text) {
  auto config = config::parseConfig(text, "/etc/rawfeed/rawfeed.toml");
  EXPECT_TRUE(config.ok()) << config.error().message;
  if (!config.ok())
    return {};
  return config->domains.begin()->second;
}

inline nlohmann::json stackOf(const std::string& text) {
  auto rendered = renderStack(domainOf(text), "prod");
  EXPECT_TRUE(rendered.ok()) << rendered.error().message;
  if (!rendered.ok())
    return {};
  return nlohmann::json::parse(*rendered);
}

// CloudFormation intrinsics as the parsed template spells them, for comparisons.
inline nlohmann::json getAtt(const std::string& id, const std::string& attribute) {
  return {{"Fn::GetAtt", {id, attribute}}};
}
inline nlohmann::json sub(const std::string& text) {
  return {{"Fn::Sub", text}};
}

}  // namespace rawfeed::deploy::testing
