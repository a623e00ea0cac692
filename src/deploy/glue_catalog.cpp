#include "deploy/glue_catalog.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_format.h"
#include "deploy/intrinsics.h"
#include "deploy/logical_ids.h"
#include "sources/source_registry.h"

namespace rawfeed::deploy {

namespace {

using json = nlohmann::ordered_json;

// Glue's and Athena's limit on a database's or a table's name.
constexpr std::size_t kGlueNameLimit = 255;

// Text objects, one record a line, read through a SerDe: Hive's plain text input. Athena picks
// each object's codec from its suffix (.gz, .zst), so one table may mix compressions.
constexpr const char* kGlueTextInputFormat = "org.apache.hadoop.mapred.TextInputFormat";
constexpr const char* kGlueTextOutputFormat =
    "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
constexpr const char* kGlueJsonSerDe = "org.openx.data.jsonserde.JsonSerDe";
// LazySimpleSerDe, not OpenCSVSerde: OpenCSVSerde leaves an empty field of a numeric column a
// string that fails the column's type, and every absent value of rawfeed's CSV is an empty
// field. LazySimpleSerDe reads it as null (serialization.null.format ""). It does not unquote:
// the writer quotes only a field holding , " CR or LF, which a bar never has (symbols are
// [A-Za-z0-9.^=_-]); of an action, only a currency or split ratio that held one would be.
constexpr const char* kGlueCsvSerDe = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";

std::string glueJoin(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values)
    out += (out.empty() ? "" : ",") + value;
  return out;
}

// Kept short, and only where the name does not say it: the stack must stay under
// CloudFormation's 51,200 bytes for a template given inline.
json glueColumnsJson(const std::vector<GlueColumn>& columns) {
  json out = json::array();
  for (const auto& column : columns) {
    json entry = {{"Name", column.name}, {"Type", column.type}};
    if (!column.comment.empty())
      entry["Comment"] = column.comment;
    out.push_back(std::move(entry));
  }
  return out;
}

// The partition columns: the keys' segments after the table's name, in their order. The day is
// the exchange's (contracts §4).
std::vector<GlueColumn> gluePartitionColumns() {
  return {{"interval", "string", ""},
          {"data_source", "string", ""},
          {"year", "int", ""},
          {"month", "int", ""},
          {"day", "int", "exchange's time zone"}};
}

json glueTableParameters(const GlueCatalog& catalog, const GlueTable& table) {
  const std::string location = catalog.location + table.key_table + "/";
  json parameters = {
      {"EXTERNAL", "TRUE"},
      {"classification", catalog.file_format},
      {"projection.enabled", "true"},
      {"projection.interval.type", "enum"},
      {"projection.interval.values", glueJoin(catalog.intervals)},
      {"projection.data_source.type", "enum"},
      {"projection.data_source.values", catalog.data_source},
      {"projection.year.type", "integer"},
      {"projection.year.range", fmt::format("{},{}", catalog.first_year, catalog.last_year)},
      {"projection.year.digits", "4"},
      {"projection.month.type", "integer"},
      {"projection.month.range", "1,12"},
      {"projection.month.digits", "2"},
      {"projection.day.type", "integer"},
      {"projection.day.range", "1,31"},
      {"projection.day.digits", "2"},
      // Athena's own ${column} placeholders, not CloudFormation's: the property is no Fn::Sub.
      {"storage.location.template",
       location + "interval=${interval}/data_source=${data_source}/year=${year}/month=${month}/"
                  "day=${day}/"}};
  if (catalog.file_format == "csv")
    parameters["skip.header.line.count"] = "1";  // every CSV object starts with its header
  return parameters;
}

json glueSerDe(const GlueCatalog& catalog) {
  if (catalog.file_format == "csv") {
    return {
        {"SerializationLibrary", kGlueCsvSerDe},
        {"Parameters",
         {{"field.delim", ","}, {"serialization.format", ","}, {"serialization.null.format", ""}}}};
  }
  return {{"SerializationLibrary", kGlueJsonSerDe}};
}

json glueTableResource(const GlueCatalog& catalog, const GlueTable& table) {
  const json storage = {{"Columns", glueColumnsJson(table.columns)},
                        {"Location", catalog.location + table.key_table + "/"},
                        {"InputFormat", kGlueTextInputFormat},
                        {"OutputFormat", kGlueTextOutputFormat},
                        {"SerdeInfo", glueSerDe(catalog)}};
  return {{"Type", "AWS::Glue::Table"},
          {"Properties",
           {{"CatalogId", cfn::ref("AWS::AccountId")},
            {"DatabaseName", cfn::ref(ids::kGlueDatabase)},
            {"TableInput",
             {{"Name", table.name},
              {"Description", table.description},
              {"TableType", "EXTERNAL_TABLE"},
              {"Parameters", glueTableParameters(catalog, table)},
              {"PartitionKeys", glueColumnsJson(gluePartitionColumns())},
              {"StorageDescriptor", storage}}}}}};
}

std::string glueFormatName(const std::string& file_format) {
  return file_format == "csv" ? "CSV" : "JSON Lines";
}

}  // namespace

