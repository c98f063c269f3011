/**
 * The Yjs model of one memory-context namespace (document `ctx/<namespace>`), its read index
 * and its change events. Map layout and record shapes: context-types.ts; GC: context-gc.ts.
 *
 * Conflict rule (identical on every node, independent of Yjs client ids): every write of a key
 * is a NEW entry in the `versions` map under `${key}\0${versionToken}`, so concurrent writers
 * never touch the same map key. The current value of a key is its version with the greatest
 * token — HLC physical time, then logical counter, then node id — unless that version
 *   - is a delete marker (Forget of the key), or
 *   - has expired (its expiresAt ≤ this node's HLC physical time), or
 *   - is shadowed by a prefix delete (`prefixDeletes`) whose prefix matches the key and whose
 *     token is greater: a Forget of a prefix hides every matching version with a smaller token,
 *     including versions the deleting node never saw, so a late older write does not resurrect
 *     (within the tombstone grace period: see context-gc.ts).
 * In those cases the key has no value (an older version never shows through).
 *
 * A write on this node always gets a token greater than the key's current greatest version and
 * matching prefix deletes, even if those came from a node with a faster clock: a write that
 * follows another one causally wins over it. Its TTL counts from this node's HLC time.
 *
 * The index is updated from every transaction (local, peer, storage) in `afterTransaction`,
 * and observers get PUT / DELETE / EXPIRED events in the order changes became visible.
 * Write methods change memory synchronously (before their first await) and resolve when the
 * change is durable (DocumentStore.transact).
 */
import * as Y from 'yjs'
import { CamosError } from '../kernel/errors.js'
import { formatToken, isToken, parseToken, successor, type Hlc } from './hlc.js'
import { ContextIndex, type KeyState } from './context-index.js'
import { TimerQueue } from './time-queue.js'
import { needsGc, planKeyGc, planPrefixExpiry, planPrefixGc, tombstoneSince } from './context-gc.js'
import { maintenanceOrigin, isLocalOrigin, type TransactionOrigin } from './origin.js'
import {
  compositeKey, entryBytes, isExpired, resolveLimits, sameContent, splitCompositeKey, toEntry, valueRecord, visibleVersion,
  type ContextChange, type ContextEntry, type ContextLimits, type ContextListener,
  type PrefixDeleteRecord, type SnapshotEntry, type SnapshotRecord, type VersionRecord
} from './context-types.js'
import { createVersionStore } from './version-record.js'
import { createRemoteVersions } from './remote-versions.js'
import type { Logger } from './types.js'

/** Longest timer delay Node accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1
const EMPTY = new Uint8Array(0)
/**
 * Past this many prefixes that gained a prefix delete at once (a document loaded or caught up),
 * one pass over every prefix is cheaper than a pass per added prefix (see planPrefixGc).
 */
const FULL_PREFIX_CHECK = 8
/** Time-queue entries of prefix deletes (for their expiry) start with this; keys never do. */
const PREFIX_ENTRY = '\u0001'

export interface ContextDocComponents {
  doc: Y.Doc
  hlc: Hlc
  /** Runs a transaction on `doc` and resolves when its update is durable (DocumentStore.transact). */
  transact: (fn: () => void, origin: TransactionOrigin) => Promise<void>
  log: Logger
}

export interface ContextDocInit {
  namespace: string
  limits?: Partial<ContextLimits>
}

export interface PutInput {
  value: Uint8Array
  contentType: string
  metadata: Record<string, string>
  /** 0 = no expiry. */
  ttlMs: number
  /** Non-empty: the key's current version must be this token. */
  ifVersion?: string
  /** The key must have no current value. */
  ifAbsent?: boolean
}

export interface ForgetResult { version: string, count: number }
export interface SnapshotResult { name: string, version: string, keyCount: number, bytes: number }
export interface RestoreResult { version: string, written: number, deleted: number }

