/**
 * Write-behind pair: the primary (the embedded log) acknowledges, the secondary (Redis) is
 * written behind by one background loop, so a secondary outage only delays it.
 *
 * Every acknowledged operation is queued in memory in acknowledgement order and drained to the
 * secondary in that order, retrying with backoff while it is down. The queue alone cannot
 * survive a crash of this process, and the secondary itself can lose data it had (a Redis
 * restart without persistence, a failover to a lagging replica). So the loop also re-syncs:
 * on open, after any failed secondary operation, after any reconnect (connectionEpoch changed)
 * and after the queue overflowed, it copies to the secondary, for every document of the
 * primary, each primary record the secondary does not hold (compared by content hash).
 * Re-sync only appends: Yjs updates are idempotent, so a record present twice is harmless, and
 * nothing the secondary holds is removed by it. Once the secondary has been reachable through
 * one complete re-sync and the queue is empty, it holds every acknowledged write; health()
 * is 'degraded' until then.
 *
 * Ordering requirement on the primary: an append issued after a compact() must not resolve
 * before it (the embedded log runs each document's operations in order), otherwise the
 * compaction could be replayed on the secondary after that append and drop it there.
 */
import { createHash } from 'node:crypto'
import { CamosError } from '../../kernel/errors.js'
import type { Logger } from '../types.js'
import type { StorageAdapter, StorageHealth } from './adapter.js'

/** First retry delay after a failed secondary operation; doubles up to the max. */
export const DEFAULT_WRITE_BEHIND_RETRY_MIN_MS = 100
export const DEFAULT_WRITE_BEHIND_RETRY_MAX_MS = 5_000
/** How often the idle loop looks at the secondary's health to notice outages and reconnects. */
export const DEFAULT_WRITE_BEHIND_HEALTH_INTERVAL_MS = 1_000
/**
 * Queued operations kept in memory; past this the queue is dropped and a re-sync from the
 * primary replaces it, which bounds memory during a long outage.
 */
export const DEFAULT_WRITE_BEHIND_MAX_BACKLOG = 100_000
/** How long close() keeps draining to a reachable secondary before giving up. */
export const DEFAULT_WRITE_BEHIND_CLOSE_DRAIN_MS = 2_000

export interface WriteBehindStorageComponents {
  log: Logger
}

export interface WriteBehindStorageInit {
  primary: StorageAdapter
  secondary: StorageAdapter
  retryMinMs?: number
  retryMaxMs?: number
  healthIntervalMs?: number
  maxBacklog?: number
  closeDrainMs?: number
}

type QueuedOp =
  | { kind: 'append', doc: string, data: Uint8Array }
  | { kind: 'compact', doc: string, data: Uint8Array }
  | { kind: 'remove', doc: string }

function hash (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64')
}

function describe (err: unknown): string {
  return (err as Error)?.message ?? String(err)
}

