#pragma once

#include <fmt/format.h>
#include <toml++/toml.h>

#include <chrono>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "config/locations.h"
#include "core/result.h"

// Internal to the config module (config.cpp and section_readers.cpp), not part of its API.
namespace rawfeed::config {

// Reads one TOML table into typed fields, collecting every error and every unknown key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, std::string file,
              std::vector<std::string>& errors)
      : table_(table), path_(std::move(path)), file_(std::move(file)), errors_(errors) {}

  ~TableReader() {
    for (const auto& [key, node] : table_) {
      if (!known_.count(std::string(key.str()))) {
        error(std::string(key.str()), "unknown key", &node);
      }
    }
  }

  void error(const std::string& key, const std::string& rule, const toml::node* node = nullptr) {
    if (node != nullptr && node->source().begin) {
      errors_.push_back(
          fmt::format("{}:{}: {}: {}", file_, node->source().begin.line, qualified(key), rule));
    } else {
      errors_.push_back(fmt::format("{}: {}: {}", file_, qualified(key), rule));
    }
  }

  std::string qualified(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  void read(const char* key, std::string& out) {
    if (const auto* node = take(key)) {
      if (auto value = node->value<std::string>()) {
        out = *value;
      } else {
        error(key, "must be a string", node);
      }
    }
  }

  void read(const char* key, bool& out) {
    if (const auto* node = take(key)) {
      if (auto value = node->value<bool>()) {
        out = *value;
      } else {
        error(key, "must be true or false", node);
      }
    }
  }

  void read(const char* key, int& out, long min, long max) {
    if (const auto* node = take(key)) {
      auto value = node->is_integer() ? node->value<std::int64_t>() : std::nullopt;
      if (!value) {
        error(key, "must be an integer", node);
      } else if (*value < min || *value > max) {
        error(key,
              "must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
                  std::to_string(*value) + ")",
              node);
      } else {
        out = static_cast<int>(*value);
      }
    }
  }

  void read(const char* key, double& out, double min, double max) {
    if (const auto* node = take(key)) {
      auto value = node->is_number() ? node->value<double>() : std::nullopt;
      if (!value) {
        error(key, "must be a number", node);
      } else if (!(*value >= min && *value <= max)) {
        error(key, fmt::format("must be between {} and {} (got {})", min, max, *value), node);
      } else {
        out = *value;
      }
    }
  }

  template <class Duration>
  void readDuration(const char* key, Duration& out, long min, long max) {
    int value = -1;
    read(key, value, min, max);
    if (value >= 0 && has(key))
      out = Duration(value);
  }

  void readPath(const char* key, std::filesystem::path& out, const std::filesystem::path& base) {
    std::string text;
    read(key, text);
    if (!text.empty())
      out = resolve(text, base);
  }

  // A lake: a relative directory is resolved against `base` before it is read.
  void readLocation(const char* key, LakeLocation& out, const std::filesystem::path& base) {
    std::string text;
    read(key, text);
    if (text.empty())
      return;
    if (text.find("://") == std::string::npos)
      text = resolve(text, base).string();
    keepParsed(key, parseLakeLocation(text), out);
  }

  void readLocation(const char* key, QueueLocation& out) {
    std::string text;
    read(key, text);
    if (!text.empty())
      keepParsed(key, parseQueueLocation(text), out);
  }

  void readTracker(const char* key, TrackerKind& out) {
    std::string text;
    read(key, text);
    if (!text.empty())
      keepParsed(key, parseTrackerKind(text), out);
  }

  void readStrings(const char* key, std::vector<std::string>& out) {
    if (const auto* node = take(key)) {
      const auto* array = node->as_array();
      if (array == nullptr) {
        error(key, "must be an array of strings", node);
        return;
      }
      out.clear();
      for (std::size_t i = 0; i < array->size(); ++i) {
        if (auto value = (*array)[i].value<std::string>()) {
          out.push_back(*value);
        } else {
          error(key, "element " + std::to_string(i) + " must be a string", node);
        }
      }
    }
  }

  const toml::table* subTable(const char* key) {
    if (const auto* node = take(key)) {
      if (const auto* table = node->as_table())
        return table;
      error(key, "must be a table", node);
    }
    return nullptr;
  }

  bool has(const char* key) const { return table_.contains(key); }
  void markKnown(const char* key) { known_.insert(key); }

  static std::filesystem::path resolve(const std::string& text, const std::filesystem::path& base) {
    std::filesystem::path path(text);
    return path.is_absolute() ? path : (base / path).lexically_normal();
  }

 private:
  template <typename T>
  void keepParsed(const char* key, core::Result<T> parsed, T& out) {
    if (parsed.ok())
      out = std::move(parsed).value();
    else
      error(key, parsed.error().message, table_.get(key));
  }

  const toml::node* take(const char* key) {
    known_.insert(key);
    return table_.get(key);
  }

  const toml::table& table_;
  std::string path_;
  std::string file_;
  std::vector<std::string>& errors_;
  std::set<std::string> known_;
};

}  // namespace rawfeed::config
