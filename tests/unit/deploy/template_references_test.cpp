#include "deploy/template_references.h"

#include <gtest/gtest.h>

#include "unit/deploy/deploy_test_support.h"

namespace rawfeed::deploy {
namespace {

TEST(TemplateReferences, EveryGeneratedReferenceResolves) {
  for (const std::string aws :
       {"",
        "create_bucket = true\ntransform_target_arn = "
        "\"arn:aws:states:us-east-1:123456789012:stateMachine:t\"\ncompletion_rule = \"both\"",
        "vpc_id = \"vpc-1\"\nsubnet_ids = [\"s\"]\nsecurity_group_ids = [\"g\"]\n"
        "route_table_ids = [\"r\"]"}) {
    auto rendered = renderStack(testing::domainOf(testing::configText("", aws)), "prod");
    ASSERT_TRUE(rendered.ok()) << rendered.error().message;
    const auto problems = unresolvedReferences(*rendered);
    EXPECT_TRUE(problems.empty()) << problems.front();
  }
}

TEST(TemplateReferences, DanglingReferencesAreNamed) {
  const auto problems = unresolvedReferences(R"({
    "Parameters": {"P": {"Type": "String"}},
    "Resources": {
      "A": {"Type": "AWS::SQS::Queue", "DependsOn": ["Gone"],
            "Properties": {"QueueName": {"Ref": "P"},
                           "X": {"Ref": "Missing"},
                           "Y": {"Fn::GetAtt": ["Nope", "Arn"]},
                           "Z": {"Fn::Sub": "${AWS::Region}-${A.Arn}-${Nothing}-${!Literal}"},
                           "W": {"Fn::Sub": ["${v}", {"v": {"Ref": "AWS::StackName"}}]}}}},
    "Outputs": {"O": {"Value": {"Ref": "Absent"}}}
  })");
  ASSERT_EQ(problems.size(), 5u);
  std::string all;
  for (const auto& p : problems)
    all += p + "\n";
  for (const char* name : {"Gone", "Missing", "Nope", "${Nothing}", "Absent"}) {
    EXPECT_NE(all.find(name), std::string::npos) << name << "\n" << all;
  }
  EXPECT_EQ(unresolvedReferences("not json").size(), 1u);
}

}  // namespace
}  // namespace rawfeed::deploy
