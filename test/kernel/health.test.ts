import { describe, expect, it } from 'vitest'
import { createHealthSyscalls } from '../../kernel/health.js'
import type { StorageHealth } from '../../crdt/storage/adapter.js'

describe('HealthCheck syscall', () => {
  const storage: StorageHealth = { state: 'ok', detail: 'embedded log at /d', backlog: 0 }
  let now = 10_000
  const health = createHealthSyscalls({ storageHealth: () => storage, documentCount: () => 7, now: () => now }, { nodeId: 'n1', version: '1.2.3', startedAt: 4_000 })

  it('reports identity, uptime, documents and SERVING when storage is ok', async () => {
    const res = await health.HealthCheck.handle(health.HealthCheck.validate({}), { correlationId: 'c', signal: new AbortController().signal, transport: 'inproc' })
    expect(res).toEqual({
      state: 'SERVING_STATE_SERVING',
      nodeId: 'n1',
      version: '1.2.3',
      uptimeMs: 6_000,
      components: [
        { name: 'kernel', state: 'SERVING_STATE_SERVING', detail: '' },
        { name: 'storage', state: 'SERVING_STATE_SERVING', detail: 'embedded log at /d' }
      ],
      documents: 7,
      storageBacklog: 0
    })
  })

  it('follows the storage state: degraded with its backlog; storage down leaves the node degraded, not out of service', () => {
    Object.assign(storage, { state: 'degraded', detail: 'redis: connection refused', backlog: 42 })
    now = 12_000
    expect(health.report()).toMatchObject({ state: 'SERVING_STATE_DEGRADED', storageBacklog: 42, uptimeMs: 8_000 })
    expect(health.report().components[1]).toEqual({ name: 'storage', state: 'SERVING_STATE_DEGRADED', detail: 'redis: connection refused' })
    storage.state = 'down'
    expect(health.report().state).toBe('SERVING_STATE_DEGRADED')
    expect(health.report().components[1].state).toBe('SERVING_STATE_NOT_SERVING')
  })
})