export interface ContextDoc {
  readonly namespace: string
  get: (key: string) => ContextEntry | undefined
  /** A retained version (delete markers included); undefined if unknown, expired or shadowed. */
  getVersion: (key: string, token: string) => ContextEntry | undefined
  /** Retained versions, newest first; limit 0 = all. */
  versions: (key: string, limit?: number) => ContextEntry[]
  /** Current entries whose key starts with `prefix`, sorted by key. */
  entries: (prefix: string) => ContextEntry[]
  usage: () => { keys: number, bytes: number }
  put: (key: string, input: PutInput, origin: TransactionOrigin) => Promise<ContextEntry>
  forgetKey: (key: string, origin: TransactionOrigin) => Promise<ForgetResult>
  /** '' = the whole namespace. */
  forgetPrefix: (prefix: string, origin: TransactionOrigin) => Promise<ForgetResult>
  snapshot: (name: string, description: string, origin: TransactionOrigin) => Promise<SnapshotResult>
  restore: (name: string, origin: TransactionOrigin) => Promise<RestoreResult>
  subscribe: (listener: ContextListener) => () => void
  /** Announces due expiries and collects the garbage that became due (run by a timer too). */
  maintain: () => void
  /** Resolves once queued housekeeping transactions have been applied and persisted. */
  settled: () => Promise<void>
  close: () => void
}

