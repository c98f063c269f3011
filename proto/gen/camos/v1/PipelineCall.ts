// Original file: proto/camos/v1/kernel.proto

import type { RememberRequest as _camos_v1_RememberRequest, RememberRequest__Output as _camos_v1_RememberRequest__Output } from '../../camos/v1/RememberRequest.js';
import type { ForgetRequest as _camos_v1_ForgetRequest, ForgetRequest__Output as _camos_v1_ForgetRequest__Output } from '../../camos/v1/ForgetRequest.js';
import type { RecallRequest as _camos_v1_RecallRequest, RecallRequest__Output as _camos_v1_RecallRequest__Output } from '../../camos/v1/RecallRequest.js';
import type { ContextVersionsRequest as _camos_v1_ContextVersionsRequest, ContextVersionsRequest__Output as _camos_v1_ContextVersionsRequest__Output } from '../../camos/v1/ContextVersionsRequest.js';
import type { ContextSnapshotRequest as _camos_v1_ContextSnapshotRequest, ContextSnapshotRequest__Output as _camos_v1_ContextSnapshotRequest__Output } from '../../camos/v1/ContextSnapshotRequest.js';
import type { ContextRestoreRequest as _camos_v1_ContextRestoreRequest, ContextRestoreRequest__Output as _camos_v1_ContextRestoreRequest__Output } from '../../camos/v1/ContextRestoreRequest.js';
import type { ThinkRequest as _camos_v1_ThinkRequest, ThinkRequest__Output as _camos_v1_ThinkRequest__Output } from '../../camos/v1/ThinkRequest.js';
import type { DecideRequest as _camos_v1_DecideRequest, DecideRequest__Output as _camos_v1_DecideRequest__Output } from '../../camos/v1/DecideRequest.js';
import type { ArbitrateRequest as _camos_v1_ArbitrateRequest, ArbitrateRequest__Output as _camos_v1_ArbitrateRequest__Output } from '../../camos/v1/ArbitrateRequest.js';
import type { CommitTaskRequest as _camos_v1_CommitTaskRequest, CommitTaskRequest__Output as _camos_v1_CommitTaskRequest__Output } from '../../camos/v1/CommitTaskRequest.js';
import type { RollbackTaskRequest as _camos_v1_RollbackTaskRequest, RollbackTaskRequest__Output as _camos_v1_RollbackTaskRequest__Output } from '../../camos/v1/RollbackTaskRequest.js';
import type { RegisterAgentRequest as _camos_v1_RegisterAgentRequest, RegisterAgentRequest__Output as _camos_v1_RegisterAgentRequest__Output } from '../../camos/v1/RegisterAgentRequest.js';
import type { LearnRequest as _camos_v1_LearnRequest, LearnRequest__Output as _camos_v1_LearnRequest__Output } from '../../camos/v1/LearnRequest.js';
import type { CommunicateRequest as _camos_v1_CommunicateRequest, CommunicateRequest__Output as _camos_v1_CommunicateRequest__Output } from '../../camos/v1/CommunicateRequest.js';
import type { CollaborateRequest as _camos_v1_CollaborateRequest, CollaborateRequest__Output as _camos_v1_CollaborateRequest__Output } from '../../camos/v1/CollaborateRequest.js';
import type { QueryPolicyRequest as _camos_v1_QueryPolicyRequest, QueryPolicyRequest__Output as _camos_v1_QueryPolicyRequest__Output } from '../../camos/v1/QueryPolicyRequest.js';
import type { ExplainActionRequest as _camos_v1_ExplainActionRequest, ExplainActionRequest__Output as _camos_v1_ExplainActionRequest__Output } from '../../camos/v1/ExplainActionRequest.js';
import type { TuneSystemRequest as _camos_v1_TuneSystemRequest, TuneSystemRequest__Output as _camos_v1_TuneSystemRequest__Output } from '../../camos/v1/TuneSystemRequest.js';
import type { HealthCheckRequest as _camos_v1_HealthCheckRequest, HealthCheckRequest__Output as _camos_v1_HealthCheckRequest__Output } from '../../camos/v1/HealthCheckRequest.js';
import type { ClusterStatusRequest as _camos_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _camos_v1_ClusterStatusRequest__Output } from '../../camos/v1/ClusterStatusRequest.js';
import type { TaskStatusRequest as _camos_v1_TaskStatusRequest, TaskStatusRequest__Output as _camos_v1_TaskStatusRequest__Output } from '../../camos/v1/TaskStatusRequest.js';
import type { ReportTaskRequest as _camos_v1_ReportTaskRequest, ReportTaskRequest__Output as _camos_v1_ReportTaskRequest__Output } from '../../camos/v1/ReportTaskRequest.js';
import type { PolicyUpdateRequest as _camos_v1_PolicyUpdateRequest, PolicyUpdateRequest__Output as _camos_v1_PolicyUpdateRequest__Output } from '../../camos/v1/PolicyUpdateRequest.js';
import type { SignRequest as _camos_v1_SignRequest, SignRequest__Output as _camos_v1_SignRequest__Output } from '../../camos/v1/SignRequest.js';
import type { VerifyManifestRequest as _camos_v1_VerifyManifestRequest, VerifyManifestRequest__Output as _camos_v1_VerifyManifestRequest__Output } from '../../camos/v1/VerifyManifestRequest.js';
import type { EmitMetricRequest as _camos_v1_EmitMetricRequest, EmitMetricRequest__Output as _camos_v1_EmitMetricRequest__Output } from '../../camos/v1/EmitMetricRequest.js';
import type { EmitTraceRequest as _camos_v1_EmitTraceRequest, EmitTraceRequest__Output as _camos_v1_EmitTraceRequest__Output } from '../../camos/v1/EmitTraceRequest.js';
import type { Long } from '@grpc/proto-loader';

