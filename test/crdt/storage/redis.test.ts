import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStorage } from '../../../crdt/storage/redis.js'
import type { StorageAdapter } from '../../../crdt/storage/adapter.js'
import { createCaptureLogger } from '../../helpers/capture-logger.js'
import { redisTestTarget, startRedisServer, type RedisServer } from '../../helpers/redis-server.js'
import { waitFor } from '../../helpers/wait-for.js'
import { runStorageAdapterTests } from '../storage-acceptance.js'

/** Short reconnect delays so the outage tests notice a restarted server quickly. */
const FAST_RETRY = { retryStepMs: 20, retryMaxMs: 200, connectTimeoutMs: 1_000, commandTimeoutMs: 2_000 }

const target = redisTestTarget('redis storage (acceptance)')
let server: RedisServer | undefined
let url = target.url ?? ''

describe.skipIf(!target.run)('redis storage', () => {
  beforeAll(async () => {
    if (target.ownServer) {
      server = await startRedisServer()
      url = server.url
    }
  })

  afterAll(async () => {
    await server?.dispose()
  })

  runStorageAdapterTests('redis (alone)', async () => {
    const prefix = `camos-test:${randomUUID()}:`
    const make = (): StorageAdapter => createRedisStorage({ log: createCaptureLogger() }, { url, prefix, ...FAST_RETRY })
    return { adapter: make(), reopen: make, teardown: async () => {} }
  })

  it('fails open fast and leaves nothing running when Redis is unreachable', async () => {
    const unreachable = createRedisStorage({ log: createCaptureLogger() }, { url: 'redis://127.0.0.1:1', ...FAST_RETRY })
    await expect(unreachable.open()).rejects.toMatchObject({ code: 'CAMOS_ERR_STORAGE_UNAVAILABLE' })
    expect(unreachable.health().state).toBe('down')
    await unreachable.close()
  })
})

const outage = redisTestTarget('redis storage (outage)', { needOwnServer: true })

describe.skipIf(!outage.run)('redis storage during an outage', () => {
  let own: RedisServer
  const adapters: StorageAdapter[] = []

  beforeAll(async () => {
    own = await startRedisServer()
  })

  afterEach(async () => {
    for (const a of adapters.splice(0)) {
      await a.close()
    }
  })

  afterAll(async () => {
    await own?.dispose()
  })

  it('rejects appends at once with STORAGE_UNAVAILABLE while down, reports down, and reconnects by itself', async () => {
    const prefix = `camos-test:${randomUUID()}:`
    const log = createCaptureLogger()
    // a long command timeout: an append parked in an offline queue could not settle before Redis returns
    const storage = createRedisStorage({ log }, { url: own.url, prefix, ...FAST_RETRY, commandTimeoutMs: 60_000 })
    adapters.push(storage)
    await storage.open()
    expect(storage.health()).toMatchObject({ state: 'ok', connectionEpoch: 1 })

    // a stream of appends running through the whole outage
    const acknowledged: number[] = []
    const failures: unknown[] = []
    let stop = false
    let seq = 0
    const writer = (async () => {
      while (!stop) {
        const n = seq++
        try {
          await storage.append('ctx/stream', Uint8Array.of(n >> 8, n & 0xff))
          acknowledged.push(n)
        } catch (err) {
          failures.push(err)
          // yield to the event loop so the reconnect timers can run
          await new Promise(resolve => setImmediate(resolve))
        }
      }
    })()

    await waitFor(() => acknowledged.length >= 50, { message: 'appends acknowledged before the outage' })
    await own.stop()
    await waitFor(() => storage.health().state === 'down', { message: 'health reports down' })
    expect(storage.health().detail).toMatch(/redis at redis:\/\/127\.0\.0\.1:\d+/)

    // Redis is still down here and stays down until this settles: only a fail-fast append passes
    await expect(storage.append('ctx/stream', Uint8Array.of(0xff, 0xff))).rejects.toMatchObject({ code: 'CAMOS_ERR_STORAGE_UNAVAILABLE' })
    await waitFor(() => failures.length >= 20, { message: 'streamed appends failing during the outage' })
    for (const err of failures) {
      expect(err).toMatchObject({ code: 'CAMOS_ERR_STORAGE_UNAVAILABLE' })
    }

    const ackedBeforeRestart = acknowledged.length
    await own.restart()
    await waitFor(() => storage.health().state === 'ok', { message: 'reconnected after restart' })
    expect(storage.health().connectionEpoch).toBeGreaterThan(1)
    await waitFor(() => acknowledged.length >= ackedBeforeRestart + 50, { message: 'appends acknowledged after the restart' })
    stop = true
    await writer

    // persistence is off, so only what was acknowledged after the restart is in Redis
    const afterRestart = new Set(acknowledged.slice(ackedBeforeRestart))
    const loaded = (await storage.load('ctx/stream')).map(b => (b[0] << 8) | b[1])
    for (const n of afterRestart) {
      expect(loaded).toContain(n)
    }
    expect(log.lines.some(l => l.msg === 'redis reconnected')).toBe(true)
  })
})
