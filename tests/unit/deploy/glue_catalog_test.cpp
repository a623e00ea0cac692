#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/corporate_action.h"
#include "core/record.h"
#include "deploy/glue_catalog.h"
#include "deploy/stack_template.h"
#include "lake/raw_key.h"
#include "lake/record_writer.h"
#include "unit/deploy/deploy_test_support.h"

namespace rawfeed::deploy {
namespace {

using nlohmann::json;
using testing::configText;
using testing::domainOf;
using testing::stackOf;

const json& glueResource(const json& stack, const std::string& id) {
  static const json kMissing;
  auto it = stack["Resources"].find(id);
  EXPECT_NE(it, stack["Resources"].end()) << "no resource " << id;
  return it == stack["Resources"].end() ? kMissing : *it;
}

const json& tableInput(const json& stack, const std::string& id) {
  return glueResource(stack, id)["Properties"]["TableInput"];
}

std::vector<std::pair<std::string, std::string>> columnsOf(const json& columns) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& column : columns)
    out.emplace_back(column["Name"].get<std::string>(), column["Type"].get<std::string>());
  return out;
}

std::vector<std::string> csvHeaderNames(std::string_view header) {
  std::vector<std::string> names;
  std::string current;
  for (const char c : header) {
    if (c == ',' || c == '\n') {
      names.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return names;
}

// The key order and JSON types of one line of lake::serialize / serializeActions.
std::vector<std::pair<std::string, std::string>> jsonLineFields(const std::string& line) {
  const auto object = nlohmann::ordered_json::parse(line);
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& [key, value] : object.items())
    fields.emplace_back(key, value.is_string() ? "string" : value.is_number() ? "number" : "?");
  return fields;
}

TEST(GlueCatalog, OneDatabasePerEnvironmentAndDomain) {
  const json stack = stackOf(configText());
  const json& database = glueResource(stack, "GlueDatabase");
  EXPECT_EQ(database["Type"], "AWS::Glue::Database");
  EXPECT_EQ(database["Properties"]["CatalogId"], json({{"Ref", "AWS::AccountId"}}));
  EXPECT_EQ(database["Properties"]["DatabaseInput"]["Name"], "rawfeed_prod_customer_data");

  auto dev = renderStack(domainOf(configText()), "Dev-EU");
  ASSERT_TRUE(dev.ok()) << dev.error().message;
  EXPECT_EQ(json::parse(*dev)["Resources"]["GlueDatabase"]["Properties"]["DatabaseInput"]["Name"],
            "rawfeed_dev_eu_customer_data");
}

TEST(GlueCatalog, TheBarsAndTheCorporateActionsTablesByDefault) {
  const json stack = stackOf(configText());
  for (const auto& [id, name] : {std::pair{"GlueBarsTable", "prices"},
                                 std::pair{"GlueCorporateActionsTable", "corporate_actions"}}) {
    const json& table = glueResource(stack, id);
    EXPECT_EQ(table["Type"], "AWS::Glue::Table") << id;
    EXPECT_EQ(table["Properties"]["CatalogId"], json({{"Ref", "AWS::AccountId"}})) << id;
    EXPECT_EQ(table["Properties"]["DatabaseName"], json({{"Ref", "GlueDatabase"}})) << id;
    const json& input = table["Properties"]["TableInput"];
    EXPECT_EQ(input["Name"], name) << id;
    EXPECT_EQ(input["TableType"], "EXTERNAL_TABLE") << id;
    EXPECT_EQ(input["StorageDescriptor"]["Location"],
              std::string("s3://acme-raw/lake/customer-data/") + name + "/")
        << id;
  }
  // Partition projection, no crawler.
  for (const auto& [id, resource] : stack["Resources"].items())
    EXPECT_NE(resource["Type"], "AWS::Glue::Crawler") << id;
}

TEST(GlueCatalog, ConfiguredTableNamesInGluesSpellingKeysAsWritten) {
  const json stack =
      stackOf(configText("table_name = \"Daily-Bars\"\ncorporate_actions_table = \"actions.v1\""));
  const json& bars = tableInput(stack, "GlueBarsTable");
  EXPECT_EQ(bars["Name"], "daily_bars");
  EXPECT_EQ(bars["StorageDescriptor"]["Location"], "s3://acme-raw/lake/customer-data/Daily-Bars/");
  const json& actions = tableInput(stack, "GlueCorporateActionsTable");
  EXPECT_EQ(actions["Name"], "actions_v1");
  EXPECT_EQ(actions["StorageDescriptor"]["Location"],
            "s3://acme-raw/lake/customer-data/actions.v1/");
}

TEST(GlueCatalog, NoCorporateActionsTableWhenTheDomainWritesNone) {
  const json stack = stackOf(configText("corporate_actions = false"));
  EXPECT_TRUE(stack["Resources"].contains("GlueBarsTable"));
  EXPECT_FALSE(stack["Resources"].contains("GlueCorporateActionsTable"));
}

TEST(GlueCatalog, TablesGlueWouldNameAlikeAreRefusedNamingTheSetting) {
  auto rendered = renderStack(domainOf(configText("table_name = \"Corporate-Actions\"")), "prod");
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(rendered.error().message.find("domains.customer-data.corporate_actions_table"),
            std::string::npos)
      << rendered.error().message;
}

TEST(GlueCatalog, BarColumnsAreExactlyTheRecordsRawfeedWrites) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"symbol", "string"},         {"timestamp", "string"}, {"open", "double"},
      {"high", "double"},           {"low", "double"},       {"close", "double"},
      {"adjusted_close", "double"}, {"volume", "bigint"}};
  for (const char* format : {"json", "csv"}) {
    const json stack = stackOf(configText(std::string("file_format = \"") + format + "\""));
    EXPECT_EQ(columnsOf(tableInput(stack, "GlueBarsTable")["StorageDescriptor"]["Columns"]),
              expected)
        << format;
  }

  // The writer's own CSV header and JSON keys, in order, and the JSON value types.
  std::vector<std::string> names;
  for (const auto& column : glueBarColumns())
    names.push_back(column.name);
  EXPECT_EQ(names, csvHeaderNames(lake::kCsvHeader));
  core::Record record;
  record.timestamp = 1700000000;
  record.open = "189.97999572753906";
  record.high = "190.5";
  record.low = "188";
  record.close = "189.1";
  record.adjusted_close = "188.7";
  record.volume = "51234500";
  const std::string line = lake::serialize("AAPL", {record}, lake::Format::kJsonLines);
  const auto fields = jsonLineFields(line.substr(0, line.find('\n')));
  ASSERT_EQ(fields.size(), expected.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(fields[i].first, expected[i].first);
    EXPECT_EQ(fields[i].second, expected[i].second == "string" ? "string" : "number")
        << fields[i].first;
  }
}