export function createWriteBehindStorage (components: WriteBehindStorageComponents, init: WriteBehindStorageInit): StorageAdapter {
  const log = components.log
  const { primary, secondary } = init
  const retryMinMs = init.retryMinMs ?? DEFAULT_WRITE_BEHIND_RETRY_MIN_MS
  const retryMaxMs = init.retryMaxMs ?? DEFAULT_WRITE_BEHIND_RETRY_MAX_MS
  const healthIntervalMs = init.healthIntervalMs ?? DEFAULT_WRITE_BEHIND_HEALTH_INTERVAL_MS
  const maxBacklog = init.maxBacklog ?? DEFAULT_WRITE_BEHIND_MAX_BACKLOG
  const closeDrainMs = init.closeDrainMs ?? DEFAULT_WRITE_BEHIND_CLOSE_DRAIN_MS

  let queue: QueuedOp[] = []
  /** Operations dropped by an overflow; they count as backlog until a re-sync covers them. */
  let dropped = 0
  let secondaryOpen = false
  let needsResync = true
  let resyncing = false
  let lastEpoch: number | undefined
  let lastError = ''
  let state: 'new' | 'open' | 'closed' = 'new'
  let loop: Promise<void> | undefined
  let stopping = false
  let wake: (() => void) | undefined

  function notify (): void {
    const w = wake
    wake = undefined
    w?.()
  }

  /** Resolves after `ms`, or earlier when notify() is called. */
  async function pause (ms: number): Promise<void> {
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => { wake = undefined; resolve() }, ms)
      wake = () => { clearTimeout(timer); resolve() }
    })
  }

  function enqueue (op: QueuedOp): void {
    if (queue.length >= maxBacklog) {
      dropped += queue.length
      queue = []
      needsResync = true
      log.warn('write-behind backlog overflowed; the secondary will be re-synced from the primary', { maxBacklog })
    }
    queue.push(op)
    notify()
  }

  async function apply (op: QueuedOp): Promise<void> {
    if (op.kind === 'append') {
      await secondary.append(op.doc, op.data)
    } else if (op.kind === 'compact') {
      await secondary.compact(op.doc, op.data)
    } else {
      await secondary.remove(op.doc)
    }
  }

  /** Copy to the secondary every primary record it lacks; see the file header. */
  async function resync (): Promise<void> {
    const droppedBefore = dropped
    let copied = 0
    const docs = await primary.list()
    for (const doc of docs) {
      if (stopping) {
        return
      }
      const held = new Set((await secondary.load(doc)).map(hash))
      for (const record of await primary.load(doc)) {
        if (!held.has(hash(record))) {
          await secondary.append(doc, record)
          copied++
        }
      }
    }
    dropped -= droppedBefore
    log.info('write-behind re-sync complete', { docs: docs.length, copiedRecords: copied })
  }

  async function step (): Promise<number | undefined> {
    if (!secondaryOpen) {
      await secondary.open()
      secondaryOpen = true
      needsResync = true
    }
    const h = secondary.health()
    if (h.state !== 'ok') {
      needsResync = true
      throw new Error(h.detail)
    }
    if (h.connectionEpoch !== lastEpoch) {
      needsResync = true
    }
    if (needsResync) {
      resyncing = true
      try {
        await resync()
      } finally {
        resyncing = false
      }
      if (stopping) {
        return 0
      }
      needsResync = false
      lastEpoch = h.connectionEpoch
    }
    const op = queue[0]
    if (op === undefined) {
      return healthIntervalMs
    }
    await apply(op)
    if (queue[0] === op) {
      queue.shift()
    }
    return 0
  }

  async function run (): Promise<void> {
    let delay = retryMinMs
    while (!stopping) {
      let wait: number | undefined
      try {
        wait = await step()
        if (lastError !== '') {
          log.info('write-behind secondary reachable again', { backlog: queue.length + dropped })
        }
        lastError = ''
        delay = retryMinMs
      } catch (err) {
        needsResync = true
        if (describe(err) !== lastError) {
          log.warn('write-behind secondary unavailable; retrying with backoff', { error: describe(err), backlog: queue.length + dropped })
        }
        lastError = describe(err)
        // jitter: nodes sharing one Redis do not all retry at the same instant after an outage
        wait = delay * (0.5 + Math.random() / 2)
        delay = Math.min(delay * 2, retryMaxMs)
      }
      if (wait !== undefined && wait > 0 && !stopping) {
        await pause(wait)
      }
    }
  }

  async function drainForClose (): Promise<void> {
    const deadline = Date.now() + closeDrainMs
    while (queue.length > 0 && !needsResync && secondary.health().state === 'ok' && Date.now() < deadline) {
      try {
        await apply(queue[0])
        queue.shift()
      } catch {
        return
      }
    }
  }

  async function warmStart (): Promise<void> {
    if ((await primary.list()).length > 0) {
      return
    }
    try {
      await secondary.open()
      secondaryOpen = true
    } catch (err) {
      log.warn('primary store is empty and the secondary is unreachable: starting without a warm start', { error: describe(err) })
      return
    }
    const docs = await secondary.list()
    for (const doc of docs) {
      for (const record of await secondary.load(doc)) {
        await primary.append(doc, record)
      }
    }
    log.info('warm start: copied the secondary\'s documents into the empty primary', { docs: docs.length })
  }

  function checkOpen (): void {
    if (state !== 'open') {
      throw new CamosError(state === 'closed' ? 'CAMOS_ERR_SHUTTING_DOWN' : 'CAMOS_ERR_STORAGE_UNAVAILABLE', `write-behind storage is ${state === 'closed' ? 'closed' : 'not open'}`)
    }
  }

  return {
    async open () {
      if (state === 'open') {
        return
      }
      if (state === 'closed') {
        throw new CamosError('CAMOS_ERR_SHUTTING_DOWN', 'write-behind storage is closed')
      }
      await primary.open()
      try {
        await warmStart()
      } catch (err) {
        await primary.close()
        if (secondaryOpen) {
          await secondary.close().catch(() => {})
        }
        throw err
      }
      state = 'open'
      stopping = false
      loop = run()
    },

    async list () {
      checkOpen()
      return await primary.list()
    },

    async load (doc) {
      checkOpen()
      return await primary.load(doc)
    },

    async append (doc, update) {
      checkOpen()
      await primary.append(doc, update)
      enqueue({ kind: 'append', doc, data: update })
    },

    async compact (doc, snapshot) {
      checkOpen()
      await primary.compact(doc, snapshot)
      enqueue({ kind: 'compact', doc, data: snapshot })
    },

    async remove (doc) {
      checkOpen()
      await primary.remove(doc)
      enqueue({ kind: 'remove', doc })
    },

    health (): StorageHealth {
      const p = primary.health()
      const backlog = queue.length + dropped
      if (p.state !== 'ok') {
        return { state: p.state, detail: `primary: ${p.detail}`, backlog }
      }
      const s = secondary.health()
      if (!secondaryOpen || s.state !== 'ok' || lastError !== '') {
        const why = lastError !== '' ? lastError : s.detail
        return { state: 'degraded', detail: `secondary behind (${backlog} queued): ${why}`, backlog }
      }
      if (needsResync || resyncing || backlog > 0) {
        return { state: 'degraded', detail: `secondary catching up (${backlog} queued${needsResync ? ', re-sync pending' : ''})`, backlog }
      }
      return { state: 'ok', detail: `primary: ${p.detail}; secondary: ${s.detail}`, backlog: 0 }
    },

    async close () {
      if (state === 'closed') {
        return
      }
      const wasOpen = state === 'open'
      state = 'closed'
      if (!wasOpen) {
        return
      }
      stopping = true
      notify()
      await loop
      await drainForClose()
      if (queue.length + dropped > 0) {
        log.warn('closing write-behind storage with a backlog; the next open re-syncs the secondary', { backlog: queue.length + dropped })
      }
      await primary.close()
      if (secondaryOpen) {
        await secondary.close()
      }
    }
  }
}
