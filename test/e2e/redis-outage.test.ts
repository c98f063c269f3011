/**
 * Redis stopped and restarted under load, against real `camos start` processes:
 *  - behind mode: every write keeps being acknowledged, health says degraded with a backlog,
 *    the backlog drains when Redis returns, and a replacement node with an empty data dir
 *    warms from Redis with every acknowledged write;
 *  - alone mode: writes fail fast with UNAVAILABLE while Redis is down (nothing acknowledged),
 *    reads keep working, and writes succeed again when it returns.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { status } from '@grpc/grpc-js'
import { afterEach, describe, expect, it } from 'vitest'
import { startNodeProcess, type NodeProcess } from '../../chaos/node-process.js'
import { KernelCallError, type KernelClient } from '../../node/client.js'
import { redisTestTarget, startRedisServer } from '../helpers/redis-server.js'
import { waitFor } from '../helpers/wait-for.js'

const target = redisTestTarget('e2e redis outage', { needOwnServer: true })

describe.runIf(target.run)('Redis outage under load (real processes)', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn()
  })

  function tempDir (): string {
    const dir = mkdtempSync(join(tmpdir(), 'camos-redis-e2e-'))
    cleanup.push(async () => { rmSync(dir, { recursive: true, force: true }) })
    return dir
  }

  async function start (args: string[], dataDir = tempDir()): Promise<NodeProcess> {
    const node = await startNodeProcess({ dataDir, args: ['--log-level', 'error', ...args] })
    cleanup.push(async () => { await node.kill() })
    return node
  }

  /** Writes unique keys one after another until stopped; records every acknowledged one. */
  function writeLoad (client: KernelClient, namespace: string): { acked: Map<string, string>, errors: KernelCallError[], stop: () => Promise<void> } {
    const acked = new Map<string, string>()
    const errors: KernelCallError[] = []
    let running = true
    const loop = (async () => {
      for (let i = 0; running; i++) {
        const key = `k${i}`
        const value = `v${i}`
        try {
          await client.call('Remember', { namespace, key, value: Buffer.from(value) }, { timeoutMs: 5_000 })
          acked.set(key, value)
        } catch (err) {
          if (!(err instanceof KernelCallError)) throw err
          errors.push(err)
        }
      }
    })()
    return { acked, errors, stop: async () => { running = false; await loop } }
  }

  it('behind mode: keeps acknowledging, reports degraded, catches up, and warms a replacement node', async () => {
    const redis = await startRedisServer()
    cleanup.push(async () => { await redis.dispose() })
    const args = ['--redis', redis.url, '--redis-prefix', 'behind:']
    const node = await start(args)
    const client = node.client()
    const load = writeLoad(client, 'orders')

    await waitFor(() => load.acked.size >= 200, { timeout: 15_000, message: '200 writes before the outage' })
    await redis.stop()
    const atOutage = load.acked.size
    await waitFor(async () => (await client.call('HealthCheck', {})).state === 'SERVING_STATE_DEGRADED', { timeout: 15_000, message: 'HealthCheck DEGRADED' })
    const ready = await fetch(`http://${node.httpAddress}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'degraded' })
    await waitFor(() => load.acked.size >= atOutage + 300, { timeout: 15_000, message: '300 writes acknowledged during the outage' })
    expect((await client.call('HealthCheck', {})).storageBacklog).toBeGreaterThan(0)

    await redis.restart()
    await waitFor(() => load.acked.size >= atOutage + 600, { timeout: 15_000, message: 'writes after Redis returned' })
    await load.stop()
    expect(load.errors).toEqual([])
    await waitFor(async () => {
      const health = await client.call('HealthCheck', {})
      return health.state === 'SERVING_STATE_SERVING' && Number(health.storageBacklog) === 0
    }, { timeout: 20_000, message: 'backlog drained and SERVING' })
    expect(await node.stop()).toBe(0)

    // A replacement node with an empty data dir must find every acknowledged write in Redis.
    const replacement = await start(args)
    const reader = replacement.client()
    const lost: string[] = []
    for (const [key, value] of load.acked) {
      const res = await reader.call('Recall', { namespace: 'orders', key }).catch(() => undefined)
      if (res?.entry.value.toString() !== value) lost.push(key)
    }
    expect(lost, `${lost.length} of ${load.acked.size} acknowledged writes missing from Redis`).toEqual([])
  })

  it('alone mode: writes fail fast with UNAVAILABLE while Redis is down, reads keep working', async () => {
    const redis = await startRedisServer()
    cleanup.push(async () => { await redis.dispose() })
    const node = await start(['--redis', redis.url, '--redis-mode', 'alone', '--redis-prefix', 'alone:'])
    const client = node.client()
    await client.call('Remember', { namespace: 'cfg', key: 'mode', value: Buffer.from('alone') })

    await redis.stop()
    let failure: unknown
    await waitFor(async () => {
      try {
        await client.call('Remember', { namespace: 'cfg', key: 'during', value: Buffer.from('x') }, { timeoutMs: 3_000 })
        return false
      } catch (err) {
        failure = err
        return true
      }
    }, { timeout: 15_000, message: 'a write refused during the outage' })
    expect(failure).toBeInstanceOf(KernelCallError)
    expect((failure as KernelCallError).grpcCode).toBe(status.UNAVAILABLE)
    expect((failure as KernelCallError).errorCode).toBe('CAMOS_ERR_STORAGE_UNAVAILABLE')
    const recalled = await client.call('Recall', { namespace: 'cfg', key: 'mode' })
    expect(recalled.entry.value.toString()).toBe('alone')
    expect((await client.call('HealthCheck', {})).state).toBe('SERVING_STATE_DEGRADED')

    await redis.restart()
    await waitFor(async () => {
      try {
        await client.call('Remember', { namespace: 'cfg', key: 'after', value: Buffer.from('y') }, { timeoutMs: 3_000 })
        return true
      } catch {
        return false
      }
    }, { timeout: 20_000, message: 'writes accepted after Redis returned' })
  })
})
