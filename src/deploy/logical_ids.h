#pragma once

namespace rawfeed::deploy::ids {

// The template's logical ids, named once: the generator, the role policies and the tests speak
// of the same resources.
inline constexpr const char* kQueue = "ChunkQueue";
inline constexpr const char* kDeadLetterQueue = "ChunkDeadLetterQueue";
inline constexpr const char* kQueuePolicy = "QueueTlsOnlyPolicy";
inline constexpr const char* kOrchestratorLogGroup = "OrchestratorLogGroup";
inline constexpr const char* kWorkerLogGroup = "WorkerLogGroup";
inline constexpr const char* kOrchestratorRole = "OrchestratorRole";
inline constexpr const char* kWorkerRole = "WorkerRole";
inline constexpr const char* kOrchestratorFunction = "OrchestratorFunction";
inline constexpr const char* kWorkerFunction = "WorkerFunction";
inline constexpr const char* kEventSourceMapping = "WorkerEventSourceMapping";
inline constexpr const char* kSchedule = "Schedule";
inline constexpr const char* kScheduleDeadLetterQueue = "ScheduleDeadLetterQueue";
inline constexpr const char* kSchedulerRole = "SchedulerRole";
inline constexpr const char* kLakeBucket = "LakeBucket";
inline constexpr const char* kLakeBucketPolicy = "LakeBucketTlsOnlyPolicy";
inline constexpr const char* kTransformRole = "TransformTargetRole";
inline constexpr const char* kCompletionEventRule = "CompletionEventRule";
inline constexpr const char* kManifestCreatedRule = "ManifestCreatedRule";
inline constexpr const char* kDashboard = "Dashboard";
inline constexpr const char* kGlueDatabase = "GlueDatabase";
inline constexpr const char* kGlueBarsTable = "GlueBarsTable";
inline constexpr const char* kGlueActionsTable = "GlueCorporateActionsTable";
inline constexpr const char* kCodeBucketParameter = "CodeBucket";
inline constexpr const char* kCodeKeyParameter = "CodeKey";
inline constexpr const char* kWebhookTokenParameter = "WebhookToken";

}  // namespace rawfeed::deploy::ids
