#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rawfeed::aws {

// One AWS API operation rawfeed's code can call, with the IAM action that authorises it. The
// backends name their requests through these constants (S3Call::operation, SqsClient::call), so
// the name a request carries and the action a deployment grants come from one place.
struct ApiOperation {
  std::string_view service;     // "s3", "sqs": the signing service
  std::string_view name;        // "PutObject": the API's own name, as requests and logs say it
  std::string_view iam_action;  // "s3:PutObject": several operations may share one action
};

inline bool operator==(const ApiOperation& a, const ApiOperation& b) {
  return a.service == b.service && a.name == b.name;
}

namespace s3_api {
inline constexpr ApiOperation kPutObject{"s3", "PutObject", "s3:PutObject"};
inline constexpr ApiOperation kGetObject{"s3", "GetObject", "s3:GetObject"};
inline constexpr ApiOperation kHeadObject{"s3", "HeadObject", "s3:GetObject"};
inline constexpr ApiOperation kListObjectsV2{"s3", "ListObjectsV2", "s3:ListBucket"};
inline constexpr ApiOperation kDeleteObject{"s3", "DeleteObject", "s3:DeleteObject"};
}  // namespace s3_api

namespace sqs_api {
inline constexpr ApiOperation kSendMessage{"sqs", "SendMessage", "sqs:SendMessage"};
inline constexpr ApiOperation kSendMessageBatch{"sqs", "SendMessageBatch", "sqs:SendMessage"};
inline constexpr ApiOperation kReceiveMessage{"sqs", "ReceiveMessage", "sqs:ReceiveMessage"};
inline constexpr ApiOperation kDeleteMessage{"sqs", "DeleteMessage", "sqs:DeleteMessage"};
inline constexpr ApiOperation kDeleteMessageBatch{"sqs", "DeleteMessageBatch", "sqs:DeleteMessage"};
inline constexpr ApiOperation kChangeMessageVisibility{"sqs", "ChangeMessageVisibility",
                                                       "sqs:ChangeMessageVisibility"};
inline constexpr ApiOperation kChangeMessageVisibilityBatch{"sqs", "ChangeMessageVisibilityBatch",
                                                            "sqs:ChangeMessageVisibility"};
inline constexpr ApiOperation kGetQueueUrl{"sqs", "GetQueueUrl", "sqs:GetQueueUrl"};
inline constexpr ApiOperation kGetQueueAttributes{"sqs", "GetQueueAttributes",
                                                  "sqs:GetQueueAttributes"};
inline constexpr ApiOperation kSetQueueAttributes{"sqs", "SetQueueAttributes",
                                                  "sqs:SetQueueAttributes"};
inline constexpr ApiOperation kCreateQueue{"sqs", "CreateQueue", "sqs:CreateQueue"};
inline constexpr ApiOperation kPurgeQueue{"sqs", "PurgeQueue", "sqs:PurgeQueue"};
inline constexpr ApiOperation kStartMessageMoveTask{"sqs", "StartMessageMoveTask",
                                                    "sqs:StartMessageMoveTask"};
inline constexpr ApiOperation kListMessageMoveTasks{"sqs", "ListMessageMoveTasks",
                                                    "sqs:ListMessageMoveTasks"};
}  // namespace sqs_api

namespace logs_api {
inline constexpr ApiOperation kCreateLogStream{"logs", "CreateLogStream", "logs:CreateLogStream"};
inline constexpr ApiOperation kPutLogEvents{"logs", "PutLogEvents", "logs:PutLogEvents"};
}  // namespace logs_api

namespace kms_api {
inline constexpr ApiOperation kGenerateDataKey{"kms", "GenerateDataKey", "kms:GenerateDataKey"};
inline constexpr ApiOperation kDecrypt{"kms", "Decrypt", "kms:Decrypt"};
}  // namespace kms_api

namespace events_api {
inline constexpr ApiOperation kPutEvents{"events", "PutEvents", "events:PutEvents"};
}  // namespace events_api

namespace lambda_api {
inline constexpr ApiOperation kInvokeFunction{"lambda", "Invoke", "lambda:InvokeFunction"};
}  // namespace lambda_api

namespace ec2_api {
inline constexpr ApiOperation kCreateNetworkInterface{"ec2", "CreateNetworkInterface",
                                                      "ec2:CreateNetworkInterface"};
inline constexpr ApiOperation kDescribeNetworkInterfaces{"ec2", "DescribeNetworkInterfaces",
                                                         "ec2:DescribeNetworkInterfaces"};
inline constexpr ApiOperation kDeleteNetworkInterface{"ec2", "DeleteNetworkInterface",
                                                      "ec2:DeleteNetworkInterface"};
inline constexpr ApiOperation kAssignPrivateIpAddresses{"ec2", "AssignPrivateIpAddresses",
                                                        "ec2:AssignPrivateIpAddresses"};
inline constexpr ApiOperation kUnassignPrivateIpAddresses{"ec2", "UnassignPrivateIpAddresses",
                                                          "ec2:UnassignPrivateIpAddresses"};
}  // namespace ec2_api

// Every operation above, in a fixed order.
std::span<const ApiOperation> allOperations();
// nullptr when the code never calls it.
const ApiOperation* findOperation(std::string_view service, std::string_view name);

}  // namespace rawfeed::aws
