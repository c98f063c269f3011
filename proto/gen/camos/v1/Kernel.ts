// Original file: proto/camos/v1/kernel.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentSessionEvent as _camos_v1_AgentSessionEvent, AgentSessionEvent__Output as _camos_v1_AgentSessionEvent__Output } from '../../camos/v1/AgentSessionEvent.js';
import type { AgentSessionRequest as _camos_v1_AgentSessionRequest, AgentSessionRequest__Output as _camos_v1_AgentSessionRequest__Output } from '../../camos/v1/AgentSessionRequest.js';
import type { ArbitrateRequest as _camos_v1_ArbitrateRequest, ArbitrateRequest__Output as _camos_v1_ArbitrateRequest__Output } from '../../camos/v1/ArbitrateRequest.js';
import type { ArbitrateResponse as _camos_v1_ArbitrateResponse, ArbitrateResponse__Output as _camos_v1_ArbitrateResponse__Output } from '../../camos/v1/ArbitrateResponse.js';
import type { ClusterStatusRequest as _camos_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _camos_v1_ClusterStatusRequest__Output } from '../../camos/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _camos_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _camos_v1_ClusterStatusResponse__Output } from '../../camos/v1/ClusterStatusResponse.js';
import type { CollaborateRequest as _camos_v1_CollaborateRequest, CollaborateRequest__Output as _camos_v1_CollaborateRequest__Output } from '../../camos/v1/CollaborateRequest.js';
import type { CollaborateResponse as _camos_v1_CollaborateResponse, CollaborateResponse__Output as _camos_v1_CollaborateResponse__Output } from '../../camos/v1/CollaborateResponse.js';
import type { CommitTaskRequest as _camos_v1_CommitTaskRequest, CommitTaskRequest__Output as _camos_v1_CommitTaskRequest__Output } from '../../camos/v1/CommitTaskRequest.js';
import type { CommitTaskResponse as _camos_v1_CommitTaskResponse, CommitTaskResponse__Output as _camos_v1_CommitTaskResponse__Output } from '../../camos/v1/CommitTaskResponse.js';
import type { CommunicateRequest as _camos_v1_CommunicateRequest, CommunicateRequest__Output as _camos_v1_CommunicateRequest__Output } from '../../camos/v1/CommunicateRequest.js';
import type { CommunicateResponse as _camos_v1_CommunicateResponse, CommunicateResponse__Output as _camos_v1_CommunicateResponse__Output } from '../../camos/v1/CommunicateResponse.js';
import type { ContextRestoreRequest as _camos_v1_ContextRestoreRequest, ContextRestoreRequest__Output as _camos_v1_ContextRestoreRequest__Output } from '../../camos/v1/ContextRestoreRequest.js';
import type { ContextRestoreResponse as _camos_v1_ContextRestoreResponse, ContextRestoreResponse__Output as _camos_v1_ContextRestoreResponse__Output } from '../../camos/v1/ContextRestoreResponse.js';
import type { ContextSnapshotRequest as _camos_v1_ContextSnapshotRequest, ContextSnapshotRequest__Output as _camos_v1_ContextSnapshotRequest__Output } from '../../camos/v1/ContextSnapshotRequest.js';
import type { ContextSnapshotResponse as _camos_v1_ContextSnapshotResponse, ContextSnapshotResponse__Output as _camos_v1_ContextSnapshotResponse__Output } from '../../camos/v1/ContextSnapshotResponse.js';
import type { ContextVersionsRequest as _camos_v1_ContextVersionsRequest, ContextVersionsRequest__Output as _camos_v1_ContextVersionsRequest__Output } from '../../camos/v1/ContextVersionsRequest.js';
import type { ContextVersionsResponse as _camos_v1_ContextVersionsResponse, ContextVersionsResponse__Output as _camos_v1_ContextVersionsResponse__Output } from '../../camos/v1/ContextVersionsResponse.js';
import type { DecideRequest as _camos_v1_DecideRequest, DecideRequest__Output as _camos_v1_DecideRequest__Output } from '../../camos/v1/DecideRequest.js';
import type { DecideResponse as _camos_v1_DecideResponse, DecideResponse__Output as _camos_v1_DecideResponse__Output } from '../../camos/v1/DecideResponse.js';
import type { EmitMetricRequest as _camos_v1_EmitMetricRequest, EmitMetricRequest__Output as _camos_v1_EmitMetricRequest__Output } from '../../camos/v1/EmitMetricRequest.js';
import type { EmitMetricResponse as _camos_v1_EmitMetricResponse, EmitMetricResponse__Output as _camos_v1_EmitMetricResponse__Output } from '../../camos/v1/EmitMetricResponse.js';
import type { EmitTraceRequest as _camos_v1_EmitTraceRequest, EmitTraceRequest__Output as _camos_v1_EmitTraceRequest__Output } from '../../camos/v1/EmitTraceRequest.js';
import type { EmitTraceResponse as _camos_v1_EmitTraceResponse, EmitTraceResponse__Output as _camos_v1_EmitTraceResponse__Output } from '../../camos/v1/EmitTraceResponse.js';
import type { ExplainActionRequest as _camos_v1_ExplainActionRequest, ExplainActionRequest__Output as _camos_v1_ExplainActionRequest__Output } from '../../camos/v1/ExplainActionRequest.js';
import type { ExplainActionResponse as _camos_v1_ExplainActionResponse, ExplainActionResponse__Output as _camos_v1_ExplainActionResponse__Output } from '../../camos/v1/ExplainActionResponse.js';
import type { ForgetRequest as _camos_v1_ForgetRequest, ForgetRequest__Output as _camos_v1_ForgetRequest__Output } from '../../camos/v1/ForgetRequest.js';
import type { ForgetResponse as _camos_v1_ForgetResponse, ForgetResponse__Output as _camos_v1_ForgetResponse__Output } from '../../camos/v1/ForgetResponse.js';
import type { HealthCheckRequest as _camos_v1_HealthCheckRequest, HealthCheckRequest__Output as _camos_v1_HealthCheckRequest__Output } from '../../camos/v1/HealthCheckRequest.js';
import type { HealthCheckResponse as _camos_v1_HealthCheckResponse, HealthCheckResponse__Output as _camos_v1_HealthCheckResponse__Output } from '../../camos/v1/HealthCheckResponse.js';
import type { LearnRequest as _camos_v1_LearnRequest, LearnRequest__Output as _camos_v1_LearnRequest__Output } from '../../camos/v1/LearnRequest.js';
import type { LearnResponse as _camos_v1_LearnResponse, LearnResponse__Output as _camos_v1_LearnResponse__Output } from '../../camos/v1/LearnResponse.js';
import type { ObserveBatch as _camos_v1_ObserveBatch, ObserveBatch__Output as _camos_v1_ObserveBatch__Output } from '../../camos/v1/ObserveBatch.js';
import type { ObserveRequest as _camos_v1_ObserveRequest, ObserveRequest__Output as _camos_v1_ObserveRequest__Output } from '../../camos/v1/ObserveRequest.js';
import type { PipelineRequest as _camos_v1_PipelineRequest, PipelineRequest__Output as _camos_v1_PipelineRequest__Output } from '../../camos/v1/PipelineRequest.js';
import type { PipelineResponse as _camos_v1_PipelineResponse, PipelineResponse__Output as _camos_v1_PipelineResponse__Output } from '../../camos/v1/PipelineResponse.js';
import type { PolicyUpdateRequest as _camos_v1_PolicyUpdateRequest, PolicyUpdateRequest__Output as _camos_v1_PolicyUpdateRequest__Output } from '../../camos/v1/PolicyUpdateRequest.js';
import type { PolicyUpdateResponse as _camos_v1_PolicyUpdateResponse, PolicyUpdateResponse__Output as _camos_v1_PolicyUpdateResponse__Output } from '../../camos/v1/PolicyUpdateResponse.js';
import type { QueryPolicyRequest as _camos_v1_QueryPolicyRequest, QueryPolicyRequest__Output as _camos_v1_QueryPolicyRequest__Output } from '../../camos/v1/QueryPolicyRequest.js';
import type { QueryPolicyResponse as _camos_v1_QueryPolicyResponse, QueryPolicyResponse__Output as _camos_v1_QueryPolicyResponse__Output } from '../../camos/v1/QueryPolicyResponse.js';
import type { RecallRequest as _camos_v1_RecallRequest, RecallRequest__Output as _camos_v1_RecallRequest__Output } from '../../camos/v1/RecallRequest.js';
import type { RecallResponse as _camos_v1_RecallResponse, RecallResponse__Output as _camos_v1_RecallResponse__Output } from '../../camos/v1/RecallResponse.js';
import type { RegisterAgentRequest as _camos_v1_RegisterAgentRequest, RegisterAgentRequest__Output as _camos_v1_RegisterAgentRequest__Output } from '../../camos/v1/RegisterAgentRequest.js';
import type { RegisterAgentResponse as _camos_v1_RegisterAgentResponse, RegisterAgentResponse__Output as _camos_v1_RegisterAgentResponse__Output } from '../../camos/v1/RegisterAgentResponse.js';
import type { RememberRequest as _camos_v1_RememberRequest, RememberRequest__Output as _camos_v1_RememberRequest__Output } from '../../camos/v1/RememberRequest.js';
import type { RememberResponse as _camos_v1_RememberResponse, RememberResponse__Output as _camos_v1_RememberResponse__Output } from '../../camos/v1/RememberResponse.js';
import type { ReportTaskRequest as _camos_v1_ReportTaskRequest, ReportTaskRequest__Output as _camos_v1_ReportTaskRequest__Output } from '../../camos/v1/ReportTaskRequest.js';
import type { ReportTaskResponse as _camos_v1_ReportTaskResponse, ReportTaskResponse__Output as _camos_v1_ReportTaskResponse__Output } from '../../camos/v1/ReportTaskResponse.js';
import type { RollbackTaskRequest as _camos_v1_RollbackTaskRequest, RollbackTaskRequest__Output as _camos_v1_RollbackTaskRequest__Output } from '../../camos/v1/RollbackTaskRequest.js';
import type { RollbackTaskResponse as _camos_v1_RollbackTaskResponse, RollbackTaskResponse__Output as _camos_v1_RollbackTaskResponse__Output } from '../../camos/v1/RollbackTaskResponse.js';
import type { SignRequest as _camos_v1_SignRequest, SignRequest__Output as _camos_v1_SignRequest__Output } from '../../camos/v1/SignRequest.js';
import type { SignResponse as _camos_v1_SignResponse, SignResponse__Output as _camos_v1_SignResponse__Output } from '../../camos/v1/SignResponse.js';
import type { TaskStatusRequest as _camos_v1_TaskStatusRequest, TaskStatusRequest__Output as _camos_v1_TaskStatusRequest__Output } from '../../camos/v1/TaskStatusRequest.js';
import type { TaskStatusResponse as _camos_v1_TaskStatusResponse, TaskStatusResponse__Output as _camos_v1_TaskStatusResponse__Output } from '../../camos/v1/TaskStatusResponse.js';
import type { ThinkRequest as _camos_v1_ThinkRequest, ThinkRequest__Output as _camos_v1_ThinkRequest__Output } from '../../camos/v1/ThinkRequest.js';
import type { ThinkResponse as _camos_v1_ThinkResponse, ThinkResponse__Output as _camos_v1_ThinkResponse__Output } from '../../camos/v1/ThinkResponse.js';
import type { TuneSystemRequest as _camos_v1_TuneSystemRequest, TuneSystemRequest__Output as _camos_v1_TuneSystemRequest__Output } from '../../camos/v1/TuneSystemRequest.js';
import type { TuneSystemResponse as _camos_v1_TuneSystemResponse, TuneSystemResponse__Output as _camos_v1_TuneSystemResponse__Output } from '../../camos/v1/TuneSystemResponse.js';
import type { VerifyManifestRequest as _camos_v1_VerifyManifestRequest, VerifyManifestRequest__Output as _camos_v1_VerifyManifestRequest__Output } from '../../camos/v1/VerifyManifestRequest.js';
import type { VerifyManifestResponse as _camos_v1_VerifyManifestResponse, VerifyManifestResponse__Output as _camos_v1_VerifyManifestResponse__Output } from '../../camos/v1/VerifyManifestResponse.js';

