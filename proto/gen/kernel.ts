import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentMessage as _camos_v1_AgentMessage, AgentMessage__Output as _camos_v1_AgentMessage__Output } from './camos/v1/AgentMessage.js';
import type { AgentSessionEvent as _camos_v1_AgentSessionEvent, AgentSessionEvent__Output as _camos_v1_AgentSessionEvent__Output } from './camos/v1/AgentSessionEvent.js';
import type { AgentSessionRequest as _camos_v1_AgentSessionRequest, AgentSessionRequest__Output as _camos_v1_AgentSessionRequest__Output } from './camos/v1/AgentSessionRequest.js';
import type { ArbitrateRequest as _camos_v1_ArbitrateRequest, ArbitrateRequest__Output as _camos_v1_ArbitrateRequest__Output } from './camos/v1/ArbitrateRequest.js';
import type { ArbitrateResponse as _camos_v1_ArbitrateResponse, ArbitrateResponse__Output as _camos_v1_ArbitrateResponse__Output } from './camos/v1/ArbitrateResponse.js';
import type { CallError as _camos_v1_CallError, CallError__Output as _camos_v1_CallError__Output } from './camos/v1/CallError.js';
import type { Candidate as _camos_v1_Candidate, Candidate__Output as _camos_v1_Candidate__Output } from './camos/v1/Candidate.js';
import type { ClusterStatusRequest as _camos_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _camos_v1_ClusterStatusRequest__Output } from './camos/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _camos_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _camos_v1_ClusterStatusResponse__Output } from './camos/v1/ClusterStatusResponse.js';
import type { CollaborateRequest as _camos_v1_CollaborateRequest, CollaborateRequest__Output as _camos_v1_CollaborateRequest__Output } from './camos/v1/CollaborateRequest.js';
import type { CollaborateResponse as _camos_v1_CollaborateResponse, CollaborateResponse__Output as _camos_v1_CollaborateResponse__Output } from './camos/v1/CollaborateResponse.js';
import type { CollaborationTask as _camos_v1_CollaborationTask, CollaborationTask__Output as _camos_v1_CollaborationTask__Output } from './camos/v1/CollaborationTask.js';
import type { CommitTaskRequest as _camos_v1_CommitTaskRequest, CommitTaskRequest__Output as _camos_v1_CommitTaskRequest__Output } from './camos/v1/CommitTaskRequest.js';
import type { CommitTaskResponse as _camos_v1_CommitTaskResponse, CommitTaskResponse__Output as _camos_v1_CommitTaskResponse__Output } from './camos/v1/CommitTaskResponse.js';
import type { CommunicateRequest as _camos_v1_CommunicateRequest, CommunicateRequest__Output as _camos_v1_CommunicateRequest__Output } from './camos/v1/CommunicateRequest.js';
import type { CommunicateResponse as _camos_v1_CommunicateResponse, CommunicateResponse__Output as _camos_v1_CommunicateResponse__Output } from './camos/v1/CommunicateResponse.js';
import type { ComponentHealth as _camos_v1_ComponentHealth, ComponentHealth__Output as _camos_v1_ComponentHealth__Output } from './camos/v1/ComponentHealth.js';
import type { ContextRestoreRequest as _camos_v1_ContextRestoreRequest, ContextRestoreRequest__Output as _camos_v1_ContextRestoreRequest__Output } from './camos/v1/ContextRestoreRequest.js';
import type { ContextRestoreResponse as _camos_v1_ContextRestoreResponse, ContextRestoreResponse__Output as _camos_v1_ContextRestoreResponse__Output } from './camos/v1/ContextRestoreResponse.js';
import type { ContextSnapshotRequest as _camos_v1_ContextSnapshotRequest, ContextSnapshotRequest__Output as _camos_v1_ContextSnapshotRequest__Output } from './camos/v1/ContextSnapshotRequest.js';
import type { ContextSnapshotResponse as _camos_v1_ContextSnapshotResponse, ContextSnapshotResponse__Output as _camos_v1_ContextSnapshotResponse__Output } from './camos/v1/ContextSnapshotResponse.js';
import type { ContextVersionsRequest as _camos_v1_ContextVersionsRequest, ContextVersionsRequest__Output as _camos_v1_ContextVersionsRequest__Output } from './camos/v1/ContextVersionsRequest.js';
import type { ContextVersionsResponse as _camos_v1_ContextVersionsResponse, ContextVersionsResponse__Output as _camos_v1_ContextVersionsResponse__Output } from './camos/v1/ContextVersionsResponse.js';
import type { Criterion as _camos_v1_Criterion, Criterion__Output as _camos_v1_Criterion__Output } from './camos/v1/Criterion.js';
import type { DecideRequest as _camos_v1_DecideRequest, DecideRequest__Output as _camos_v1_DecideRequest__Output } from './camos/v1/DecideRequest.js';
import type { DecideResponse as _camos_v1_DecideResponse, DecideResponse__Output as _camos_v1_DecideResponse__Output } from './camos/v1/DecideResponse.js';
import type { DecisionOption as _camos_v1_DecisionOption, DecisionOption__Output as _camos_v1_DecisionOption__Output } from './camos/v1/DecisionOption.js';
import type { DecisionRef as _camos_v1_DecisionRef, DecisionRef__Output as _camos_v1_DecisionRef__Output } from './camos/v1/DecisionRef.js';
import type { EmitMetricRequest as _camos_v1_EmitMetricRequest, EmitMetricRequest__Output as _camos_v1_EmitMetricRequest__Output } from './camos/v1/EmitMetricRequest.js';
import type { EmitMetricResponse as _camos_v1_EmitMetricResponse, EmitMetricResponse__Output as _camos_v1_EmitMetricResponse__Output } from './camos/v1/EmitMetricResponse.js';
import type { EmitTraceRequest as _camos_v1_EmitTraceRequest, EmitTraceRequest__Output as _camos_v1_EmitTraceRequest__Output } from './camos/v1/EmitTraceRequest.js';
import type { EmitTraceResponse as _camos_v1_EmitTraceResponse, EmitTraceResponse__Output as _camos_v1_EmitTraceResponse__Output } from './camos/v1/EmitTraceResponse.js';
import type { Entry as _camos_v1_Entry, Entry__Output as _camos_v1_Entry__Output } from './camos/v1/Entry.js';
import type { ExplainActionRequest as _camos_v1_ExplainActionRequest, ExplainActionRequest__Output as _camos_v1_ExplainActionRequest__Output } from './camos/v1/ExplainActionRequest.js';
import type { ExplainActionResponse as _camos_v1_ExplainActionResponse, ExplainActionResponse__Output as _camos_v1_ExplainActionResponse__Output } from './camos/v1/ExplainActionResponse.js';
import type { ForgetRequest as _camos_v1_ForgetRequest, ForgetRequest__Output as _camos_v1_ForgetRequest__Output } from './camos/v1/ForgetRequest.js';
import type { ForgetResponse as _camos_v1_ForgetResponse, ForgetResponse__Output as _camos_v1_ForgetResponse__Output } from './camos/v1/ForgetResponse.js';
import type { HealthCheckRequest as _camos_v1_HealthCheckRequest, HealthCheckRequest__Output as _camos_v1_HealthCheckRequest__Output } from './camos/v1/HealthCheckRequest.js';
import type { HealthCheckResponse as _camos_v1_HealthCheckResponse, HealthCheckResponse__Output as _camos_v1_HealthCheckResponse__Output } from './camos/v1/HealthCheckResponse.js';
import type { Hlc as _camos_v1_Hlc, Hlc__Output as _camos_v1_Hlc__Output } from './camos/v1/Hlc.js';
import type { KernelClient as _camos_v1_KernelClient, KernelDefinition as _camos_v1_KernelDefinition } from './camos/v1/Kernel.js';
import type { LearnRequest as _camos_v1_LearnRequest, LearnRequest__Output as _camos_v1_LearnRequest__Output } from './camos/v1/LearnRequest.js';
import type { LearnResponse as _camos_v1_LearnResponse, LearnResponse__Output as _camos_v1_LearnResponse__Output } from './camos/v1/LearnResponse.js';
import type { Member as _camos_v1_Member, Member__Output as _camos_v1_Member__Output } from './camos/v1/Member.js';
import type { ObserveBatch as _camos_v1_ObserveBatch, ObserveBatch__Output as _camos_v1_ObserveBatch__Output } from './camos/v1/ObserveBatch.js';
import type { ObserveEvent as _camos_v1_ObserveEvent, ObserveEvent__Output as _camos_v1_ObserveEvent__Output } from './camos/v1/ObserveEvent.js';
import type { ObserveRequest as _camos_v1_ObserveRequest, ObserveRequest__Output as _camos_v1_ObserveRequest__Output } from './camos/v1/ObserveRequest.js';
import type { PipelineCall as _camos_v1_PipelineCall, PipelineCall__Output as _camos_v1_PipelineCall__Output } from './camos/v1/PipelineCall.js';
import type { PipelineRequest as _camos_v1_PipelineRequest, PipelineRequest__Output as _camos_v1_PipelineRequest__Output } from './camos/v1/PipelineRequest.js';
import type { PipelineResponse as _camos_v1_PipelineResponse, PipelineResponse__Output as _camos_v1_PipelineResponse__Output } from './camos/v1/PipelineResponse.js';
import type { PipelineResult as _camos_v1_PipelineResult, PipelineResult__Output as _camos_v1_PipelineResult__Output } from './camos/v1/PipelineResult.js';
import type { PolicyUpdateRequest as _camos_v1_PolicyUpdateRequest, PolicyUpdateRequest__Output as _camos_v1_PolicyUpdateRequest__Output } from './camos/v1/PolicyUpdateRequest.js';
import type { PolicyUpdateResponse as _camos_v1_PolicyUpdateResponse, PolicyUpdateResponse__Output as _camos_v1_PolicyUpdateResponse__Output } from './camos/v1/PolicyUpdateResponse.js';
import type { QueryPolicyRequest as _camos_v1_QueryPolicyRequest, QueryPolicyRequest__Output as _camos_v1_QueryPolicyRequest__Output } from './camos/v1/QueryPolicyRequest.js';
import type { QueryPolicyResponse as _camos_v1_QueryPolicyResponse, QueryPolicyResponse__Output as _camos_v1_QueryPolicyResponse__Output } from './camos/v1/QueryPolicyResponse.js';
import type { RecallRequest as _camos_v1_RecallRequest, RecallRequest__Output as _camos_v1_RecallRequest__Output } from './camos/v1/RecallRequest.js';
import type { RecallResponse as _camos_v1_RecallResponse, RecallResponse__Output as _camos_v1_RecallResponse__Output } from './camos/v1/RecallResponse.js';
import type { RegisterAgentRequest as _camos_v1_RegisterAgentRequest, RegisterAgentRequest__Output as _camos_v1_RegisterAgentRequest__Output } from './camos/v1/RegisterAgentRequest.js';
import type { RegisterAgentResponse as _camos_v1_RegisterAgentResponse, RegisterAgentResponse__Output as _camos_v1_RegisterAgentResponse__Output } from './camos/v1/RegisterAgentResponse.js';
import type { RememberRequest as _camos_v1_RememberRequest, RememberRequest__Output as _camos_v1_RememberRequest__Output } from './camos/v1/RememberRequest.js';
import type { RememberResponse as _camos_v1_RememberResponse, RememberResponse__Output as _camos_v1_RememberResponse__Output } from './camos/v1/RememberResponse.js';
import type { ReportTaskRequest as _camos_v1_ReportTaskRequest, ReportTaskRequest__Output as _camos_v1_ReportTaskRequest__Output } from './camos/v1/ReportTaskRequest.js';
import type { ReportTaskResponse as _camos_v1_ReportTaskResponse, ReportTaskResponse__Output as _camos_v1_ReportTaskResponse__Output } from './camos/v1/ReportTaskResponse.js';
import type { RollbackTaskRequest as _camos_v1_RollbackTaskRequest, RollbackTaskRequest__Output as _camos_v1_RollbackTaskRequest__Output } from './camos/v1/RollbackTaskRequest.js';
import type { RollbackTaskResponse as _camos_v1_RollbackTaskResponse, RollbackTaskResponse__Output as _camos_v1_RollbackTaskResponse__Output } from './camos/v1/RollbackTaskResponse.js';
import type { ScoreComponent as _camos_v1_ScoreComponent, ScoreComponent__Output as _camos_v1_ScoreComponent__Output } from './camos/v1/ScoreComponent.js';
import type { SignRequest as _camos_v1_SignRequest, SignRequest__Output as _camos_v1_SignRequest__Output } from './camos/v1/SignRequest.js';
import type { SignResponse as _camos_v1_SignResponse, SignResponse__Output as _camos_v1_SignResponse__Output } from './camos/v1/SignResponse.js';
import type { TaskAssignment as _camos_v1_TaskAssignment, TaskAssignment__Output as _camos_v1_TaskAssignment__Output } from './camos/v1/TaskAssignment.js';
import type { TaskEvent as _camos_v1_TaskEvent, TaskEvent__Output as _camos_v1_TaskEvent__Output } from './camos/v1/TaskEvent.js';
import type { TaskSpec as _camos_v1_TaskSpec, TaskSpec__Output as _camos_v1_TaskSpec__Output } from './camos/v1/TaskSpec.js';
import type { TaskStatusRequest as _camos_v1_TaskStatusRequest, TaskStatusRequest__Output as _camos_v1_TaskStatusRequest__Output } from './camos/v1/TaskStatusRequest.js';
import type { TaskStatusResponse as _camos_v1_TaskStatusResponse, TaskStatusResponse__Output as _camos_v1_TaskStatusResponse__Output } from './camos/v1/TaskStatusResponse.js';
import type { ThinkRequest as _camos_v1_ThinkRequest, ThinkRequest__Output as _camos_v1_ThinkRequest__Output } from './camos/v1/ThinkRequest.js';
import type { ThinkResponse as _camos_v1_ThinkResponse, ThinkResponse__Output as _camos_v1_ThinkResponse__Output } from './camos/v1/ThinkResponse.js';
import type { TuneSystemRequest as _camos_v1_TuneSystemRequest, TuneSystemRequest__Output as _camos_v1_TuneSystemRequest__Output } from './camos/v1/TuneSystemRequest.js';
import type { TuneSystemResponse as _camos_v1_TuneSystemResponse, TuneSystemResponse__Output as _camos_v1_TuneSystemResponse__Output } from './camos/v1/TuneSystemResponse.js';
import type { Value as _camos_v1_Value, Value__Output as _camos_v1_Value__Output } from './camos/v1/Value.js';
import type { VerifyManifestRequest as _camos_v1_VerifyManifestRequest, VerifyManifestRequest__Output as _camos_v1_VerifyManifestRequest__Output } from './camos/v1/VerifyManifestRequest.js';
import type { VerifyManifestResponse as _camos_v1_VerifyManifestResponse, VerifyManifestResponse__Output as _camos_v1_VerifyManifestResponse__Output } from './camos/v1/VerifyManifestResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  camos: {
    v1: {
      AgentMessage: MessageTypeDefinition<_camos_v1_AgentMessage, _camos_v1_AgentMessage__Output>
      AgentSessionEvent: MessageTypeDefinition<_camos_v1_AgentSessionEvent, _camos_v1_AgentSessionEvent__Output>
      AgentSessionRequest: MessageTypeDefinition<_camos_v1_AgentSessionRequest, _camos_v1_AgentSessionRequest__Output>
      ArbitrateRequest: MessageTypeDefinition<_camos_v1_ArbitrateRequest, _camos_v1_ArbitrateRequest__Output>
      ArbitrateResponse: MessageTypeDefinition<_camos_v1_ArbitrateResponse, _camos_v1_ArbitrateResponse__Output>
      CallError: MessageTypeDefinition<_camos_v1_CallError, _camos_v1_CallError__Output>
      Candidate: MessageTypeDefinition<_camos_v1_Candidate, _camos_v1_Candidate__Output>
      ClusterStatusRequest: MessageTypeDefinition<_camos_v1_ClusterStatusRequest, _camos_v1_ClusterStatusRequest__Output>
      ClusterStatusResponse: MessageTypeDefinition<_camos_v1_ClusterStatusResponse, _camos_v1_ClusterStatusResponse__Output>
      CollaborateRequest: MessageTypeDefinition<_camos_v1_CollaborateRequest, _camos_v1_CollaborateRequest__Output>
      CollaborateResponse: MessageTypeDefinition<_camos_v1_CollaborateResponse, _camos_v1_CollaborateResponse__Output>
      CollaborationTask: MessageTypeDefinition<_camos_v1_CollaborationTask, _camos_v1_CollaborationTask__Output>
      CommitTaskRequest: MessageTypeDefinition<_camos_v1_CommitTaskRequest, _camos_v1_CommitTaskRequest__Output>
      CommitTaskResponse: MessageTypeDefinition<_camos_v1_CommitTaskResponse, _camos_v1_CommitTaskResponse__Output>
      CommunicateRequest: MessageTypeDefinition<_camos_v1_CommunicateRequest, _camos_v1_CommunicateRequest__Output>
      CommunicateResponse: MessageTypeDefinition<_camos_v1_CommunicateResponse, _camos_v1_CommunicateResponse__Output>
      ComponentHealth: MessageTypeDefinition<_camos_v1_ComponentHealth, _camos_v1_ComponentHealth__Output>
      ContextRestoreRequest: MessageTypeDefinition<_camos_v1_ContextRestoreRequest, _camos_v1_ContextRestoreRequest__Output>
      ContextRestoreResponse: MessageTypeDefinition<_camos_v1_ContextRestoreResponse, _camos_v1_ContextRestoreResponse__Output>
      ContextSnapshotRequest: MessageTypeDefinition<_camos_v1_ContextSnapshotRequest, _camos_v1_ContextSnapshotRequest__Output>
      ContextSnapshotResponse: MessageTypeDefinition<_camos_v1_ContextSnapshotResponse, _camos_v1_ContextSnapshotResponse__Output>
      ContextVersionsRequest: MessageTypeDefinition<_camos_v1_ContextVersionsRequest, _camos_v1_ContextVersionsRequest__Output>
      ContextVersionsResponse: MessageTypeDefinition<_camos_v1_ContextVersionsResponse, _camos_v1_ContextVersionsResponse__Output>
      Criterion: MessageTypeDefinition<_camos_v1_Criterion, _camos_v1_Criterion__Output>
      DecideRequest: MessageTypeDefinition<_camos_v1_DecideRequest, _camos_v1_DecideRequest__Output>
      DecideResponse: MessageTypeDefinition<_camos_v1_DecideResponse, _camos_v1_DecideResponse__Output>
      DecisionOption: MessageTypeDefinition<_camos_v1_DecisionOption, _camos_v1_DecisionOption__Output>
      DecisionRef: MessageTypeDefinition<_camos_v1_DecisionRef, _camos_v1_DecisionRef__Output>
      Durability: EnumTypeDefinition
      EmitMetricRequest: MessageTypeDefinition<_camos_v1_EmitMetricRequest, _camos_v1_EmitMetricRequest__Output>
      EmitMetricResponse: MessageTypeDefinition<_camos_v1_EmitMetricResponse, _camos_v1_EmitMetricResponse__Output>
      EmitTraceRequest: MessageTypeDefinition<_camos_v1_EmitTraceRequest, _camos_v1_EmitTraceRequest__Output>
      EmitTraceResponse: MessageTypeDefinition<_camos_v1_EmitTraceResponse, _camos_v1_EmitTraceResponse__Output>
      Entry: MessageTypeDefinition<_camos_v1_Entry, _camos_v1_Entry__Output>
      ExplainActionRequest: MessageTypeDefinition<_camos_v1_ExplainActionRequest, _camos_v1_ExplainActionRequest__Output>
      ExplainActionResponse: MessageTypeDefinition<_camos_v1_ExplainActionResponse, _camos_v1_ExplainActionResponse__Output>
      ExplainLevel: EnumTypeDefinition
      ForgetRequest: MessageTypeDefinition<_camos_v1_ForgetRequest, _camos_v1_ForgetRequest__Output>
      ForgetResponse: MessageTypeDefinition<_camos_v1_ForgetResponse, _camos_v1_ForgetResponse__Output>
      HealthCheckRequest: MessageTypeDefinition<_camos_v1_HealthCheckRequest, _camos_v1_HealthCheckRequest__Output>
      HealthCheckResponse: MessageTypeDefinition<_camos_v1_HealthCheckResponse, _camos_v1_HealthCheckResponse__Output>
      Hlc: MessageTypeDefinition<_camos_v1_Hlc, _camos_v1_Hlc__Output>
      Kernel: SubtypeConstructor<typeof grpc.Client, _camos_v1_KernelClient> & { service: _camos_v1_KernelDefinition }
      LearnRequest: MessageTypeDefinition<_camos_v1_LearnRequest, _camos_v1_LearnRequest__Output>
      LearnResponse: MessageTypeDefinition<_camos_v1_LearnResponse, _camos_v1_LearnResponse__Output>
      Member: MessageTypeDefinition<_camos_v1_Member, _camos_v1_Member__Output>
      MemberState: EnumTypeDefinition
      ObserveBatch: MessageTypeDefinition<_camos_v1_ObserveBatch, _camos_v1_ObserveBatch__Output>
      ObserveEvent: MessageTypeDefinition<_camos_v1_ObserveEvent, _camos_v1_ObserveEvent__Output>
      ObserveRequest: MessageTypeDefinition<_camos_v1_ObserveRequest, _camos_v1_ObserveRequest__Output>
      PipelineCall: MessageTypeDefinition<_camos_v1_PipelineCall, _camos_v1_PipelineCall__Output>
      PipelineRequest: MessageTypeDefinition<_camos_v1_PipelineRequest, _camos_v1_PipelineRequest__Output>
      PipelineResponse: MessageTypeDefinition<_camos_v1_PipelineResponse, _camos_v1_PipelineResponse__Output>
      PipelineResult: MessageTypeDefinition<_camos_v1_PipelineResult, _camos_v1_PipelineResult__Output>
      PolicyUpdateRequest: MessageTypeDefinition<_camos_v1_PolicyUpdateRequest, _camos_v1_PolicyUpdateRequest__Output>
      PolicyUpdateResponse: MessageTypeDefinition<_camos_v1_PolicyUpdateResponse, _camos_v1_PolicyUpdateResponse__Output>
      QueryPolicyRequest: MessageTypeDefinition<_camos_v1_QueryPolicyRequest, _camos_v1_QueryPolicyRequest__Output>
      QueryPolicyResponse: MessageTypeDefinition<_camos_v1_QueryPolicyResponse, _camos_v1_QueryPolicyResponse__Output>
      RecallRequest: MessageTypeDefinition<_camos_v1_RecallRequest, _camos_v1_RecallRequest__Output>
      RecallResponse: MessageTypeDefinition<_camos_v1_RecallResponse, _camos_v1_RecallResponse__Output>
      RegisterAgentRequest: MessageTypeDefinition<_camos_v1_RegisterAgentRequest, _camos_v1_RegisterAgentRequest__Output>
      RegisterAgentResponse: MessageTypeDefinition<_camos_v1_RegisterAgentResponse, _camos_v1_RegisterAgentResponse__Output>
      RememberRequest: MessageTypeDefinition<_camos_v1_RememberRequest, _camos_v1_RememberRequest__Output>
      RememberResponse: MessageTypeDefinition<_camos_v1_RememberResponse, _camos_v1_RememberResponse__Output>
      ReportTaskRequest: MessageTypeDefinition<_camos_v1_ReportTaskRequest, _camos_v1_ReportTaskRequest__Output>
      ReportTaskResponse: MessageTypeDefinition<_camos_v1_ReportTaskResponse, _camos_v1_ReportTaskResponse__Output>
      RollbackTaskRequest: MessageTypeDefinition<_camos_v1_RollbackTaskRequest, _camos_v1_RollbackTaskRequest__Output>
      RollbackTaskResponse: MessageTypeDefinition<_camos_v1_RollbackTaskResponse, _camos_v1_RollbackTaskResponse__Output>
      ScoreComponent: MessageTypeDefinition<_camos_v1_ScoreComponent, _camos_v1_ScoreComponent__Output>
      ServingState: EnumTypeDefinition
      SignRequest: MessageTypeDefinition<_camos_v1_SignRequest, _camos_v1_SignRequest__Output>
      SignResponse: MessageTypeDefinition<_camos_v1_SignResponse, _camos_v1_SignResponse__Output>
      TaskAssignment: MessageTypeDefinition<_camos_v1_TaskAssignment, _camos_v1_TaskAssignment__Output>
      TaskEvent: MessageTypeDefinition<_camos_v1_TaskEvent, _camos_v1_TaskEvent__Output>
      TaskSpec: MessageTypeDefinition<_camos_v1_TaskSpec, _camos_v1_TaskSpec__Output>
      TaskState: EnumTypeDefinition
      TaskStatusRequest: MessageTypeDefinition<_camos_v1_TaskStatusRequest, _camos_v1_TaskStatusRequest__Output>
      TaskStatusResponse: MessageTypeDefinition<_camos_v1_TaskStatusResponse, _camos_v1_TaskStatusResponse__Output>
      ThinkRequest: MessageTypeDefinition<_camos_v1_ThinkRequest, _camos_v1_ThinkRequest__Output>
      ThinkResponse: MessageTypeDefinition<_camos_v1_ThinkResponse, _camos_v1_ThinkResponse__Output>
      TuneSystemRequest: MessageTypeDefinition<_camos_v1_TuneSystemRequest, _camos_v1_TuneSystemRequest__Output>
      TuneSystemResponse: MessageTypeDefinition<_camos_v1_TuneSystemResponse, _camos_v1_TuneSystemResponse__Output>
      Value: MessageTypeDefinition<_camos_v1_Value, _camos_v1_Value__Output>
      VerifyManifestRequest: MessageTypeDefinition<_camos_v1_VerifyManifestRequest, _camos_v1_VerifyManifestRequest__Output>
      VerifyManifestResponse: MessageTypeDefinition<_camos_v1_VerifyManifestResponse, _camos_v1_VerifyManifestResponse__Output>
    }
  }
}

