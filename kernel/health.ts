/**
 * The HealthCheck syscall: node identity, uptime and the state of each component. Storage
 * that is degraded (a write-behind Redis unreachable) leaves the node SERVING-but-DEGRADED;
 * storage that is down makes it NOT_SERVING for writes, reported as NOT_SERVING.
 */
import type { StorageHealth, StorageHealthState } from '../crdt/storage/adapter.js'
import type { UnarySyscallHandler } from './handler.js'
import type { ComponentHealth__Output } from '../proto/gen/camos/v1/ComponentHealth.js'
import type { HealthCheckResponse__Output } from '../proto/gen/camos/v1/HealthCheckResponse.js'
import type { ServingState__Output } from '../proto/gen/camos/v1/ServingState.js'

export interface HealthComponents {
  storageHealth: () => StorageHealth
  documentCount: () => number
  /** Milliseconds since the Unix epoch; injectable for tests. */
  now?: () => number
}

export interface HealthInit {
  nodeId: string
  version: string
  /** ms since the Unix epoch when the node started. */
  startedAt: number
}

export interface HealthSyscalls {
  HealthCheck: UnarySyscallHandler<Record<string, never>, HealthCheckResponse__Output>
  /** The same report, for in-process readers (/readyz, metrics). */
  report: () => HealthCheckResponse__Output
}

const STORAGE_STATE: Record<StorageHealthState, ServingState__Output> = {
  ok: 'SERVING_STATE_SERVING',
  degraded: 'SERVING_STATE_DEGRADED',
  down: 'SERVING_STATE_NOT_SERVING'
}

/** The worst of the component states decides the node's state. */
const SEVERITY: Record<ServingState__Output, number> = {
  SERVING_STATE_SERVING: 0,
  SERVING_STATE_UNSPECIFIED: 1,
  SERVING_STATE_DEGRADED: 2,
  SERVING_STATE_NOT_SERVING: 3
}

export function createHealthSyscalls (components: HealthComponents, init: HealthInit): HealthSyscalls {
  const now = components.now ?? Date.now

  function report (): HealthCheckResponse__Output {
    const storage = components.storageHealth()
    const parts: ComponentHealth__Output[] = [
      { name: 'kernel', state: 'SERVING_STATE_SERVING', detail: '' },
      { name: 'storage', state: STORAGE_STATE[storage.state], detail: storage.detail }
    ]
    const state = parts.reduce<ServingState__Output>((worst, c) => SEVERITY[c.state] > SEVERITY[worst] ? c.state : worst, 'SERVING_STATE_SERVING')
    return {
      state,
      nodeId: init.nodeId,
      version: init.version,
      uptimeMs: Math.max(0, now() - init.startedAt),
      components: parts,
      documents: components.documentCount(),
      storageBacklog: storage.backlog
    }
  }

  return {
    HealthCheck: {
      kind: 'unary',
      validate: () => ({}),
      handle: () => report()
    },
    report
  }
}
