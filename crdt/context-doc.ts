/**
 * The Yjs model of one memory-context namespace (document `ctx/<namespace>`), its read index
 * and its change events. Map layout and record shapes: context-types.ts; TTL expiry and GC:
 * context-housekeeping.ts, with the rules in context-gc.ts.
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
import { createHousekeeping } from './context-housekeeping.js'
import { isLocalOrigin, type TransactionOrigin } from './origin.js'
import {
  compositeKey, entryBytes, isExpired, resolveLimits, sameContent, splitCompositeKey, toEntry, valueRecord, visibleVersion,
  type ContextChange, type ContextEntry, type ContextLimits, type ContextListener,
  type PrefixDeleteRecord, type SnapshotEntry, type SnapshotRecord, type VersionRecord
} from './context-types.js'
import { createVersionStore } from './version-record.js'
import { createRemoteVersions } from './remote-versions.js'
import type { Logger } from './types.js'

const EMPTY = new Uint8Array(0)

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
  const housekeeping = createHousekeeping({
    index, versions, versionsMap, prefixDeletes, hlc, transact, log, announce: (ks, now) => { announce(ks, now, false) }
  }, { namespace, limits })
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
      housekeeping.prefixAdded(prefix, composite, record)
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
      housekeeping.keyChanged(ks, now)
      index.forgetIfEmpty(ks)
    }
    housekeeping.flush()
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
    housekeeping.close()
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
    maintain: housekeeping.maintain,
    settled: housekeeping.settled,
    close
  }
}
