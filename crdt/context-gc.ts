/**
 * Deterministic garbage collection of a context document. Each rule is a function of the
 * document state and the HLC time only, and HLC time only moves forward, so any node may run
 * it at any time: nodes that run it on the same merged state delete the same map keys, and
 * deleting a key twice is harmless. After merging, every node converges to the same retained set.
 *
 * Per key (versions sorted by token):
 * 1. versions with a smaller token than a matching prefix delete are removed (they can never
 *    become visible again);
 * 2. if the greatest remaining version has expired, its value and metadata are stripped (it
 *    stays as a small tombstone so that a late, older write cannot resurrect the key) and
 *    every older version is removed;
 * 3. a tombstone (delete marker, or stripped expired version) older than the grace period is
 *    removed together with the key's whole history;
 * 4. expired history versions are removed, and only the `historyLimit` greatest tokens are kept.
 * Prefix deletes: one subsumed by another (same or shorter prefix, greater token) is removed,
 * and one older than the grace period is removed together with the versions it still hides
 * (as rule 3 does for a key's tombstone: past the grace, a write older than the delete that
 * arrives only then shows again).
 */
import { compositeKey, isExpired, type ContextLimits, type VersionRecord } from './context-types.js'
import type { ContextIndex } from './context-index.js'
import type { VersionStore } from './version-record.js'

export interface GcPlan {
  /** Map keys of `versions` to delete. */
  deletes: string[]
  /** Map keys of `versions` to replace by a stripped tombstone. */
  strips: Array<[string, VersionRecord]>
}

const EMPTY = new Uint8Array(0)

export function stripRecord (record: VersionRecord): VersionRecord {
  return { ...record, value: EMPTY, metadata: {} }
}

export function isStripped (record: VersionRecord): boolean {
  return record.value.byteLength === 0 && Object.keys(record.metadata).length === 0
}

/** When a key whose greatest version is `top` may lose its whole history; undefined = not a tombstone. */
export function tombstoneSince (top: VersionRecord, nowMs: number): number | undefined {
  if (top.deleted) return top.writtenAt
  if (isExpired(top, nowMs)) return top.expiresAt
  return undefined
}

export function planKeyGc (index: ContextIndex, versions: VersionStore, keys: Iterable<string>, nowMs: number, limits: ContextLimits): GcPlan {
  const plan: GcPlan = { deletes: [], strips: [] }
  for (const key of keys) {
    const ks = index.keys.get(key)
    if (ks === undefined || ks.tokens.length === 0) continue
    const shadow = index.shadowToken(key)
    let kept: string[] = []
    for (const token of ks.tokens) {
      if (shadow !== undefined && token < shadow) plan.deletes.push(compositeKey(key, token))
      else kept.push(token)
    }
    if (kept.length === 0) continue
    const topToken = kept[kept.length - 1]
    const top = versions.get(compositeKey(key, topToken))
    if (top === undefined) continue
    const since = tombstoneSince(top, nowMs)
    if (since !== undefined && since + limits.tombstoneGraceMs <= nowMs) {
      for (const token of kept) plan.deletes.push(compositeKey(key, token))
      continue
    }
    if (!top.deleted && since !== undefined) {
      if (!isStripped(top)) plan.strips.push([compositeKey(key, topToken), stripRecord(top)])
      for (const token of kept.slice(0, -1)) plan.deletes.push(compositeKey(key, token))
      continue
    }
    const history: string[] = []
    for (const token of kept) {
      const record = token === topToken ? top : versions.get(compositeKey(key, token))
      if (record !== undefined && token !== topToken && !record.deleted && isExpired(record, nowMs)) {
        plan.deletes.push(compositeKey(key, token))
      } else {
        history.push(token)
      }
    }
    kept = history
    for (const token of kept.slice(0, Math.max(0, kept.length - limits.historyLimit))) {
      plan.deletes.push(compositeKey(key, token))
    }
  }
  return plan
}

/**
 * Map keys of `prefixDeletes` made redundant by another prefix delete. `added`: the prefixes that
 * gained a prefix delete since the last plan was carried out, which left every other prefix
 * clean; only they can have made something redundant, so only they and the prefixes under them
 * are looked at. Without it every prefix is. Either way the cost stays linear in the number of
 * prefixes, which matters: a prefix delete only goes when another subsumes it, so a workload
 * that deletes many distinct prefixes (one per session, say) keeps them all.
 */
export function planPrefixGc (index: ContextIndex, added?: Iterable<string>): string[] {
  const deletes = new Set<string>()
  /** The tokens of `prefix` that a greater one of its own or of a shorter matching prefix hides. */
  const redundant = (prefix: string, tokens: string[]): void => {
    const above = index.shadowToken(prefix, prefix.length - 1)
    const keep = above !== undefined && above > tokens[tokens.length - 1] ? 0 : 1
    for (const token of tokens.slice(0, tokens.length - keep)) deletes.add(compositeKey(prefix, token))
  }
  if (added === undefined) {
    for (const [prefix, tokens] of index.prefixDeletes) redundant(prefix, tokens)
    return [...deletes]
  }
  for (const prefix of added) {
    const tokens = index.prefixDeletes.get(prefix)
    if (tokens === undefined) continue
    redundant(prefix, tokens)
    const top = tokens[tokens.length - 1]
    for (const [other, otherTokens] of index.prefixDeletes) {
      if (other.length <= prefix.length || !other.startsWith(prefix)) continue
      for (const token of otherTokens) if (token < top) deletes.add(compositeKey(other, token))
    }
  }
  return [...deletes]
}

/**
 * Prefix deletes past the grace period, given as [prefix, token, writtenAt], and the versions
 * they hide: map keys of `prefixDeletes` and of `versions` to delete.
 */
export function planPrefixExpiry (index: ContextIndex, due: Iterable<[string, string, number]>, nowMs: number, limits: ContextLimits): { prefixes: string[], versions: string[] } {
  const plan = { prefixes: [] as string[], versions: [] as string[] }
  for (const [prefix, token, writtenAt] of due) {
    if (writtenAt + limits.tombstoneGraceMs > nowMs) continue
    plan.prefixes.push(compositeKey(prefix, token))
    for (const key of index.sortedKeys.withPrefix(prefix)) {
      for (const t of index.keys.get(key)?.tokens ?? []) {
        if (t >= token) break
        plan.versions.push(compositeKey(key, t))
      }
    }
  }
  return plan
}

/** True when planKeyGc would find work for this key without waiting for time to pass. */
export function needsGc (index: ContextIndex, key: string, limits: ContextLimits): boolean {
  const ks = index.keys.get(key)
  if (ks === undefined || ks.tokens.length === 0) return false
  if (ks.tokens.length > limits.historyLimit) return true
  const shadow = index.shadowToken(key)
  return shadow !== undefined && ks.tokens[0] < shadow
}