std::string glueName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char raw : text) {
    const char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
    const bool kept = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(kept ? c : '_');
  }
  return out;
}

std::vector<GlueColumn> glueBarColumns() {
  return {{"symbol", "string", ""},
          {"timestamp", "string", "bar start, ISO 8601 UTC"},
          {"open", "double", ""},
          {"high", "double", ""},
          {"low", "double", ""},
          {"close", "double", ""},
          {"adjusted_close", "double", ""},
          {"volume", "bigint", ""}};
}

std::vector<GlueColumn> glueActionColumns() {
  return {{"symbol", "string", ""},
          {"date", "string", "YYYY-MM-DD, exchange's time zone"},
          {"timestamp", "string", "ex-date, ISO 8601 UTC"},
          {"type", "string", "dividend, split or capital_gain"},
          {"amount", "double", "per share, in currency"},
          {"currency", "string", ""},
          {"numerator", "double", "split: new shares"},
          {"denominator", "double", "split: old shares"},
          {"split_ratio", "string", "split: the source's text"}};
}

GlueCatalog planGlueCatalog(const config::DomainConfig& domain, const std::string& environment,
                            const std::string& bucket, const std::string& prefix,
                            std::vector<std::string>& errors) {
  const std::string at = std::string("domains.") + domain.name + ".";
  GlueCatalog catalog;
  catalog.database = glueName("rawfeed_" + environment + "_" + domain.name);
  catalog.file_format = domain.file_format;
  catalog.location =
      "s3://" + bucket + "/" + (prefix.empty() ? std::string() : prefix + "/") + domain.name + "/";
  catalog.data_source = domain.data_source;
  // Every interval the source serves, not only the domain's: a trigger may ask for another, and
  // its objects land in the same table under their own interval=.
  if (const auto* source = sources::findSource(domain.data_source)) {
    for (const auto interval : source->intervals())
      catalog.intervals.emplace_back(interval);
  }
  if (catalog.intervals.empty())
    catalog.intervals.push_back(domain.interval);
  catalog.first_year = core::civilDate(core::kFirstValidDay)->year;
  catalog.last_year = core::civilDate(core::kLastValidDay)->year;

  GlueTable bars;
  bars.logical_id = ids::kGlueBarsTable;
  bars.name = glueName(domain.table_name);
  bars.key_table = domain.table_name;
  bars.description = fmt::format("rawfeed bars of {} ({}), partitions projected", domain.name,
                                 glueFormatName(domain.file_format));
  bars.columns = glueBarColumns();
  catalog.tables.push_back(bars);
  if (domain.corporate_actions) {
    GlueTable actions;
    actions.logical_id = ids::kGlueActionsTable;
    actions.name = glueName(domain.corporate_actions_table);
    actions.key_table = domain.corporate_actions_table;
    actions.description = fmt::format("rawfeed corporate actions of {} ({}), partitions projected",
                                      domain.name, glueFormatName(domain.file_format));
    actions.columns = glueActionColumns();
    if (actions.name == bars.name) {
      errors.push_back(
          fmt::format("{}corporate_actions_table: '{}' and table_name '{}' are the same Glue "
                      "table '{}' (Glue keeps names lower-case, other characters than a-z 0-9 _ "
                      "as '_'): rename one",
                      at, domain.corporate_actions_table, domain.table_name, actions.name));
    }
    catalog.tables.push_back(actions);
  }
  if (catalog.database.size() > kGlueNameLimit) {
    errors.push_back(fmt::format(
        "domains.{}: the Glue database '{}' (rawfeed_<environment>_<domain>) is over Glue's {} "
        "characters",
        domain.name, catalog.database, kGlueNameLimit));
  }
  for (const auto& table : catalog.tables) {
    if (table.name.size() > kGlueNameLimit) {
      const bool actions = table.logical_id == std::string(ids::kGlueActionsTable);
      errors.push_back(fmt::format("{}{}: the Glue table '{}' is over Glue's {} characters", at,
                                   actions ? "corporate_actions_table" : "table_name", table.name,
                                   kGlueNameLimit));
    }
  }
  return catalog;
}

void addGlueCatalog(const GlueCatalog& catalog, nlohmann::ordered_json& resources) {
  resources[ids::kGlueDatabase] = {
      {"Type", "AWS::Glue::Database"},
      {"Properties",
       {{"CatalogId", cfn::ref("AWS::AccountId")},
        {"DatabaseInput",
         {{"Name", catalog.database},
          {"Description", "rawfeed raw layer under " + catalog.location}}}}}};
  for (const auto& table : catalog.tables)
    resources[table.logical_id] = glueTableResource(catalog, table);
}

}  // namespace rawfeed::deploy