TEST(GlueCatalog, ActionColumnsAreExactlyTheRecordsRawfeedWrites) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"symbol", "string"},    {"date", "string"},        {"timestamp", "string"},
      {"type", "string"},      {"amount", "double"},      {"currency", "string"},
      {"numerator", "double"}, {"denominator", "double"}, {"split_ratio", "string"}};
  const json stack = stackOf(configText());
  EXPECT_EQ(
      columnsOf(tableInput(stack, "GlueCorporateActionsTable")["StorageDescriptor"]["Columns"]),
      expected);

  std::vector<std::string> names;
  for (const auto& column : glueActionColumns())
    names.push_back(column.name);
  EXPECT_EQ(names, csvHeaderNames(lake::kActionsCsvHeader));
  // A dividend has its amount and currency, a split its terms and ratio: together every field.
  core::CorporateAction dividend;
  dividend.kind = core::CorporateActionKind::kDividend;
  dividend.timestamp = 1604673000;
  dividend.day = "2020-11-06";
  dividend.amount = "0.205";
  dividend.currency = "USD";
  core::CorporateAction split;
  split.kind = core::CorporateActionKind::kSplit;
  split.timestamp = 1598880600;
  split.day = "2020-08-31";
  split.numerator = "4";
  split.denominator = "1";
  split.ratio = "4:1";
  const std::string text =
      lake::serializeActions("AAPL", {dividend, split}, lake::Format::kJsonLines);
  const auto first = jsonLineFields(text.substr(0, text.find('\n')));
  const auto second = jsonLineFields(text.substr(text.find('\n') + 1));
  ASSERT_EQ(first.size(), expected.size());
  ASSERT_EQ(second.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(first[i].first, expected[i].first);
    const std::string type = first[i].second != "?" ? first[i].second : second[i].second;
    EXPECT_EQ(type, expected[i].second == "string" ? "string" : "number") << expected[i].first;
  }
}

