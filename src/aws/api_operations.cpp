#include "aws/api_operations.h"

#include <algorithm>
#include <array>

namespace rawfeed::aws {

namespace {

constexpr std::array kAllOperations = {
    s3_api::kPutObject,
    s3_api::kGetObject,
    s3_api::kHeadObject,
    s3_api::kListObjectsV2,
    s3_api::kDeleteObject,
    sqs_api::kSendMessage,
    sqs_api::kSendMessageBatch,
    sqs_api::kReceiveMessage,
    sqs_api::kDeleteMessage,
    sqs_api::kDeleteMessageBatch,
    sqs_api::kChangeMessageVisibility,
    sqs_api::kChangeMessageVisibilityBatch,
    sqs_api::kGetQueueUrl,
    sqs_api::kGetQueueAttributes,
    sqs_api::kSetQueueAttributes,
    sqs_api::kCreateQueue,
    sqs_api::kPurgeQueue,
    sqs_api::kStartMessageMoveTask,
    sqs_api::kListMessageMoveTasks,
    logs_api::kCreateLogStream,
    logs_api::kPutLogEvents,
    kms_api::kGenerateDataKey,
    kms_api::kDecrypt,
    events_api::kPutEvents,
    lambda_api::kInvokeFunction,
    ec2_api::kCreateNetworkInterface,
    ec2_api::kDescribeNetworkInterfaces,
    ec2_api::kDeleteNetworkInterface,
    ec2_api::kAssignPrivateIpAddresses,
    ec2_api::kUnassignPrivateIpAddresses,
};

}  // namespace

std::span<const ApiOperation> allOperations() {
  return kAllOperations;
}

const ApiOperation* findOperation(std::string_view service, std::string_view name) {
  for (const auto& operation : kAllOperations) {
    if (operation.service == service && operation.name == name)
      return &operation;
  }
  return nullptr;
}

}  // namespace rawfeed::aws
