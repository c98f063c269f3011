/**
 * Redis storage (ioredis): per document a Redis list `<prefix>doc:<name>` of binary updates
 * (RPUSH), plus the set `<prefix>docs` of document names. Compaction replaces the list by the
 * snapshot in one MULTI (DEL + RPUSH), so a reader never sees a half-compacted document.
 *
 * Compaction is serialised with the document's appends by the connection itself: all commands
 * go over one connection, ioredis writes them in call order (auto-pipelining off) and Redis
 * executes one connection's commands in order, so an RPUSH issued before compact() runs before
 * its DEL and one issued after runs after its RPUSH of the snapshot. No per-document lock, so
 * appends to a hot document stay pipelined.
 *
 * Failing fast matters more than queueing: the offline queue is off and in-flight commands are
 * not retried, so while Redis is unreachable a write rejects at once with
 * CAMOS_ERR_STORAGE_UNAVAILABLE instead of hanging. ioredis keeps reconnecting in the
 * background (retryStrategy never gives up) and health() reports 'down' until it is back.
 */
import { Redis } from 'ioredis'
import { CamosError } from '../../kernel/errors.js'
import type { Logger } from '../types.js'
import type { StorageAdapter, StorageHealth } from './adapter.js'

/** Key prefix of everything this adapter stores. */
export const DEFAULT_REDIS_PREFIX = 'camos:'
/** How long one connection attempt may take (also bounds how long open() waits). */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 2_000
/** A command without a reply after this long fails (a paused or wedged Redis). */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 5_000
/** Reconnect delays grow linearly by this step... */
export const DEFAULT_REDIS_RETRY_STEP_MS = 100
/** ...up to this cap, forever. */
export const DEFAULT_REDIS_RETRY_MAX_MS = 2_000

export interface RedisStorageComponents {
  log: Logger
}

export interface RedisStorageInit {
  /** redis://[user:password@]host:port[/db] */
  url: string
  prefix?: string
  connectTimeoutMs?: number
  commandTimeoutMs?: number
  retryStepMs?: number
  retryMaxMs?: number
}

function toBuffer (bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function toUint8Array (buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

function describe (err: unknown): string {
  return (err as Error)?.message ?? String(err)
}

export function createRedisStorage (components: RedisStorageComponents, init: RedisStorageInit): StorageAdapter {
  const log = components.log
  const prefix = init.prefix ?? DEFAULT_REDIS_PREFIX
  const docsKey = `${prefix}docs`
  const retryStepMs = init.retryStepMs ?? DEFAULT_REDIS_RETRY_STEP_MS
  const retryMaxMs = init.retryMaxMs ?? DEFAULT_REDIS_RETRY_MAX_MS
  let client: Redis | undefined
  let state: 'new' | 'open' | 'closed' = 'new'
  let opening: Promise<void> | undefined
  let lastError = ''
  let connectionEpoch = 0
  let wasReady = false

  const docKey = (doc: string): string => `${prefix}doc:${doc}`

  function redacted (): string {
    try {
      const u = new URL(init.url)
      return `${u.protocol}//${u.host}`
    } catch {
      return 'redis'
    }
  }

  function ready (): Redis {
    if (state === 'closed') {
      throw new CamosError('CAMOS_ERR_SHUTTING_DOWN', 'redis storage is closed')
    }
    if (client === undefined || client.status !== 'ready') {
      const why = lastError === '' ? (client?.status ?? 'not open') : lastError
      throw new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', `redis at ${redacted()} is unavailable: ${why}`)
    }
    return client
  }

  async function run<T> (what: string, command: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = ready()
    try {
      return await command(redis)
    } catch (err) {
      throw new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', `redis ${what} failed: ${describe(err)}`, { cause: err })
    }
  }

  async function exec (redis: Redis, build: (multi: ReturnType<Redis['multi']>) => void): Promise<void> {
    const multi = redis.multi()
    build(multi)
    const results = await multi.exec()
    if (results === null) {
      throw new Error('transaction aborted')
    }
    for (const [err] of results) {
      if (err !== null) {
        throw err
      }
    }
  }

  function createClient (): Redis {
    const redis = new Redis(init.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      enableAutoPipelining: false,
      connectTimeout: init.connectTimeoutMs ?? DEFAULT_REDIS_CONNECT_TIMEOUT_MS,
      commandTimeout: init.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt: number) => Math.min(attempt * retryStepMs, retryMaxMs)
    })
    // ioredis emits 'error' on every failed (re)connect; unhandled it would crash the process
    redis.on('error', (err: Error) => {
      if (describe(err) !== lastError) {
        log.warn('redis error', { url: redacted(), error: describe(err) })
      }
      lastError = describe(err)
    })
    redis.on('ready', () => {
      connectionEpoch++
      if (wasReady) {
        log.info('redis reconnected', { url: redacted(), epoch: connectionEpoch })
      }
      wasReady = true
      lastError = ''
    })
    redis.on('close', () => {
      if (lastError === '' && state === 'open') {
        lastError = 'connection closed'
      }
    })
    return redis
  }

  async function openNow (): Promise<void> {
    const redis = createClient()
    try {
      await redis.connect()
    } catch (err) {
      redis.disconnect()
      throw new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', `cannot connect to redis at ${redacted()}: ${describe(err)}`, { cause: err })
    }
    if (state === 'closed') {
      redis.disconnect()
      return
    }
    client = redis
    state = 'open'
  }

  return {
    async open () {
      if (state === 'open') {
        return
      }
      if (state === 'closed') {
        throw new CamosError('CAMOS_ERR_SHUTTING_DOWN', 'redis storage is closed')
      }
      opening ??= openNow().finally(() => { opening = undefined })
      await opening
    },

    async list () {
      return await run('list', async redis => await redis.smembers(docsKey))
    },

    async load (doc) {
      const items = await run('load', async redis => await redis.lrangeBuffer(docKey(doc), 0, -1))
      return items.map(toUint8Array)
    },

    async append (doc, update) {
      await run('append', async redis => {
        await exec(redis, multi => multi.rpush(docKey(doc), toBuffer(update)).sadd(docsKey, doc))
      })
    },

    async compact (doc, snapshot) {
      await run('compact', async redis => {
        await exec(redis, multi => multi.del(docKey(doc)).rpush(docKey(doc), toBuffer(snapshot)).sadd(docsKey, doc))
      })
    },

    async remove (doc) {
      await run('remove', async redis => {
        await exec(redis, multi => multi.del(docKey(doc)).srem(docsKey, doc))
      })
    },

    health (): StorageHealth {
      if (state !== 'open' || client === undefined) {
        return { state: 'down', detail: `redis at ${redacted()}: ${state === 'closed' ? 'closed' : 'not open'}`, backlog: 0, connectionEpoch }
      }
      if (client.status === 'ready') {
        return { state: 'ok', detail: `redis at ${redacted()}: connected`, backlog: 0, connectionEpoch }
      }
      return { state: 'down', detail: `redis at ${redacted()}: ${client.status}${lastError === '' ? '' : `: ${lastError}`}`, backlog: 0, connectionEpoch }
    },

    async close () {
      if (state === 'closed') {
        return
      }
      state = 'closed'
      await opening?.catch(() => {})
      const redis = client
      client = undefined
      if (redis === undefined) {
        return
      }
      if (redis.status === 'ready') {
        await redis.quit().catch(() => { redis.disconnect() })
      } else {
        redis.disconnect()
      }
    }
  }
}
