/**
 * The HealthCheck syscall: node identity, uptime and the state of each component. A storage
 * problem never takes the node out of service: it keeps answering reads (and, with a
 * write-behind Redis, writes), so the node is DEGRADED while its storage component says
 * DEGRADED (secondary behind) or NOT_SERVING (the acknowledging store is unreachable and
 * writes fail fast with UNAVAILABLE).
 */
import type { StorageHealth, StorageHealthState } from '../crdt/storage/adapter.js'
import type { UnarySyscallHandler } from './handler.js'
import type { ComponentHealth__Output } from '../proto/gen/camos/v1/ComponentHealth.js'
import type { HealthCheckResponse__Output } from '../proto/gen/camos/v1/HealthCheckResponse.js'
import type { ServingState__Output } from '../proto/gen/camos/v1/ServingState.js'

export interface HealthComponents {
  storageHealth: () => StorageHealth
  documentCount: () => number
  /** A monotonic clock, ms (performance.now; injectable for tests): uptime ignores wall-clock steps. */
  now?: () => number
}

export interface HealthInit {
  nodeId: string
  version: string
  /** When the node started, on `now`'s clock. */
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


export function createHealthSyscalls (components: HealthComponents, init: HealthInit): HealthSyscalls {
  const now = components.now ?? (() => performance.now())

  function report (): HealthCheckResponse__Output {
    const storage = components.storageHealth()
    const parts: ComponentHealth__Output[] = [
      { name: 'kernel', state: 'SERVING_STATE_SERVING', detail: '' },
      { name: 'storage', state: STORAGE_STATE[storage.state], detail: storage.detail }
    ]
    const state: ServingState__Output = parts.every(c => c.state === 'SERVING_STATE_SERVING') ? 'SERVING_STATE_SERVING' : 'SERVING_STATE_DEGRADED'
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