export function createContextDoc (components: ContextDocComponents, init: ContextDocInit): ContextDoc {
  const { doc, hlc, transact, log } = components
  const namespace = init.namespace
  const limits = resolveLimits(init.limits)
  const versionsMap = doc.getMap<unknown>('versions')
  const versions = createVersionStore(versionsMap)
  const prefixDeletes = doc.getMap<PrefixDeleteRecord>('prefixDeletes')
  const snapshots = doc.getMap<SnapshotRecord>('snapshots')
  const index = new ContextIndex(versions)
  const listeners = new Set<ContextListener>()
  const queue = new TimerQueue()
  const dirty = new Set<string>()
  /** Prefixes that gained a prefix delete since housekeeping last ran. */
  let prefixesAdded = new Set<string>()
  let flushQueued = false
  let housekeeping: Promise<void> = Promise.resolve()
  let closed = false
  const observeRemote = createRemoteVersions(hlc, log, namespace)

  // ---- index maintenance -------------------------------------------------------------------

  /** `record`: the version's record when the caller has it (the map's value is not looked up). */
  function indexVersion (composite: string, remote: boolean, affected: Set<string>, record = versions.get(composite)): string | undefined {
    const [key, token] = splitCompositeKey(composite)
    if (!isToken(token)) return undefined
    if (record !== undefined) index.addVersion(key, token, record)
    else index.removeVersion(key, token)
    affected.add(key)
    return remote ? token : undefined
  }

  function indexPrefix (composite: string, affected: Set<string>): string | undefined {
    const [prefix, token] = splitCompositeKey(composite)
    if (!isToken(token)) return undefined
    const record = prefixDeletes.get(composite)
    if (record !== undefined) {
      index.addToken(index.prefixDeletes, prefix, token)
      prefixesAdded.add(prefix)
      if (Number.isFinite(record.writtenAt)) {
        queue.push(record.writtenAt + limits.tombstoneGraceMs, PREFIX_ENTRY + composite)
        arm()
      }
    } else {
      index.removeToken(index.prefixDeletes, prefix, token)
    }
    for (const key of index.sortedKeys.withPrefix(prefix)) affected.add(key)
    return token
  }

  function indexSnapshot (composite: string): void {
    const [name, token] = splitCompositeKey(composite)
    if (!isToken(token)) return
    if (snapshots.get(composite) !== undefined) index.addToken(index.snapshots, name, token)
    else index.removeToken(index.snapshots, name, token)
  }

  function refresh (affected: Iterable<string>, remote: boolean): void {
    const now = hlc.physicalNow()
    for (const key of affected) {
      const ks = index.recompute(key, now)
      if (ks === undefined) continue
      announce(ks, now, remote)
      schedule(ks, now)
      if (needsGc(index, key, limits)) dirty.add(key)
      index.forgetIfEmpty(ks)
    }
    if (dirty.size > 0 || prefixesAdded.size > 0) queueFlush()
  }

  function onTransaction (tr: Y.Transaction): void {
    const changed = tr.changed as Map<unknown, Set<string | null>>
    const v = changed.get(versionsMap)
    const p = changed.get(prefixDeletes)
    const s = changed.get(snapshots)
    if (v === undefined && p === undefined && s === undefined) return
    const remote = !isLocalOrigin(tr.origin)
    const affected = new Set<string>()
    const tokens: string[] = []
    const track = (t: string | undefined): void => { if (t !== undefined) tokens.push(t) }
    for (const c of p ?? []) if (c !== null) track(indexPrefix(c, affected))
    for (const c of v ?? []) if (c !== null) track(indexVersion(c, remote, affected))
    for (const c of s ?? []) if (c !== null) indexSnapshot(c)
    if (remote) observeRemote(tokens)
    refresh(affected, remote)
  }

  // ---- change events -----------------------------------------------------------------------

  function emit (change: ContextChange): void {
    for (const listener of listeners) {
      try {
        listener(change)
      } catch (err) {
        log.error('context listener failed', { namespace, err: String(err) })
      }
    }
  }

  /** Compares what observers were last told with the truth now, and tells them the difference. */
  function announce (ks: KeyState, now: number, remote: boolean): void {
    const truth = ks.live && !isExpired(ks.top as VersionRecord, now) ? ks.entry : undefined
    const shown = ks.shown
    if (truth === shown || (truth !== undefined && shown !== undefined && truth.version === shown.version)) {
      ks.shown = truth
      return
    }
    ks.shown = truth
    if (truth !== undefined) {
      emit({ kind: 'put', entry: truth, remote })
    } else if (shown !== undefined) {
      if (ks.top !== undefined && !ks.top.deleted && !ks.shadowed && isExpired(ks.top, now)) {
        emit({ kind: 'expired', entry: shown, remote })
      } else {
        const shadow = index.shadowToken(ks.key)
        const marker = ks.top?.deleted === true ? ks.topToken : undefined
        const version = [marker, shadow].reduce<string>((a, b) => b !== undefined && b > a ? b : a, shown.version)
        emit({ kind: 'delete', entry: { ...shown, value: EMPTY, deleted: true, version }, remote })
      }
    }
  }

  // ---- time-driven housekeeping ------------------------------------------------------------

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
      announce(ks, now, false)
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

  function queueFlush (): void {
    if (flushQueued) return
    flushQueued = true
    // Not inside the observer: a transaction started there would not be the caller's.
    housekeeping = Promise.all([housekeeping, Promise.resolve().then(() => {
      flushQueued = false
      if (closed) return
      const keys = [...dirty]
      dirty.clear()
      collect(keys, hlc.physicalNow())
    })]).then(() => {})
  }

  // ---- writes ------------------------------------------------------------------------------

  /** A token greater than `above` (when given) and than anything this clock issued. */
  function nextToken (above: string | undefined): { token: string, localMs: number } {
    const local = hlc.now()
    const token = formatToken(local)
    if (above === undefined || token > above) return { token, localMs: local.physicalMs }
    const next = successor(parseToken(above), hlc.nodeId)
    hlc.observe(next)
    return { token: formatToken(next), localMs: local.physicalMs }
  }

  function greatestAbove (keys: Iterable<string>, extra?: string): string | undefined {
    let best = extra
    for (const key of keys) {
      for (const t of [index.keys.get(key)?.topToken, index.shadowToken(key)]) {
        if (t !== undefined && (best === undefined || t > best)) best = t
      }
    }
    return best
  }

  function quotaCheck (addKeys: number, addBytes: number): void {
    if (addKeys > 0 && index.liveKeys + addKeys > limits.maxKeys) {
      throw new CamosError('CAMOS_ERR_QUOTA_EXCEEDED', `namespace "${namespace}" has ${index.liveKeys} keys; the write needs ${addKeys} more and the limit is ${limits.maxKeys} (limits.max_keys)`)
    }
    if (addBytes > 0 && index.liveBytes + addBytes > limits.maxBytes) {
      throw new CamosError('CAMOS_ERR_QUOTA_EXCEEDED', `namespace "${namespace}" holds ${index.liveBytes} bytes; the write adds ${addBytes} and the limit is ${limits.maxBytes} bytes (limits.max_bytes)`)
    }
  }

  function deleteMarker (author: string, writtenAt: number): VersionRecord {
    return { value: EMPTY, contentType: '', metadata: {}, sha256: '', author, writtenAt, expiresAt: 0, deleted: true }
  }

  function current (key: string): ContextEntry | undefined {
    return index.current(key, hlc.physicalNow())
  }

  function liveKeys (prefix: string): string[] {
    const now = hlc.physicalNow()
    const keys: string[] = []
    for (const key of index.sortedKeys.withPrefix(prefix)) if (index.current(key, now) !== undefined) keys.push(key)
    return keys
  }

  async function put (key: string, input: PutInput, origin: TransactionOrigin): Promise<ContextEntry> {
    if (input.value.byteLength > limits.maxValueBytes) {
      throw new CamosError('CAMOS_ERR_VALUE_TOO_LARGE', `value is ${input.value.byteLength} bytes; the limit is ${limits.maxValueBytes} bytes (limits.max_value_bytes)`)
    }
    const cur = current(key)
    if (input.ifAbsent === true && cur !== undefined) {
      throw new CamosError('CAMOS_ERR_VERSION_MISMATCH', `key "${key}" exists (version ${cur.version}); if_absent requires that it does not`)
    }
    if (input.ifVersion !== undefined && input.ifVersion !== '' && cur?.version !== input.ifVersion) {
      throw new CamosError('CAMOS_ERR_VERSION_MISMATCH', `key "${key}" is at version ${cur?.version ?? '(none)'}, not ${input.ifVersion}`)
    }
    const ks = index.keys.get(key)
    const counted = ks?.live === true ? ks.bytes : 0
    const bytes = entryBytes(key, input.value)
    quotaCheck(ks?.live === true ? 0 : 1, bytes - counted)
    const { token, localMs } = nextToken(greatestAbove([key]))
    const record = valueRecord(new Uint8Array(input.value), input.contentType, { ...input.metadata }, hlc.nodeId, localMs, input.ttlMs > 0 ? localMs + input.ttlMs : 0)
    await transact(() => { versions.set(compositeKey(key, token), record) }, origin)
    return toEntry(key, token, record)
  }

  async function forgetKey (key: string, origin: TransactionOrigin): Promise<ForgetResult> {
    const count = current(key) === undefined ? 0 : 1
    const { token, localMs } = nextToken(greatestAbove([key]))
    await transact(() => { versions.set(compositeKey(key, token), deleteMarker(hlc.nodeId, localMs)) }, origin)
    return { version: token, count }
  }

  async function forgetPrefix (prefix: string, origin: TransactionOrigin): Promise<ForgetResult> {
    const matching = [...index.sortedKeys.withPrefix(prefix)]
    const count = liveKeys(prefix).length
    const { token, localMs } = nextToken(greatestAbove(matching, index.prefixDeletes.get(prefix)?.at(-1)))
    const record: PrefixDeleteRecord = { author: hlc.nodeId, writtenAt: localMs }
    await transact(() => { prefixDeletes.set(compositeKey(prefix, token), record) }, origin)
    return { version: token, count }
  }

  async function snapshot (name: string, description: string, origin: TransactionOrigin): Promise<SnapshotResult> {
    if (index.snapshots.has(name)) {
      throw new CamosError('CAMOS_ERR_SNAPSHOT_EXISTS', `namespace "${namespace}" already has a snapshot named "${name}"`)
    }
    const entries: SnapshotEntry[] = []
    let bytes = 0
    for (const e of liveKeys('').map(k => current(k) as ContextEntry)) {
      entries.push({ key: e.key, value: e.value.slice(), contentType: e.contentType, metadata: { ...e.metadata } })
      bytes += entryBytes(e.key, e.value)
    }
    const ts = hlc.now()
    const token = formatToken(ts)
    const record: SnapshotRecord = { createdAt: ts.physicalMs, description, author: hlc.nodeId, entries }
    await transact(() => { snapshots.set(compositeKey(name, token), record) }, origin)
    return { name, version: token, keyCount: entries.length, bytes }
  }

  async function restore (name: string, origin: TransactionOrigin): Promise<RestoreResult> {
    const tokens = index.snapshots.get(name)
    const record = tokens === undefined ? undefined : snapshots.get(compositeKey(name, tokens[tokens.length - 1]))
    if (record === undefined || !Array.isArray(record.entries)) {
      throw new CamosError('CAMOS_ERR_SNAPSHOT_NOT_FOUND', `namespace "${namespace}" has no snapshot named "${name}"`)
    }
    const wanted = new Map(record.entries.map(e => [e.key, e]))
    const writes = record.entries.filter(e => !sameContent(current(e.key), e))
    const deletes = liveKeys('').filter(k => !wanted.has(k))
    const bytes = record.entries.reduce((n, e) => n + entryBytes(e.key, e.value), 0)
    if (record.entries.length > limits.maxKeys || bytes > limits.maxBytes) {
      throw new CamosError('CAMOS_ERR_QUOTA_EXCEEDED', `snapshot "${name}" holds ${record.entries.length} keys and ${bytes} bytes; the limits are ${limits.maxKeys} keys (limits.max_keys) and ${limits.maxBytes} bytes (limits.max_bytes)`)
    }
    const { token, localMs } = nextToken(greatestAbove([...writes.map(e => e.key), ...deletes]))
    const author = hlc.nodeId
    await transact(() => {
      for (const e of writes) versions.set(compositeKey(e.key, token), valueRecord(e.value, e.contentType, e.metadata, author, localMs, 0))
      for (const key of deletes) versions.set(compositeKey(key, token), deleteMarker(author, localMs))
    }, origin)
    return { version: token, written: writes.length, deleted: deletes.length }
  }

  // ---- build -------------------------------------------------------------------------------

  const initial = new Set<string>()
  const stored: string[] = []
  for (const c of prefixDeletes.keys()) {
    const t = indexPrefix(c, initial)
    if (t !== undefined) stored.push(t)
  }
  // Values straight from the iteration: a catch-up builds 100,000 keys here, and looking each
  // one up again by name was a measurable part of that.
  versionsMap.forEach((value, c) => {
    const t = indexVersion(c, true, initial, versions.decode(value))
    if (t !== undefined) stored.push(t)
  })
  for (const c of snapshots.keys()) indexSnapshot(c)
  observeRemote(stored)
  refresh(initial, true)
  doc.on('afterTransaction', onTransaction)
  doc.on('destroy', () => { close() })

  function close (): void {
    if (closed) return
    closed = true
    queue.clearTimer()
    doc.off('afterTransaction', onTransaction)
    listeners.clear()
  }

  return {
    namespace,
    get: current,
    getVersion (key, token) {
      return visibleVersion(key, token, versions.get(compositeKey(key, token)), index.shadowToken(key), hlc.physicalNow())
    },
    versions (key, limit = 0) {
      const ks = index.keys.get(key)
      if (ks === undefined) return []
      const now = hlc.physicalNow()
      const shadow = index.shadowToken(key)
      const out: ContextEntry[] = []
      for (let i = ks.tokens.length - 1; i >= 0 && (limit === 0 || out.length < limit); i--) {
        const token = ks.tokens[i]
        const entry = visibleVersion(key, token, versions.get(compositeKey(key, token)), shadow, now)
        if (entry !== undefined) out.push(entry)
      }
      return out
    },
    entries (prefix) {
      const now = hlc.physicalNow()
      const out: ContextEntry[] = []
      for (const key of index.sortedKeys.withPrefix(prefix)) {
        const e = index.current(key, now)
        if (e !== undefined) out.push(e)
      }
      return out
    },
    usage: () => ({ keys: index.liveKeys, bytes: index.liveBytes }),
    put,
    forgetKey,
    forgetPrefix,
    snapshot,
    restore,
    subscribe (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    maintain,
    async settled () {
      let seen: Promise<void> | undefined
      while (seen !== housekeeping) {
        seen = housekeeping
        await seen
      }
    },
    close
  }
}
