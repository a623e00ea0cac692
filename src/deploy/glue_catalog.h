#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.h"

namespace rawfeed::deploy {

// The domain's raw tables in the Glue Data Catalog, so that Athena queries the lake where it
// lands: no crawler, no partitions to add. Each table projects its partitions (Athena's partition
// projection) from the raw keys' segments (contracts §4): interval and data_source as enums,
// year/month/day as integers over the days rawfeed accepts.

// A column as Glue and Athena spell it: a name and a Hive type.
struct GlueColumn {
  std::string name;
  std::string type;     // string, double, bigint, int
  std::string comment;  // Glue's Comment, shown by Athena; empty: none
};

struct GlueTable {
  const char* logical_id = "";
  std::string name;       // Glue's: the key's table name lower-cased, other than [a-z0-9_] as '_'
  std::string key_table;  // the keys' second segment, as configured
  std::string description;
  std::vector<GlueColumn> columns;  // exactly the records of lake/record_writer, in their order
};

struct GlueCatalog {
  std::string database;                // rawfeed_<environment>_<domain>, in Glue's spelling
  std::string file_format;             // "json" or "csv": the SerDe
  std::string location;                // s3://bucket/prefix/domain/ (each table adds its name)
  std::string data_source;             // the one data_source= segment a domain writes
  std::vector<std::string> intervals;  // the interval= values its source can write
  int first_year = 0;                  // the years of the days rawfeed accepts (core/time_format)
  int last_year = 0;
  std::vector<GlueTable> tables;  // the bars, then the corporate actions when the domain has them
};

// A name as Glue and Athena keep it: lower case, every character outside [a-z0-9_] as '_'.
std::string glueName(std::string_view text);

// The bars' and the corporate actions' columns, as lake::serialize and lake::serializeActions
// write them.
std::vector<GlueColumn> glueBarColumns();
std::vector<GlueColumn> glueActionColumns();

// The domain's catalog on the lake s3://bucket/prefix. A problem (two tables that Glue would
// name alike) is appended to `errors`, naming the setting.
GlueCatalog planGlueCatalog(const config::DomainConfig& domain, const std::string& environment,
                            const std::string& bucket, const std::string& prefix,
                            std::vector<std::string>& errors);

// The catalog's resources, added to the template's `resources`: an AWS::Glue::Database and one
// AWS::Glue::Table per table (README "Querying the raw layer: Athena and DuckDB").
void addGlueCatalog(const GlueCatalog& catalog, nlohmann::ordered_json& resources);

}  // namespace rawfeed::deploy
