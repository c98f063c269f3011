/**
 * The in-memory read index of one context document, rebuilt on load and maintained from the
 * Yjs transactions (local and remote) by context-doc.ts. It answers "current value of key"
 * with one Map lookup and an expiry check, and walks key prefixes in sorted order.
 *
 * Per key it keeps the retained version tokens in ascending order and the greatest one's record.
 * `live` means: the greatest version is not a delete and no prefix delete with a greater token
 * matches the key. Expiry is time-based, so it is checked at read time against the HLC.
 */
import { SortedKeys } from './sorted-keys.js'
import { compositeKey, isExpired, toEntry, type ContextEntry, type VersionRecord } from './context-types.js'
import type { VersionStore } from './version-record.js'

export interface KeyState {
  key: string
  keyBytes: number
  /** Retained version tokens, ascending. */
  tokens: string[]
  topToken: string | undefined
  top: VersionRecord | undefined
  /** Entry of the greatest version (cached: reads return it as is). */
  entry: ContextEntry | undefined
  /** Greatest version is a value, not shadowed and not expired when last recomputed. */
  live: boolean
  /** Greatest version is hidden by a prefix delete. */
  shadowed: boolean
  /** Bytes counted against the quota while live: key + value. */
  bytes: number
  /** The current entry observers were last told about (drives PUT/DELETE/EXPIRED). */
  shown: ContextEntry | undefined
  /** When the time queue will next look at this key. */
  scheduledAt: number | undefined
  /** The record of the last token added, so recompute() need not look it up again. */
  addedToken: string | undefined
  added: VersionRecord | undefined
}

export class ContextIndex {
  readonly keys = new Map<string, KeyState>()
  readonly sortedKeys = new SortedKeys(key => this.keys.has(key))
  /** prefix → tokens of its prefix deletes, ascending. */
  readonly prefixDeletes = new Map<string, string[]>()
  /** snapshot name → tokens, ascending. */
  readonly snapshots = new Map<string, string[]>()
  liveKeys = 0
  liveBytes = 0

  constructor (private readonly versions: VersionStore) {}

  state (key: string): KeyState {
    let ks = this.keys.get(key)
    if (ks === undefined) {
      ks = {
        key,
        keyBytes: Buffer.byteLength(key, 'utf8'),
        tokens: [],
        topToken: undefined,
        top: undefined,
        entry: undefined,
        live: false,
        shadowed: false,
        bytes: 0,
        shown: undefined,
        scheduledAt: undefined,
        addedToken: undefined,
        added: undefined
      }
      this.keys.set(key, ks)
      this.sortedKeys.add(key)
    }
    return ks
  }

  addVersion (key: string, token: string, record: VersionRecord): void {
    const ks = this.state(key)
    insertSorted(ks.tokens, token)
    ks.addedToken = token
    ks.added = record
  }

  removeVersion (key: string, token: string): void {
    const ks = this.keys.get(key)
    if (ks !== undefined) removeSorted(ks.tokens, token)
  }

  addToken (map: Map<string, string[]>, name: string, token: string): void {
    let tokens = map.get(name)
    if (tokens === undefined) {
      tokens = []
      map.set(name, tokens)
    }
    insertSorted(tokens, token)
  }

  removeToken (map: Map<string, string[]>, name: string, token: string): void {
    const tokens = map.get(name)
    if (tokens === undefined) return
    removeSorted(tokens, token)
    if (tokens.length === 0) map.delete(name)
  }

  /**
   * Greatest token of the prefix deletes that match `key`, counting only prefixes at most
   * `maxLength` long (a prefix delete's own prefix asks for the ones above it with length - 1).
   */
  shadowToken (key: string, maxLength = key.length): string | undefined {
    let best: string | undefined
    const consider = (tokens: string[] | undefined): void => {
      const t = tokens?.[tokens.length - 1]
      if (t !== undefined && (best === undefined || t > best)) best = t
    }
    if (this.prefixDeletes.size === 0) return undefined
    if (this.prefixDeletes.size <= maxLength + 1) {
      for (const [prefix, tokens] of this.prefixDeletes) {
        if (prefix.length <= maxLength && key.startsWith(prefix)) consider(tokens)
      }
    } else {
      for (let i = 0; i <= maxLength; i++) consider(this.prefixDeletes.get(key.slice(0, i)))
    }
    return best
  }

  /**
   * Refreshes a key's derived state from the versions map, and the quota counters. Expiry only
   * ever goes one way, so an entry found expired here stops counting for good.
   */
  recompute (key: string, nowMs: number): KeyState | undefined {
    const ks = this.keys.get(key)
    if (ks === undefined) return undefined
    const topToken = ks.tokens[ks.tokens.length - 1]
    // A version's record never changes once written, so the one just added can be reused.
    const top = topToken === undefined ? undefined : topToken === ks.addedToken ? ks.added : this.versions.get(compositeKey(key, topToken))
    ks.addedToken = undefined
    ks.added = undefined
    if (topToken !== ks.topToken || top !== ks.top) {
      ks.topToken = topToken
      ks.top = top
      ks.entry = top === undefined || topToken === undefined ? undefined : toEntry(key, topToken, top)
    }
    if (ks.live) {
      this.liveKeys--
      this.liveBytes -= ks.bytes
    }
    const shadow = this.shadowToken(key)
    ks.shadowed = ks.top !== undefined && shadow !== undefined && shadow > (ks.topToken as string)
    ks.live = ks.top !== undefined && !ks.top.deleted && !ks.shadowed && !isExpired(ks.top, nowMs)
    ks.bytes = ks.live ? ks.keyBytes + (ks.top as VersionRecord).value.byteLength : 0
    if (ks.live) {
      this.liveKeys++
      this.liveBytes += ks.bytes
    }
    return ks
  }

  /** Drops a key that has no retained versions and nothing left to tell observers. */
  forgetIfEmpty (ks: KeyState): void {
    if (ks.tokens.length === 0 && ks.shown === undefined) {
      this.keys.delete(ks.key)
      this.sortedKeys.deleted()
    }
  }

  /** The current entry of a key at HLC time `nowMs`, or undefined. */
  current (key: string, nowMs: number): ContextEntry | undefined {
    const ks = this.keys.get(key)
    if (ks === undefined || !ks.live || isExpired(ks.top as VersionRecord, nowMs)) return undefined
    return ks.entry
  }
}

function insertSorted (tokens: string[], token: string): void {
  const n = tokens.length
  if (n === 0 || tokens[n - 1] < token) {
    tokens.push(token)
    return
  }
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (tokens[mid] < token) lo = mid + 1
    else hi = mid
  }
  if (tokens[lo] !== token) tokens.splice(lo, 0, token)
}

function removeSorted (tokens: string[], token: string): void {
  const i = tokens.indexOf(token)
  if (i >= 0) tokens.splice(i, 1)
}
