#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"

// The readers of a domain's sub-tables and of [server], each collecting its errors with file,
// line and key. Internal to the config module.
namespace rawfeed::config {

// [queue]
void readQueue(const toml::table& table, const std::string& path, const std::string& file,
               QueueSettings& queue, std::vector<std::string>& errors);
// [source] and [source.limits]
void readSource(const toml::table& table, const std::string& path, const std::string& file,
                SourceSettings& source, std::vector<std::string>& errors);
// [alarms] and [alarms.NAME]
void readAlarms(const toml::table& table, const std::string& path, const std::string& file,
                AlarmsConfig& alarms, std::vector<std::string>& errors);
// [[event_rules]]
void readEventRules(const toml::node& node, const std::string& path, const std::string& file,
                    std::vector<EventRule>& rules, std::vector<std::string>& errors);
// [aws]: what `rawfeed deploy aws` puts in the stack
void readAws(const toml::table& table, const std::string& path, const std::string& file,
             AwsDeploySettings& aws, std::vector<std::string>& errors);
// [server]
void readServer(const toml::table& table, const std::string& file,
                const std::filesystem::path& base, ServerConfig& server,
                std::vector<std::string>& errors);

}  // namespace rawfeed::config