export interface PipelineCall {
  /**
   * Chosen by the client; its result carries it back.
   */
  'id'?: (number | string | Long);
  'remember'?: (_camos_v1_RememberRequest | null);
  'forget'?: (_camos_v1_ForgetRequest | null);
  'recall'?: (_camos_v1_RecallRequest | null);
  'contextVersions'?: (_camos_v1_ContextVersionsRequest | null);
  'contextSnapshot'?: (_camos_v1_ContextSnapshotRequest | null);
  'contextRestore'?: (_camos_v1_ContextRestoreRequest | null);
  'think'?: (_camos_v1_ThinkRequest | null);
  'decide'?: (_camos_v1_DecideRequest | null);
  'arbitrate'?: (_camos_v1_ArbitrateRequest | null);
  'commitTask'?: (_camos_v1_CommitTaskRequest | null);
  'rollbackTask'?: (_camos_v1_RollbackTaskRequest | null);
  'registerAgent'?: (_camos_v1_RegisterAgentRequest | null);
  'learn'?: (_camos_v1_LearnRequest | null);
  'communicate'?: (_camos_v1_CommunicateRequest | null);
  'collaborate'?: (_camos_v1_CollaborateRequest | null);
  'queryPolicy'?: (_camos_v1_QueryPolicyRequest | null);
  'explainAction'?: (_camos_v1_ExplainActionRequest | null);
  'tuneSystem'?: (_camos_v1_TuneSystemRequest | null);
  'healthCheck'?: (_camos_v1_HealthCheckRequest | null);
  'clusterStatus'?: (_camos_v1_ClusterStatusRequest | null);
  'taskStatus'?: (_camos_v1_TaskStatusRequest | null);
  'reportTask'?: (_camos_v1_ReportTaskRequest | null);
  'policyUpdate'?: (_camos_v1_PolicyUpdateRequest | null);
  'sign'?: (_camos_v1_SignRequest | null);
  'verifyManifest'?: (_camos_v1_VerifyManifestRequest | null);
  'emitMetric'?: (_camos_v1_EmitMetricRequest | null);
  'emitTrace'?: (_camos_v1_EmitTraceRequest | null);
  'call'?: "remember"|"forget"|"recall"|"contextVersions"|"contextSnapshot"|"contextRestore"|"think"|"decide"|"arbitrate"|"commitTask"|"rollbackTask"|"registerAgent"|"learn"|"communicate"|"collaborate"|"queryPolicy"|"explainAction"|"tuneSystem"|"healthCheck"|"clusterStatus"|"taskStatus"|"reportTask"|"policyUpdate"|"sign"|"verifyManifest"|"emitMetric"|"emitTrace";
}

export interface PipelineCall__Output {
  /**
   * Chosen by the client; its result carries it back.
   */
  'id': (number);
  'remember'?: (_camos_v1_RememberRequest__Output | null);
  'forget'?: (_camos_v1_ForgetRequest__Output | null);
  'recall'?: (_camos_v1_RecallRequest__Output | null);
  'contextVersions'?: (_camos_v1_ContextVersionsRequest__Output | null);
  'contextSnapshot'?: (_camos_v1_ContextSnapshotRequest__Output | null);
  'contextRestore'?: (_camos_v1_ContextRestoreRequest__Output | null);
  'think'?: (_camos_v1_ThinkRequest__Output | null);
  'decide'?: (_camos_v1_DecideRequest__Output | null);
  'arbitrate'?: (_camos_v1_ArbitrateRequest__Output | null);
  'commitTask'?: (_camos_v1_CommitTaskRequest__Output | null);
  'rollbackTask'?: (_camos_v1_RollbackTaskRequest__Output | null);
  'registerAgent'?: (_camos_v1_RegisterAgentRequest__Output | null);
  'learn'?: (_camos_v1_LearnRequest__Output | null);
  'communicate'?: (_camos_v1_CommunicateRequest__Output | null);
  'collaborate'?: (_camos_v1_CollaborateRequest__Output | null);
  'queryPolicy'?: (_camos_v1_QueryPolicyRequest__Output | null);
  'explainAction'?: (_camos_v1_ExplainActionRequest__Output | null);
  'tuneSystem'?: (_camos_v1_TuneSystemRequest__Output | null);
  'healthCheck'?: (_camos_v1_HealthCheckRequest__Output | null);
  'clusterStatus'?: (_camos_v1_ClusterStatusRequest__Output | null);
  'taskStatus'?: (_camos_v1_TaskStatusRequest__Output | null);
  'reportTask'?: (_camos_v1_ReportTaskRequest__Output | null);
  'policyUpdate'?: (_camos_v1_PolicyUpdateRequest__Output | null);
  'sign'?: (_camos_v1_SignRequest__Output | null);
  'verifyManifest'?: (_camos_v1_VerifyManifestRequest__Output | null);
  'emitMetric'?: (_camos_v1_EmitMetricRequest__Output | null);
  'emitTrace'?: (_camos_v1_EmitTraceRequest__Output | null);
  'call'?: "remember"|"forget"|"recall"|"contextVersions"|"contextSnapshot"|"contextRestore"|"think"|"decide"|"arbitrate"|"commitTask"|"rollbackTask"|"registerAgent"|"learn"|"communicate"|"collaborate"|"queryPolicy"|"explainAction"|"tuneSystem"|"healthCheck"|"clusterStatus"|"taskStatus"|"reportTask"|"policyUpdate"|"sign"|"verifyManifest"|"emitMetric"|"emitTrace";
}