TEST(GlueCatalog, AJsonDomainReadsJsonLinesWithTheOpenXSerDe) {
  const json stack = stackOf(configText());
  for (const char* id : {"GlueBarsTable", "GlueCorporateActionsTable"}) {
    const json& input = tableInput(stack, id);
    const json& storage = input["StorageDescriptor"];
    EXPECT_EQ(storage["SerdeInfo"]["SerializationLibrary"], "org.openx.data.jsonserde.JsonSerDe")
        << id;
    EXPECT_EQ(storage["InputFormat"], "org.apache.hadoop.mapred.TextInputFormat") << id;
    EXPECT_EQ(storage["OutputFormat"], "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
        << id;
    EXPECT_EQ(input["Parameters"]["classification"], "json") << id;
    EXPECT_FALSE(input["Parameters"].contains("skip.header.line.count")) << id;
  }
}

TEST(GlueCatalog, ACsvDomainSkipsTheHeaderAndReadsEmptyFieldsAsNull) {
  const json stack = stackOf(configText("file_format = \"csv\"\ncompression = \"gzip\""));
  for (const char* id : {"GlueBarsTable", "GlueCorporateActionsTable"}) {
    const json& input = tableInput(stack, id);
    const json& serde = input["StorageDescriptor"]["SerdeInfo"];
    EXPECT_EQ(serde["SerializationLibrary"], "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe")
        << id;
    EXPECT_EQ(serde["Parameters"]["field.delim"], ",") << id;
    EXPECT_EQ(serde["Parameters"]["serialization.null.format"], "") << id;
    EXPECT_EQ(input["Parameters"]["skip.header.line.count"], "1") << id;
    EXPECT_EQ(input["Parameters"]["classification"], "csv") << id;
    // Athena takes the codec from each object's suffix (.gz): nothing in the table says gzip.
    EXPECT_EQ(input["StorageDescriptor"]["InputFormat"], "org.apache.hadoop.mapred.TextInputFormat")
        << id;
  }
}

TEST(GlueCatalog, PartitionsAreProjectedFromTheKeysSegments) {
  for (const char* format : {"json", "csv"}) {
    const json stack = stackOf(configText(std::string("file_format = \"") + format + "\""));
    const json& input = tableInput(stack, "GlueBarsTable");
    EXPECT_EQ(columnsOf(input["PartitionKeys"]),
              (std::vector<std::pair<std::string, std::string>>{{"interval", "string"},
                                                                {"data_source", "string"},
                                                                {"year", "int"},
                                                                {"month", "int"},
                                                                {"day", "int"}}))
        << format;
    const json& p = input["Parameters"];
    EXPECT_EQ(p["projection.enabled"], "true");
    EXPECT_EQ(p["projection.interval.type"], "enum");
    // Every interval Yahoo serves: a trigger may ask for another than the domain's.
    EXPECT_EQ(p["projection.interval.values"], "1m,2m,5m,15m,30m,60m,90m,1h,1d,5d,1wk,1mo,3mo");
    EXPECT_EQ(p["projection.data_source.type"], "enum");
    EXPECT_EQ(p["projection.data_source.values"], "yahoo_finance");
    // The days rawfeed accepts (core::kFirstValidDay .. kLastValidDay).
    EXPECT_EQ(p["projection.year.type"], "integer");
    EXPECT_EQ(p["projection.year.range"], "1800,2200");
    EXPECT_EQ(p["projection.month.type"], "integer");
    EXPECT_EQ(p["projection.month.range"], "1,12");
    EXPECT_EQ(p["projection.month.digits"], "2");
    EXPECT_EQ(p["projection.day.type"], "integer");
    EXPECT_EQ(p["projection.day.range"], "1,31");
    EXPECT_EQ(p["projection.day.digits"], "2");
    EXPECT_EQ(p["storage.location.template"],
              "s3://acme-raw/lake/customer-data/prices/interval=${interval}/"
              "data_source=${data_source}/year=${year}/month=${month}/day=${day}/")
        << format;
  }
}

// The location template, its placeholders filled, is the writer's own partition prefix.
TEST(GlueCatalog, TheLocationTemplateIsTheWritersPartitionPrefix) {
  const json stack = stackOf(configText());
  for (const auto& [id, table] : {std::pair{"GlueBarsTable", "prices"},
                                  std::pair{"GlueCorporateActionsTable", "corporate_actions"}}) {
    std::string location =
        tableInput(stack, id)["Parameters"]["storage.location.template"].get<std::string>();
    for (const auto& [placeholder, value] :
         {std::pair{"${interval}", "1wk"}, std::pair{"${data_source}", "yahoo_finance"},
          std::pair{"${year}", "2020"}, std::pair{"${month}", "08"}, std::pair{"${day}", "07"}}) {
      location.replace(location.find(placeholder), std::string(placeholder).size(), value);
    }
    const lake::PartitionKey partition{"customer-data", table, "1wk", "yahoo_finance",
                                       "2020-08-07"};
    EXPECT_EQ(location, "s3://acme-raw/lake/" + lake::partitionPrefix(partition)) << id;
  }
}

TEST(GlueCatalog, ALakeAtTheBucketsRootHasNoPrefixInItsLocations) {
  std::string text = configText();
  text.replace(text.find("s3://acme-raw/lake"), std::string("s3://acme-raw/lake").size(),
               "s3://acme-raw");
  const json stack = stackOf(text);
  const json& input = tableInput(stack, "GlueBarsTable");
  EXPECT_EQ(input["StorageDescriptor"]["Location"], "s3://acme-raw/customer-data/prices/");
  EXPECT_EQ(input["Parameters"]["storage.location.template"].get<std::string>().rfind(
                "s3://acme-raw/customer-data/prices/interval=${interval}/", 0),
            0u);
}

TEST(GlueCatalog, NoRoleIsGrantedAnyGlueAction) {
  const json stack = stackOf(configText("",
                                        "config_location = \"s3://acme-config/rawfeed.toml\"\n"
                                        "kms_key_arn = \"arn:aws:kms:us-east-1:123456789012:key/"
                                        "1234abcd-12ab-34cd-56ef-1234567890ab\""));
  for (const auto& [id, resource] : stack["Resources"].items()) {
    if (resource["Type"] != "AWS::IAM::Role")
      continue;
    EXPECT_EQ(resource["Properties"].dump().find("glue:"), std::string::npos) << id;
    EXPECT_EQ(resource["Properties"].dump().find("athena:"), std::string::npos) << id;
  }
}

// CloudFormation takes a template of at most 51,200 bytes inline (README "Deploying on AWS"):
// the catalog must leave a domain with every option well inside it.
TEST(GlueCatalog, AStackWithEveryOptionStaysUnderTheInlineTemplateLimit) {
  const std::string text =
      R"(environment = "production-eu-central"
[domains.customer-data-international-equities]
symbols = ["AAPL", "MSFT"]
lake = "s3://acme-raw-lake-production-eu-central-1/raw/yahoo-finance/lake"
schedule = "0 6 * * 1-5"
schedule_timezone = "America/New_York"
file_format = "csv"
table_name = "daily_prices_international"
corporate_actions_table = "corporate_actions_international"
events = "https://hooks.example.com/rawfeed/completions/international"
events_token_env = "HOOK_TOKEN"
[domains.customer-data-international-equities.aws]
create_bucket = true
bucket_versioning = true
kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
worker_reserved_concurrency = 8
orchestrator_reserved_concurrency = 1
batching_window_seconds = 5
schedule_flexible_window_minutes = 15
transform_target_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:transform"
completion_rule = "manifest"
alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
config_location = "s3://acme-config-bucket/rawfeed/production/rawfeed.toml"
vpc_id = "vpc-0123456789abcdef0"
subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
security_group_ids = ["sg-0123456789abcdef0"]
route_table_ids = ["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"]
)";
  auto rendered = renderStack(domainOf(text), "production-eu-central");
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  EXPECT_TRUE(json::parse(*rendered)["Resources"].contains("GlueCorporateActionsTable"));
  EXPECT_LT(rendered->size(), 51200u);
}

}  // namespace
}  // namespace rawfeed::deploy
