/**
 * What time and garbage collection do to one context document (context-doc.ts): a time queue of
 * the keys whose visibility or garbage changes with time (TTL expiry, tombstones past the grace)
 * and of the prefix deletes whose grace ends, and the deterministic GC of context-gc.ts, run
 * after the transactions that made it due and when queue entries come due. Its transactions
 * carry the maintenance origin and reach the document's index like any other.
 */
import type * as Y from 'yjs'
import { needsGc, planKeyGc, planPrefixExpiry, planPrefixGc, tombstoneSince } from './context-gc.js'
import type { ContextIndex, KeyState } from './context-index.js'
import { isExpired, splitCompositeKey, type ContextLimits, type PrefixDeleteRecord } from './context-types.js'
import type { Hlc } from './hlc.js'
import { maintenanceOrigin, type TransactionOrigin } from './origin.js'
import { TimerQueue } from './time-queue.js'
import type { Logger } from './types.js'
import type { VersionStore } from './version-record.js'

/** Longest timer delay Node accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1
/**
 * Past this many prefixes that gained a prefix delete at once (a document loaded or caught up),
 * one pass over every prefix is cheaper than a pass per added prefix (see planPrefixGc).
 */
const FULL_PREFIX_CHECK = 8
/** Time-queue entries of prefix deletes (for their expiry) start with this; keys never do. */
const PREFIX_ENTRY = '\u0001'

export interface HousekeepingComponents {
  index: ContextIndex
  versions: VersionStore
  versionsMap: Y.Map<unknown>
  prefixDeletes: Y.Map<PrefixDeleteRecord>
  hlc: Hlc
  transact: (fn: () => void, origin: TransactionOrigin) => Promise<void>
  log: Logger
  /** Tells observers what a key that came due shows now (it was just recomputed). */
  announce: (ks: KeyState, now: number) => void
}

export interface Housekeeping {
  /** A key was just recomputed: queues its next change in time, and its GC if it needs one now. */
  keyChanged: (ks: KeyState, now: number) => void
  /** A prefix delete was added: it may subsume others, and expires after the grace period. */
  prefixAdded: (prefix: string, composite: string, record: PrefixDeleteRecord) => void
  /** Runs the GC found due since the last run, once the current transaction is over. */
  flush: () => void
  /** Announces due expiries and collects the garbage that became due (run by a timer too). */
  maintain: () => void
  /** Resolves once queued housekeeping transactions have been applied and persisted. */
  settled: () => Promise<void>
  close: () => void
}

export function createHousekeeping (components: HousekeepingComponents, init: { namespace: string, limits: ContextLimits }): Housekeeping {
  const { index, versions, versionsMap, prefixDeletes, hlc, transact, log, announce } = components
  const { namespace, limits } = init
  const queue = new TimerQueue()
  const dirty = new Set<string>()
  /** Prefixes that gained a prefix delete since housekeeping last ran. */
  let prefixesAdded = new Set<string>()
  let flushQueued = false
  let housekeeping: Promise<void> = Promise.resolve()
  let closed = false

  function schedule (ks: KeyState, now: number): void {
    const top = ks.top
    if (top === undefined) return
    let at: number | undefined
    if (!top.deleted && top.expiresAt !== 0 && !isExpired(top, now)) {
      at = top.expiresAt
    } else {
      const since = tombstoneSince(top, now)
      if (since !== undefined) at = since + limits.tombstoneGraceMs
    }
    if (at === undefined || (ks.scheduledAt !== undefined && ks.scheduledAt <= at)) return
    ks.scheduledAt = at
    queue.push(at, ks.key)
    arm()
  }

  function arm (): void {
    const next = queue.peek()
    if (closed || next === undefined) return
    if (queue.timer !== undefined && queue.timerAt <= next.at) return
    queue.clearTimer()
    const delay = Math.min(Math.max(0, next.at - hlc.physicalNow()), MAX_TIMER_MS)
    queue.timerAt = next.at
    queue.timer = setTimeout(() => {
      queue.timer = undefined
      maintain()
    }, delay)
    queue.timer.unref()
  }

  function maintain (): void {
    if (closed) return
    const now = hlc.physicalNow()
    const due: KeyState[] = []
    const expiring: Array<[string, string, number]> = []
    for (let next = queue.peek(); next !== undefined && next.at <= now; next = queue.peek()) {
      queue.pop()
      if (next.key.startsWith(PREFIX_ENTRY)) {
        const composite = next.key.slice(PREFIX_ENTRY.length)
        const record = prefixDeletes.get(composite)
        if (record !== undefined) expiring.push([...splitCompositeKey(composite), record.writtenAt])
        continue
      }
      const ks = index.keys.get(next.key)
      if (ks !== undefined && ks.scheduledAt === next.at) {
        ks.scheduledAt = undefined
        due.push(ks)
      }
    }
    for (const ks of due) {
      index.recompute(ks.key, now)
      announce(ks, now)
    }
    collect(due.map(ks => ks.key), now, expiring)
    for (const ks of due) schedule(ks, now)
    arm()
  }

  /** `expiring`: prefix deletes whose grace may have ended, as [prefix, token, writtenAt]. */
  function collect (keys: Iterable<string>, now: number, expiring: Array<[string, string, number]> = []): void {
    const plan = planKeyGc(index, versions, keys, now, limits)
    const prefixes = prefixesAdded.size > FULL_PREFIX_CHECK
      ? planPrefixGc(index)
      : prefixesAdded.size > 0 ? planPrefixGc(index, prefixesAdded) : []
    prefixesAdded = new Set()
    const expired = planPrefixExpiry(index, expiring, now, limits)
    if (plan.deletes.length === 0 && plan.strips.length === 0 && prefixes.length === 0 && expired.prefixes.length === 0) return
    const done = transact(() => {
      for (const c of plan.deletes) versionsMap.delete(c)
      for (const [c, record] of plan.strips) versions.set(c, record)
      for (const c of prefixes) prefixDeletes.delete(c)
      for (const c of expired.versions) versionsMap.delete(c)
      for (const c of expired.prefixes) prefixDeletes.delete(c)
    }, maintenanceOrigin('context-gc'))
    housekeeping = Promise.all([housekeeping, done.catch(err => {
      log.warn('context housekeeping not yet durable', { namespace, err: err instanceof Error ? err.message : String(err) })
    })]).then(() => {})
  }

  return {
    keyChanged (ks, now) {
      schedule(ks, now)
      if (needsGc(index, ks.key, limits)) dirty.add(ks.key)
    },
    prefixAdded (prefix, composite, record) {
      prefixesAdded.add(prefix)
      if (Number.isFinite(record.writtenAt)) {
        queue.push(record.writtenAt + limits.tombstoneGraceMs, PREFIX_ENTRY + composite)
        arm()
      }
    },
    flush () {
      if ((dirty.size === 0 && prefixesAdded.size === 0) || flushQueued) return
      flushQueued = true
      // Not inside the observer: a transaction started there would not be the caller's.
      housekeeping = Promise.all([housekeeping, Promise.resolve().then(() => {
        flushQueued = false
        if (closed) return
        const keys = [...dirty]
        dirty.clear()
        collect(keys, hlc.physicalNow())
      })]).then(() => {})
    },
    maintain,
    async settled () {
      let seen: Promise<void> | undefined
      while (seen !== housekeeping) {
        seen = housekeeping
        await seen
      }
    },
    close () {
      closed = true
      queue.clearTimer()
    }
  }
}
