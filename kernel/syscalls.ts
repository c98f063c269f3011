/**
 * The syscall table: every RPC of camos.v1.Kernel with its shape, default deadline and field
 * name inside PipelineCall / PipelineResult. The gRPC server, the HTTP gateway, the
 * pipeline and the README's list of unimplemented calls are all derived from this table.
 */

export type SyscallKind = 'unary' | 'server-stream'

export interface SyscallInfo {
  kind: SyscallKind
  /** Default deadline in ms; a server stream's deadline covers only its initial answer. */
  deadlineMs: number
  /** Field name in the PipelineCall/PipelineResult oneofs (unary calls only). */
  pipelineField?: string
  /**
   * Server streams whose gRPC messages carry several events: the repeated field holding them.
   * grpc-js completes one message write per event-loop turn, so on a busy node a burst sent
   * event by event trickled out at a few events per turn.
   */
  batchField?: string
  cognitive: boolean
}

/** Default deadline of a unary syscall, ms. */
export const DEFAULT_DEADLINE_MS = 5_000
/** Default deadline of snapshot/restore, which touch a whole namespace, ms. */
export const DEFAULT_BULK_DEADLINE_MS = 30_000

const unary = (pipelineField: string, cognitive: boolean, deadlineMs = DEFAULT_DEADLINE_MS): SyscallInfo =>
  ({ kind: 'unary', deadlineMs, pipelineField, cognitive })
const stream = (cognitive: boolean, deadlineMs = DEFAULT_DEADLINE_MS, batchField?: string): SyscallInfo =>
  ({ kind: 'server-stream', deadlineMs, cognitive, ...(batchField === undefined ? {} : { batchField }) })

export const SYSCALLS = {
  Remember: unary('remember', true),
  Forget: unary('forget', true),
  // Its initial answer may be a whole namespace, sent at the pace the client reads it.
  Observe: stream(true, DEFAULT_BULK_DEADLINE_MS, 'events'),
  Think: unary('think', true),
  Decide: unary('decide', true),
  Arbitrate: unary('arbitrate', true),
  CommitTask: unary('commitTask', true),
  RollbackTask: unary('rollbackTask', true),
  RegisterAgent: unary('registerAgent', true),
  Learn: unary('learn', true),
  Communicate: unary('communicate', true),
  Collaborate: unary('collaborate', true),
  QueryPolicy: unary('queryPolicy', true),
  ExplainAction: unary('explainAction', true),
  TuneSystem: unary('tuneSystem', true),
  Recall: unary('recall', false),
  ContextSnapshot: unary('contextSnapshot', false, DEFAULT_BULK_DEADLINE_MS),
  ContextRestore: unary('contextRestore', false, DEFAULT_BULK_DEADLINE_MS),
  ContextVersions: unary('contextVersions', false),
  HealthCheck: unary('healthCheck', false),
  ClusterStatus: unary('clusterStatus', false),
  TaskStatus: unary('taskStatus', false),
  AgentSession: stream(false),
  ReportTask: unary('reportTask', false),
  PolicyUpdate: unary('policyUpdate', false),
  Sign: unary('sign', false),
  VerifyManifest: unary('verifyManifest', false),
  EmitMetric: unary('emitMetric', false),
  EmitTrace: unary('emitTrace', false)
} satisfies Record<string, SyscallInfo>

export type SyscallName = keyof typeof SYSCALLS

/** The repeated field of a batched server stream's messages, or undefined (see SyscallInfo). */
export function batchFieldOf (syscall: string): string | undefined {
  return (SYSCALLS[syscall as SyscallName] as SyscallInfo | undefined)?.batchField
}

export const SYSCALL_NAMES = Object.keys(SYSCALLS) as SyscallName[]

export function isSyscallName (name: string): name is SyscallName {
  return Object.hasOwn(SYSCALLS, name)
}

/** Calls one Pipeline message may carry (PipelineRequest.calls). */
export const MAX_PIPELINE_CALLS = 1024
/** Events one message of a batched server stream carries at most. */
export const MAX_STREAM_BATCH_EVENTS = 1024

/** PipelineCall oneof field → syscall name. */
export const PIPELINE_FIELDS: ReadonlyMap<string, SyscallName> = new Map(
  SYSCALL_NAMES.flatMap(name => {
    const field = (SYSCALLS[name] as SyscallInfo).pipelineField
    return field === undefined ? [] : [[field, name] as const]
  })
)
