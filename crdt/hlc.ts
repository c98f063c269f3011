/**
 * Hybrid logical clock (Kulkarni et al.): a timestamp is (physical ms, logical counter, node id).
 * `now()` issues a timestamp greater than every one this clock issued or observed before;
 * `observe()` merges a timestamp received from elsewhere (a replicated version token).
 *
 * Version token (proto/camos/v1/common.proto, message Hlc):
 *
 *   <physical_ms as 12 lowercase hex>.<logical as 4 lowercase hex>.<node_id>
 *
 * The first two fields have a fixed width, so comparing two tokens as strings (code-unit order)
 * is the same as comparing (physical, logical, node id): the token sorts in HLC order.
 *
 * Drift bound (the choice documented here): a remote reading more than `maxDriftMs` ahead of
 * the local wall clock is REJECTED — it is not merged into the clock, `observe()` returns false
 * and the rejection is counted. Clamping to wall + maxDriftMs would still let one node with a
 * wildly fast clock drag every node's time forward by the bound on every message; rejecting
 * keeps each node's HLC within `maxDriftMs` of its own wall clock, so TTLs (evaluated against the
 * local HLC) never expire early because of another node's clock. The remote write itself is
 * still applied (a CRDT cannot refuse it); writers that have seen it get a greater token anyway
 * (see context-doc.ts), so a fast node cannot win against writes that come after it causally.
 */

/** Default bound on how far ahead of the local wall clock a remote reading may be, ms. */
export const DEFAULT_MAX_DRIFT_MS = 60_000
/** Largest logical counter (4 hex digits). When it would overflow, physical time moves 1 ms. */
export const MAX_LOGICAL = 0xffff
/** Largest physical time a token can hold (12 hex digits). */
export const MAX_PHYSICAL_MS = 0xffff_ffff_ffff
/** Node ids are safe inside tokens, composite Yjs keys and log lines. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.:-]{0,127}$/

const TOKEN_PATTERN = /^([0-9a-f]{12})\.([0-9a-f]{4})\.(.+)$/
/** The whole token in one test, without captures: isToken runs for every version a catch-up brings. */
const TOKEN_TEST = new RegExp(`^[0-9a-f]{12}\\.[0-9a-f]{4}\\.${NODE_ID_PATTERN.source.slice(1)}`)

export interface HlcTimestamp {
  physicalMs: number
  logical: number
  nodeId: string
}

export interface HlcComponents {
  /** Wall clock in ms since the Unix epoch; injectable so tests can skew it. */
  now?: () => number
}

export interface HlcInit {
  nodeId: string
  maxDriftMs?: number
}

export interface Hlc {
  readonly nodeId: string
  /** A new timestamp for a local event, greater than any issued or observed before. */
  now: () => HlcTimestamp
  /** `now()` as a version token. */
  nowToken: () => string
  /**
   * The clock's physical reading without issuing a timestamp: max(wall clock, last HLC
   * physical time). Expiry is judged against this, never against the wall clock alone.
   */
  physicalNow: () => number
  /** Merge a received timestamp. Returns false when it was rejected by the drift bound. */
  observe: (remote: HlcTimestamp) => boolean
  /** Remote readings rejected by the drift bound since creation. */
  rejectedCount: () => number
}

export class HlcFormatError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'HlcFormatError'
  }
}

export function createHlc (components: HlcComponents, init: HlcInit): Hlc {
  const wall = components.now ?? Date.now
  const maxDriftMs = init.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS
  if (!NODE_ID_PATTERN.test(init.nodeId)) {
    throw new HlcFormatError(`node id "${init.nodeId}" must match ${String(NODE_ID_PATTERN)}`)
  }
  const nodeId = init.nodeId
  let physical = 0
  let logical = 0
  let rejected = 0

  function tick (): HlcTimestamp {
    const w = wall()
    if (w > physical) {
      physical = w
      logical = 0
    } else if (logical < MAX_LOGICAL) {
      logical++
    } else {
      physical++
      logical = 0
    }
    return { physicalMs: physical, logical, nodeId }
  }

  return {
    nodeId,
    now: tick,
    nowToken: () => formatToken(tick()),
    physicalNow: () => Math.max(wall(), physical),
    observe (remote) {
      const w = wall()
      if (remote.physicalMs - w > maxDriftMs) {
        rejected++
        return false
      }
      const p = Math.max(w, physical, remote.physicalMs)
      let l: number
      if (p === physical && p === remote.physicalMs) l = Math.max(logical, remote.logical) + 1
      else if (p === physical) l = logical + 1
      else if (p === remote.physicalMs) l = remote.logical + 1
      else l = 0
      if (l > MAX_LOGICAL) {
        physical = p + 1
        logical = 0
      } else {
        physical = p
        logical = l
      }
      return true
    },
    rejectedCount: () => rejected
  }
}

/** Formats a timestamp as a version token; throws HlcFormatError on out-of-range fields. */
export function formatToken (ts: HlcTimestamp): string {
  if (!Number.isSafeInteger(ts.physicalMs) || ts.physicalMs < 0 || ts.physicalMs > MAX_PHYSICAL_MS) {
    throw new HlcFormatError(`physical time ${ts.physicalMs} is outside 0..${MAX_PHYSICAL_MS}`)
  }
  if (!Number.isInteger(ts.logical) || ts.logical < 0 || ts.logical > MAX_LOGICAL) {
    throw new HlcFormatError(`logical counter ${ts.logical} is outside 0..${MAX_LOGICAL}`)
  }
  if (!NODE_ID_PATTERN.test(ts.nodeId)) {
    throw new HlcFormatError(`node id "${ts.nodeId}" must match ${String(NODE_ID_PATTERN)}`)
  }
  return `${ts.physicalMs.toString(16).padStart(12, '0')}.${ts.logical.toString(16).padStart(4, '0')}.${ts.nodeId}`
}

/** Parses a version token; throws HlcFormatError saying what is wrong. */
export function parseToken (token: string): HlcTimestamp {
  const m = TOKEN_PATTERN.exec(token)
  if (m === null) {
    throw new HlcFormatError('version token must be "<12 lowercase hex>.<4 lowercase hex>.<node id>"')
  }
  const nodeId = m[3]
  if (!NODE_ID_PATTERN.test(nodeId)) {
    throw new HlcFormatError(`node id "${nodeId}" in version token must match ${String(NODE_ID_PATTERN)}`)
  }
  return { physicalMs: parseInt(m[1], 16), logical: parseInt(m[2], 16), nodeId }
}

export function isToken (token: string): boolean {
  return TOKEN_TEST.test(token)
}

/** HLC order of two timestamps: physical, then logical, then node id. */
export function compareTimestamps (a: HlcTimestamp, b: HlcTimestamp): number {
  if (a.physicalMs !== b.physicalMs) return a.physicalMs < b.physicalMs ? -1 : 1
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1
  return a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0
}

/** HLC order of two version tokens (plain string order, thanks to the fixed-width fields). */
export function compareTokens (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The smallest timestamp of `nodeId` that is greater than `ts`: used to give a write a token
 * greater than the version it replaces even when that version came from a faster clock.
 */
export function successor (ts: HlcTimestamp, nodeId: string): HlcTimestamp {
  if (nodeId > ts.nodeId) return { physicalMs: ts.physicalMs, logical: ts.logical, nodeId }
  if (ts.logical < MAX_LOGICAL) return { physicalMs: ts.physicalMs, logical: ts.logical + 1, nodeId }
  return { physicalMs: ts.physicalMs + 1, logical: 0, nodeId }
}
