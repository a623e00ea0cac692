#include "aws/api_operations.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace rawfeed::aws {
namespace {

TEST(ApiOperations, EveryOperationIsFoundByServiceAndNameAndNamesAnActionOfItsService) {
  std::set<std::string> seen;
  for (const auto& operation : allOperations()) {
    const auto* found = findOperation(operation.service, operation.name);
    ASSERT_NE(found, nullptr) << operation.name;
    EXPECT_EQ(found->iam_action, operation.iam_action);
    const std::string prefix = std::string(operation.service) + ":";
    EXPECT_EQ(std::string(operation.iam_action).rfind(prefix, 0), 0u) << operation.iam_action;
    EXPECT_EQ(std::string(operation.iam_action).find('*'), std::string::npos);
    EXPECT_TRUE(
        seen.insert(std::string(operation.service) + "." + std::string(operation.name)).second)
        << "listed twice: " << operation.name;
  }
  EXPECT_EQ(findOperation("s3", "CopyObject"), nullptr);
}

TEST(ApiOperations, SeveralOperationsShareOneAction) {
  EXPECT_EQ(s3_api::kHeadObject.iam_action, "s3:GetObject");
  EXPECT_EQ(s3_api::kListObjectsV2.iam_action, "s3:ListBucket");
  EXPECT_EQ(sqs_api::kSendMessageBatch.iam_action, "sqs:SendMessage");
  EXPECT_EQ(sqs_api::kDeleteMessageBatch.iam_action, "sqs:DeleteMessage");
  EXPECT_EQ(sqs_api::kChangeMessageVisibilityBatch.iam_action, "sqs:ChangeMessageVisibility");
}

}  // namespace
}  // namespace rawfeed::aws