export interface KernelClient extends grpc.Client {
  AgentSession(argument: _camos_v1_AgentSessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_AgentSessionEvent__Output>;
  AgentSession(argument: _camos_v1_AgentSessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_AgentSessionEvent__Output>;
  agentSession(argument: _camos_v1_AgentSessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_AgentSessionEvent__Output>;
  agentSession(argument: _camos_v1_AgentSessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_AgentSessionEvent__Output>;
  
  Arbitrate(argument: _camos_v1_ArbitrateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  Arbitrate(argument: _camos_v1_ArbitrateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  Arbitrate(argument: _camos_v1_ArbitrateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  Arbitrate(argument: _camos_v1_ArbitrateRequest, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  arbitrate(argument: _camos_v1_ArbitrateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  arbitrate(argument: _camos_v1_ArbitrateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  arbitrate(argument: _camos_v1_ArbitrateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  arbitrate(argument: _camos_v1_ArbitrateRequest, callback: grpc.requestCallback<_camos_v1_ArbitrateResponse__Output>): grpc.ClientUnaryCall;
  
  ClusterStatus(argument: _camos_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _camos_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _camos_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _camos_v1_ClusterStatusRequest, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _camos_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _camos_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _camos_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _camos_v1_ClusterStatusRequest, callback: grpc.requestCallback<_camos_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  
  Collaborate(argument: _camos_v1_CollaborateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  Collaborate(argument: _camos_v1_CollaborateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  Collaborate(argument: _camos_v1_CollaborateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  Collaborate(argument: _camos_v1_CollaborateRequest, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  collaborate(argument: _camos_v1_CollaborateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  collaborate(argument: _camos_v1_CollaborateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  collaborate(argument: _camos_v1_CollaborateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  collaborate(argument: _camos_v1_CollaborateRequest, callback: grpc.requestCallback<_camos_v1_CollaborateResponse__Output>): grpc.ClientUnaryCall;
  
  CommitTask(argument: _camos_v1_CommitTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  CommitTask(argument: _camos_v1_CommitTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  CommitTask(argument: _camos_v1_CommitTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  CommitTask(argument: _camos_v1_CommitTaskRequest, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  commitTask(argument: _camos_v1_CommitTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  commitTask(argument: _camos_v1_CommitTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  commitTask(argument: _camos_v1_CommitTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  commitTask(argument: _camos_v1_CommitTaskRequest, callback: grpc.requestCallback<_camos_v1_CommitTaskResponse__Output>): grpc.ClientUnaryCall;
  
  Communicate(argument: _camos_v1_CommunicateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  Communicate(argument: _camos_v1_CommunicateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  Communicate(argument: _camos_v1_CommunicateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  Communicate(argument: _camos_v1_CommunicateRequest, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  communicate(argument: _camos_v1_CommunicateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  communicate(argument: _camos_v1_CommunicateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  communicate(argument: _camos_v1_CommunicateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  communicate(argument: _camos_v1_CommunicateRequest, callback: grpc.requestCallback<_camos_v1_CommunicateResponse__Output>): grpc.ClientUnaryCall;
  
  ContextRestore(argument: _camos_v1_ContextRestoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  ContextRestore(argument: _camos_v1_ContextRestoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  ContextRestore(argument: _camos_v1_ContextRestoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  ContextRestore(argument: _camos_v1_ContextRestoreRequest, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  contextRestore(argument: _camos_v1_ContextRestoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  contextRestore(argument: _camos_v1_ContextRestoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  contextRestore(argument: _camos_v1_ContextRestoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  contextRestore(argument: _camos_v1_ContextRestoreRequest, callback: grpc.requestCallback<_camos_v1_ContextRestoreResponse__Output>): grpc.ClientUnaryCall;
  
  ContextSnapshot(argument: _camos_v1_ContextSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  ContextSnapshot(argument: _camos_v1_ContextSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  ContextSnapshot(argument: _camos_v1_ContextSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  ContextSnapshot(argument: _camos_v1_ContextSnapshotRequest, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  contextSnapshot(argument: _camos_v1_ContextSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  contextSnapshot(argument: _camos_v1_ContextSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  contextSnapshot(argument: _camos_v1_ContextSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  contextSnapshot(argument: _camos_v1_ContextSnapshotRequest, callback: grpc.requestCallback<_camos_v1_ContextSnapshotResponse__Output>): grpc.ClientUnaryCall;
  
  ContextVersions(argument: _camos_v1_ContextVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  ContextVersions(argument: _camos_v1_ContextVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  ContextVersions(argument: _camos_v1_ContextVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  ContextVersions(argument: _camos_v1_ContextVersionsRequest, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  contextVersions(argument: _camos_v1_ContextVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  contextVersions(argument: _camos_v1_ContextVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  contextVersions(argument: _camos_v1_ContextVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  contextVersions(argument: _camos_v1_ContextVersionsRequest, callback: grpc.requestCallback<_camos_v1_ContextVersionsResponse__Output>): grpc.ClientUnaryCall;
  
  Decide(argument: _camos_v1_DecideRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  Decide(argument: _camos_v1_DecideRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  Decide(argument: _camos_v1_DecideRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  Decide(argument: _camos_v1_DecideRequest, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  decide(argument: _camos_v1_DecideRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  decide(argument: _camos_v1_DecideRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  decide(argument: _camos_v1_DecideRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  decide(argument: _camos_v1_DecideRequest, callback: grpc.requestCallback<_camos_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  
  EmitMetric(argument: _camos_v1_EmitMetricRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  EmitMetric(argument: _camos_v1_EmitMetricRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  EmitMetric(argument: _camos_v1_EmitMetricRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  EmitMetric(argument: _camos_v1_EmitMetricRequest, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  emitMetric(argument: _camos_v1_EmitMetricRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  emitMetric(argument: _camos_v1_EmitMetricRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  emitMetric(argument: _camos_v1_EmitMetricRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  emitMetric(argument: _camos_v1_EmitMetricRequest, callback: grpc.requestCallback<_camos_v1_EmitMetricResponse__Output>): grpc.ClientUnaryCall;
  
  EmitTrace(argument: _camos_v1_EmitTraceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  EmitTrace(argument: _camos_v1_EmitTraceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  EmitTrace(argument: _camos_v1_EmitTraceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  EmitTrace(argument: _camos_v1_EmitTraceRequest, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  emitTrace(argument: _camos_v1_EmitTraceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  emitTrace(argument: _camos_v1_EmitTraceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  emitTrace(argument: _camos_v1_EmitTraceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  emitTrace(argument: _camos_v1_EmitTraceRequest, callback: grpc.requestCallback<_camos_v1_EmitTraceResponse__Output>): grpc.ClientUnaryCall;
  
  ExplainAction(argument: _camos_v1_ExplainActionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  ExplainAction(argument: _camos_v1_ExplainActionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  ExplainAction(argument: _camos_v1_ExplainActionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  ExplainAction(argument: _camos_v1_ExplainActionRequest, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  explainAction(argument: _camos_v1_ExplainActionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  explainAction(argument: _camos_v1_ExplainActionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  explainAction(argument: _camos_v1_ExplainActionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  explainAction(argument: _camos_v1_ExplainActionRequest, callback: grpc.requestCallback<_camos_v1_ExplainActionResponse__Output>): grpc.ClientUnaryCall;
  
  Forget(argument: _camos_v1_ForgetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  Forget(argument: _camos_v1_ForgetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  Forget(argument: _camos_v1_ForgetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  Forget(argument: _camos_v1_ForgetRequest, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  forget(argument: _camos_v1_ForgetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  forget(argument: _camos_v1_ForgetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  forget(argument: _camos_v1_ForgetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  forget(argument: _camos_v1_ForgetRequest, callback: grpc.requestCallback<_camos_v1_ForgetResponse__Output>): grpc.ClientUnaryCall;
  
  HealthCheck(argument: _camos_v1_HealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  HealthCheck(argument: _camos_v1_HealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  HealthCheck(argument: _camos_v1_HealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  HealthCheck(argument: _camos_v1_HealthCheckRequest, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _camos_v1_HealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _camos_v1_HealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _camos_v1_HealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _camos_v1_HealthCheckRequest, callback: grpc.requestCallback<_camos_v1_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  
  Learn(argument: _camos_v1_LearnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  Learn(argument: _camos_v1_LearnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  Learn(argument: _camos_v1_LearnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  Learn(argument: _camos_v1_LearnRequest, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  learn(argument: _camos_v1_LearnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  learn(argument: _camos_v1_LearnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  learn(argument: _camos_v1_LearnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  learn(argument: _camos_v1_LearnRequest, callback: grpc.requestCallback<_camos_v1_LearnResponse__Output>): grpc.ClientUnaryCall;
  
  Observe(argument: _camos_v1_ObserveRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_ObserveBatch__Output>;
  Observe(argument: _camos_v1_ObserveRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_ObserveBatch__Output>;
  observe(argument: _camos_v1_ObserveRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_ObserveBatch__Output>;
  observe(argument: _camos_v1_ObserveRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_camos_v1_ObserveBatch__Output>;
  
  /**
   * Many unary syscalls over one stream. Each message carries one or more calls (a client
   * sends whatever it has queued, as a Redis pipeline does); answers come back as they
   * complete, several per message, each carrying its call's id, possibly out of order.
   */
  Pipeline(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_camos_v1_PipelineRequest, _camos_v1_PipelineResponse__Output>;
  Pipeline(options?: grpc.CallOptions): grpc.ClientDuplexStream<_camos_v1_PipelineRequest, _camos_v1_PipelineResponse__Output>;
  /**
   * Many unary syscalls over one stream. Each message carries one or more calls (a client
   * sends whatever it has queued, as a Redis pipeline does); answers come back as they
   * complete, several per message, each carrying its call's id, possibly out of order.
   */
  pipeline(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_camos_v1_PipelineRequest, _camos_v1_PipelineResponse__Output>;
  pipeline(options?: grpc.CallOptions): grpc.ClientDuplexStream<_camos_v1_PipelineRequest, _camos_v1_PipelineResponse__Output>;
  
  PolicyUpdate(argument: _camos_v1_PolicyUpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  PolicyUpdate(argument: _camos_v1_PolicyUpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  PolicyUpdate(argument: _camos_v1_PolicyUpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  PolicyUpdate(argument: _camos_v1_PolicyUpdateRequest, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _camos_v1_PolicyUpdateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _camos_v1_PolicyUpdateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _camos_v1_PolicyUpdateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _camos_v1_PolicyUpdateRequest, callback: grpc.requestCallback<_camos_v1_PolicyUpdateResponse__Output>): grpc.ClientUnaryCall;
  
  QueryPolicy(argument: _camos_v1_QueryPolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  QueryPolicy(argument: _camos_v1_QueryPolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  QueryPolicy(argument: _camos_v1_QueryPolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  QueryPolicy(argument: _camos_v1_QueryPolicyRequest, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  queryPolicy(argument: _camos_v1_QueryPolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  queryPolicy(argument: _camos_v1_QueryPolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  queryPolicy(argument: _camos_v1_QueryPolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  queryPolicy(argument: _camos_v1_QueryPolicyRequest, callback: grpc.requestCallback<_camos_v1_QueryPolicyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * System calls.
   */
  Recall(argument: _camos_v1_RecallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  Recall(argument: _camos_v1_RecallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  Recall(argument: _camos_v1_RecallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  Recall(argument: _camos_v1_RecallRequest, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  /**
   * System calls.
   */
  recall(argument: _camos_v1_RecallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  recall(argument: _camos_v1_RecallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  recall(argument: _camos_v1_RecallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  recall(argument: _camos_v1_RecallRequest, callback: grpc.requestCallback<_camos_v1_RecallResponse__Output>): grpc.ClientUnaryCall;
  
  RegisterAgent(argument: _camos_v1_RegisterAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  RegisterAgent(argument: _camos_v1_RegisterAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  RegisterAgent(argument: _camos_v1_RegisterAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  RegisterAgent(argument: _camos_v1_RegisterAgentRequest, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  registerAgent(argument: _camos_v1_RegisterAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  registerAgent(argument: _camos_v1_RegisterAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  registerAgent(argument: _camos_v1_RegisterAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  registerAgent(argument: _camos_v1_RegisterAgentRequest, callback: grpc.requestCallback<_camos_v1_RegisterAgentResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Cognitive syscalls.
   */
  Remember(argument: _camos_v1_RememberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  Remember(argument: _camos_v1_RememberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  Remember(argument: _camos_v1_RememberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  Remember(argument: _camos_v1_RememberRequest, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Cognitive syscalls.
   */
  remember(argument: _camos_v1_RememberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  remember(argument: _camos_v1_RememberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  remember(argument: _camos_v1_RememberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  remember(argument: _camos_v1_RememberRequest, callback: grpc.requestCallback<_camos_v1_RememberResponse__Output>): grpc.ClientUnaryCall;
  
  ReportTask(argument: _camos_v1_ReportTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  ReportTask(argument: _camos_v1_ReportTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  ReportTask(argument: _camos_v1_ReportTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  ReportTask(argument: _camos_v1_ReportTaskRequest, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  reportTask(argument: _camos_v1_ReportTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  reportTask(argument: _camos_v1_ReportTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  reportTask(argument: _camos_v1_ReportTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  reportTask(argument: _camos_v1_ReportTaskRequest, callback: grpc.requestCallback<_camos_v1_ReportTaskResponse__Output>): grpc.ClientUnaryCall;
  
  RollbackTask(argument: _camos_v1_RollbackTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  RollbackTask(argument: _camos_v1_RollbackTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  RollbackTask(argument: _camos_v1_RollbackTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  RollbackTask(argument: _camos_v1_RollbackTaskRequest, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  rollbackTask(argument: _camos_v1_RollbackTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  rollbackTask(argument: _camos_v1_RollbackTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  rollbackTask(argument: _camos_v1_RollbackTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  rollbackTask(argument: _camos_v1_RollbackTaskRequest, callback: grpc.requestCallback<_camos_v1_RollbackTaskResponse__Output>): grpc.ClientUnaryCall;
  
  Sign(argument: _camos_v1_SignRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  Sign(argument: _camos_v1_SignRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  Sign(argument: _camos_v1_SignRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  Sign(argument: _camos_v1_SignRequest, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  sign(argument: _camos_v1_SignRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  sign(argument: _camos_v1_SignRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  sign(argument: _camos_v1_SignRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  sign(argument: _camos_v1_SignRequest, callback: grpc.requestCallback<_camos_v1_SignResponse__Output>): grpc.ClientUnaryCall;
  
  TaskStatus(argument: _camos_v1_TaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  TaskStatus(argument: _camos_v1_TaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  TaskStatus(argument: _camos_v1_TaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  TaskStatus(argument: _camos_v1_TaskStatusRequest, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  taskStatus(argument: _camos_v1_TaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  taskStatus(argument: _camos_v1_TaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  taskStatus(argument: _camos_v1_TaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  taskStatus(argument: _camos_v1_TaskStatusRequest, callback: grpc.requestCallback<_camos_v1_TaskStatusResponse__Output>): grpc.ClientUnaryCall;
  
  Think(argument: _camos_v1_ThinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  Think(argument: _camos_v1_ThinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  Think(argument: _camos_v1_ThinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  Think(argument: _camos_v1_ThinkRequest, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  think(argument: _camos_v1_ThinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  think(argument: _camos_v1_ThinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  think(argument: _camos_v1_ThinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  think(argument: _camos_v1_ThinkRequest, callback: grpc.requestCallback<_camos_v1_ThinkResponse__Output>): grpc.ClientUnaryCall;
  
  TuneSystem(argument: _camos_v1_TuneSystemRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  TuneSystem(argument: _camos_v1_TuneSystemRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  TuneSystem(argument: _camos_v1_TuneSystemRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  TuneSystem(argument: _camos_v1_TuneSystemRequest, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  tuneSystem(argument: _camos_v1_TuneSystemRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  tuneSystem(argument: _camos_v1_TuneSystemRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  tuneSystem(argument: _camos_v1_TuneSystemRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  tuneSystem(argument: _camos_v1_TuneSystemRequest, callback: grpc.requestCallback<_camos_v1_TuneSystemResponse__Output>): grpc.ClientUnaryCall;
  
  VerifyManifest(argument: _camos_v1_VerifyManifestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  VerifyManifest(argument: _camos_v1_VerifyManifestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  VerifyManifest(argument: _camos_v1_VerifyManifestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  VerifyManifest(argument: _camos_v1_VerifyManifestRequest, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  verifyManifest(argument: _camos_v1_VerifyManifestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  verifyManifest(argument: _camos_v1_VerifyManifestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  verifyManifest(argument: _camos_v1_VerifyManifestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  verifyManifest(argument: _camos_v1_VerifyManifestRequest, callback: grpc.requestCallback<_camos_v1_VerifyManifestResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface KernelHandlers extends grpc.UntypedServiceImplementation {
  AgentSession: grpc.handleServerStreamingCall<_camos_v1_AgentSessionRequest__Output, _camos_v1_AgentSessionEvent>;
  
  Arbitrate: grpc.handleUnaryCall<_camos_v1_ArbitrateRequest__Output, _camos_v1_ArbitrateResponse>;
  
  ClusterStatus: grpc.handleUnaryCall<_camos_v1_ClusterStatusRequest__Output, _camos_v1_ClusterStatusResponse>;
  
  Collaborate: grpc.handleUnaryCall<_camos_v1_CollaborateRequest__Output, _camos_v1_CollaborateResponse>;
  
  CommitTask: grpc.handleUnaryCall<_camos_v1_CommitTaskRequest__Output, _camos_v1_CommitTaskResponse>;
  
  Communicate: grpc.handleUnaryCall<_camos_v1_CommunicateRequest__Output, _camos_v1_CommunicateResponse>;
  
  ContextRestore: grpc.handleUnaryCall<_camos_v1_ContextRestoreRequest__Output, _camos_v1_ContextRestoreResponse>;
  
  ContextSnapshot: grpc.handleUnaryCall<_camos_v1_ContextSnapshotRequest__Output, _camos_v1_ContextSnapshotResponse>;
  
  ContextVersions: grpc.handleUnaryCall<_camos_v1_ContextVersionsRequest__Output, _camos_v1_ContextVersionsResponse>;
  
  Decide: grpc.handleUnaryCall<_camos_v1_DecideRequest__Output, _camos_v1_DecideResponse>;
  
  EmitMetric: grpc.handleUnaryCall<_camos_v1_EmitMetricRequest__Output, _camos_v1_EmitMetricResponse>;
  
  EmitTrace: grpc.handleUnaryCall<_camos_v1_EmitTraceRequest__Output, _camos_v1_EmitTraceResponse>;
  
  ExplainAction: grpc.handleUnaryCall<_camos_v1_ExplainActionRequest__Output, _camos_v1_ExplainActionResponse>;
  
  Forget: grpc.handleUnaryCall<_camos_v1_ForgetRequest__Output, _camos_v1_ForgetResponse>;
  
  HealthCheck: grpc.handleUnaryCall<_camos_v1_HealthCheckRequest__Output, _camos_v1_HealthCheckResponse>;
  
  Learn: grpc.handleUnaryCall<_camos_v1_LearnRequest__Output, _camos_v1_LearnResponse>;
  
  Observe: grpc.handleServerStreamingCall<_camos_v1_ObserveRequest__Output, _camos_v1_ObserveBatch>;
  
  /**
   * Many unary syscalls over one stream. Each message carries one or more calls (a client
   * sends whatever it has queued, as a Redis pipeline does); answers come back as they
   * complete, several per message, each carrying its call's id, possibly out of order.
   */
  Pipeline: grpc.handleBidiStreamingCall<_camos_v1_PipelineRequest__Output, _camos_v1_PipelineResponse>;
  
  PolicyUpdate: grpc.handleUnaryCall<_camos_v1_PolicyUpdateRequest__Output, _camos_v1_PolicyUpdateResponse>;
  
  QueryPolicy: grpc.handleUnaryCall<_camos_v1_QueryPolicyRequest__Output, _camos_v1_QueryPolicyResponse>;
  
  /**
   * System calls.
   */
  Recall: grpc.handleUnaryCall<_camos_v1_RecallRequest__Output, _camos_v1_RecallResponse>;
  
  RegisterAgent: grpc.handleUnaryCall<_camos_v1_RegisterAgentRequest__Output, _camos_v1_RegisterAgentResponse>;
  
  /**
   * Cognitive syscalls.
   */
  Remember: grpc.handleUnaryCall<_camos_v1_RememberRequest__Output, _camos_v1_RememberResponse>;
  
  ReportTask: grpc.handleUnaryCall<_camos_v1_ReportTaskRequest__Output, _camos_v1_ReportTaskResponse>;
  
  RollbackTask: grpc.handleUnaryCall<_camos_v1_RollbackTaskRequest__Output, _camos_v1_RollbackTaskResponse>;
  
  Sign: grpc.handleUnaryCall<_camos_v1_SignRequest__Output, _camos_v1_SignResponse>;
  
  TaskStatus: grpc.handleUnaryCall<_camos_v1_TaskStatusRequest__Output, _camos_v1_TaskStatusResponse>;
  
  Think: grpc.handleUnaryCall<_camos_v1_ThinkRequest__Output, _camos_v1_ThinkResponse>;
  
  TuneSystem: grpc.handleUnaryCall<_camos_v1_TuneSystemRequest__Output, _camos_v1_TuneSystemResponse>;
  
  VerifyManifest: grpc.handleUnaryCall<_camos_v1_VerifyManifestRequest__Output, _camos_v1_VerifyManifestResponse>;
  
}

export interface KernelDefinition extends grpc.ServiceDefinition {
  AgentSession: MethodDefinition<_camos_v1_AgentSessionRequest, _camos_v1_AgentSessionEvent, _camos_v1_AgentSessionRequest__Output, _camos_v1_AgentSessionEvent__Output>
  Arbitrate: MethodDefinition<_camos_v1_ArbitrateRequest, _camos_v1_ArbitrateResponse, _camos_v1_ArbitrateRequest__Output, _camos_v1_ArbitrateResponse__Output>
  ClusterStatus: MethodDefinition<_camos_v1_ClusterStatusRequest, _camos_v1_ClusterStatusResponse, _camos_v1_ClusterStatusRequest__Output, _camos_v1_ClusterStatusResponse__Output>
  Collaborate: MethodDefinition<_camos_v1_CollaborateRequest, _camos_v1_CollaborateResponse, _camos_v1_CollaborateRequest__Output, _camos_v1_CollaborateResponse__Output>
  CommitTask: MethodDefinition<_camos_v1_CommitTaskRequest, _camos_v1_CommitTaskResponse, _camos_v1_CommitTaskRequest__Output, _camos_v1_CommitTaskResponse__Output>
  Communicate: MethodDefinition<_camos_v1_CommunicateRequest, _camos_v1_CommunicateResponse, _camos_v1_CommunicateRequest__Output, _camos_v1_CommunicateResponse__Output>
  ContextRestore: MethodDefinition<_camos_v1_ContextRestoreRequest, _camos_v1_ContextRestoreResponse, _camos_v1_ContextRestoreRequest__Output, _camos_v1_ContextRestoreResponse__Output>
  ContextSnapshot: MethodDefinition<_camos_v1_ContextSnapshotRequest, _camos_v1_ContextSnapshotResponse, _camos_v1_ContextSnapshotRequest__Output, _camos_v1_ContextSnapshotResponse__Output>
  ContextVersions: MethodDefinition<_camos_v1_ContextVersionsRequest, _camos_v1_ContextVersionsResponse, _camos_v1_ContextVersionsRequest__Output, _camos_v1_ContextVersionsResponse__Output>
  Decide: MethodDefinition<_camos_v1_DecideRequest, _camos_v1_DecideResponse, _camos_v1_DecideRequest__Output, _camos_v1_DecideResponse__Output>
  EmitMetric: MethodDefinition<_camos_v1_EmitMetricRequest, _camos_v1_EmitMetricResponse, _camos_v1_EmitMetricRequest__Output, _camos_v1_EmitMetricResponse__Output>
  EmitTrace: MethodDefinition<_camos_v1_EmitTraceRequest, _camos_v1_EmitTraceResponse, _camos_v1_EmitTraceRequest__Output, _camos_v1_EmitTraceResponse__Output>
  ExplainAction: MethodDefinition<_camos_v1_ExplainActionRequest, _camos_v1_ExplainActionResponse, _camos_v1_ExplainActionRequest__Output, _camos_v1_ExplainActionResponse__Output>
  Forget: MethodDefinition<_camos_v1_ForgetRequest, _camos_v1_ForgetResponse, _camos_v1_ForgetRequest__Output, _camos_v1_ForgetResponse__Output>
  HealthCheck: MethodDefinition<_camos_v1_HealthCheckRequest, _camos_v1_HealthCheckResponse, _camos_v1_HealthCheckRequest__Output, _camos_v1_HealthCheckResponse__Output>
  Learn: MethodDefinition<_camos_v1_LearnRequest, _camos_v1_LearnResponse, _camos_v1_LearnRequest__Output, _camos_v1_LearnResponse__Output>
  Observe: MethodDefinition<_camos_v1_ObserveRequest, _camos_v1_ObserveBatch, _camos_v1_ObserveRequest__Output, _camos_v1_ObserveBatch__Output>
  Pipeline: MethodDefinition<_camos_v1_PipelineRequest, _camos_v1_PipelineResponse, _camos_v1_PipelineRequest__Output, _camos_v1_PipelineResponse__Output>
  PolicyUpdate: MethodDefinition<_camos_v1_PolicyUpdateRequest, _camos_v1_PolicyUpdateResponse, _camos_v1_PolicyUpdateRequest__Output, _camos_v1_PolicyUpdateResponse__Output>
  QueryPolicy: MethodDefinition<_camos_v1_QueryPolicyRequest, _camos_v1_QueryPolicyResponse, _camos_v1_QueryPolicyRequest__Output, _camos_v1_QueryPolicyResponse__Output>
  Recall: MethodDefinition<_camos_v1_RecallRequest, _camos_v1_RecallResponse, _camos_v1_RecallRequest__Output, _camos_v1_RecallResponse__Output>
  RegisterAgent: MethodDefinition<_camos_v1_RegisterAgentRequest, _camos_v1_RegisterAgentResponse, _camos_v1_RegisterAgentRequest__Output, _camos_v1_RegisterAgentResponse__Output>
  Remember: MethodDefinition<_camos_v1_RememberRequest, _camos_v1_RememberResponse, _camos_v1_RememberRequest__Output, _camos_v1_RememberResponse__Output>
  ReportTask: MethodDefinition<_camos_v1_ReportTaskRequest, _camos_v1_ReportTaskResponse, _camos_v1_ReportTaskRequest__Output, _camos_v1_ReportTaskResponse__Output>
  RollbackTask: MethodDefinition<_camos_v1_RollbackTaskRequest, _camos_v1_RollbackTaskResponse, _camos_v1_RollbackTaskRequest__Output, _camos_v1_RollbackTaskResponse__Output>
  Sign: MethodDefinition<_camos_v1_SignRequest, _camos_v1_SignResponse, _camos_v1_SignRequest__Output, _camos_v1_SignResponse__Output>
  TaskStatus: MethodDefinition<_camos_v1_TaskStatusRequest, _camos_v1_TaskStatusResponse, _camos_v1_TaskStatusRequest__Output, _camos_v1_TaskStatusResponse__Output>
  Think: MethodDefinition<_camos_v1_ThinkRequest, _camos_v1_ThinkResponse, _camos_v1_ThinkRequest__Output, _camos_v1_ThinkResponse__Output>
  TuneSystem: MethodDefinition<_camos_v1_TuneSystemRequest, _camos_v1_TuneSystemResponse, _camos_v1_TuneSystemRequest__Output, _camos_v1_TuneSystemResponse__Output>
  VerifyManifest: MethodDefinition<_camos_v1_VerifyManifestRequest, _camos_v1_VerifyManifestResponse, _camos_v1_VerifyManifestRequest__Output, _camos_v1_VerifyManifestResponse__Output>
}
