/**
 * Shapes and limits of the memory-context document model (see context-doc.ts for the rules).
 *
 * Top-level Y.Maps of a `ctx/<namespace>` document, all with plain (non-Yjs) values and
 * composite keys that embed a version token, so two writers never set the same map key:
 *
 *   versions       `${key}\u0000${token}`    → VersionRecord, stored compactly (version-record.ts)
 *   prefixDeletes  `${prefix}\u0000${token}` → PrefixDeleteRecord ('' prefix = whole namespace)
 *   snapshots      `${name}\u0000${token}`   → SnapshotRecord
 *
 * Keys, prefixes and snapshot names never contain control characters (kernel/validate.ts), so
 * U+0000 separates the parts unambiguously.
 */
import { hash } from 'node:crypto'

/** Versions retained per key (newest first); older ones are deleted deterministically. */
export const DEFAULT_HISTORY_LIMIT = 16
/** Live keys per namespace. */
export const DEFAULT_MAX_KEYS = 1_000_000
/** Bytes of live keys + current values per namespace. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024
/** Largest value of one write. */
export const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024
/**
 * How long a delete marker or an expired entry is kept after it took effect, so that a write
 * delayed by a partition (with a smaller token) cannot bring an older value back. A write
 * delayed by more than this can reappear; after it the key's versions are purged entirely.
 */
export const DEFAULT_TOMBSTONE_GRACE_MS = 7 * 24 * 60 * 60 * 1000

export const CONTEXT_DOC_PREFIX = 'ctx/'
export const KEY_SEPARATOR = '\u0000'

export interface ContextLimits {
  historyLimit: number
  maxKeys: number
  maxBytes: number
  maxValueBytes: number
  tombstoneGraceMs: number
}

export function resolveLimits (limits: Partial<ContextLimits> = {}): ContextLimits {
  return {
    historyLimit: limits.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    maxKeys: limits.maxKeys ?? DEFAULT_MAX_KEYS,
    maxBytes: limits.maxBytes ?? DEFAULT_MAX_BYTES,
    maxValueBytes: limits.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
    tombstoneGraceMs: limits.tombstoneGraceMs ?? DEFAULT_TOMBSTONE_GRACE_MS
  }
}

/** One version of one key, as the code works with it (stored form: version-record.ts). Never mutated once set. */
export interface VersionRecord {
  value: Uint8Array
  contentType: string
  metadata: Record<string, string>
  /** Hex sha256 of value. */
  sha256: string
  /** Node id of the writer. */
  author: string
  /** Writer's HLC physical time, ms. */
  writtenAt: number
  /** HLC physical time from which the version is invisible; 0 = never. */
  expiresAt: number
  /** A delete marker (Forget of one key). */
  deleted: boolean
}

export interface PrefixDeleteRecord {
  author: string
  writtenAt: number
}

export interface SnapshotEntry {
  key: string
  value: Uint8Array
  contentType: string
  metadata: Record<string, string>
}

export interface SnapshotRecord {
  createdAt: number
  description: string
  author: string
  entries: SnapshotEntry[]
}

/** A version as the API shows it (current value, history item or change event). */
export interface ContextEntry {
  key: string
  value: Uint8Array
  contentType: string
  metadata: Record<string, string>
  version: string
  sha256: string
  author: string
  writtenAt: number
  expiresAt: number
  deleted: boolean
}

export type ContextChangeKind = 'put' | 'delete' | 'expired'

export interface ContextChange {
  kind: ContextChangeKind
  /**
   * PUT: the new current entry. DELETE: the entry that is gone, with an empty value, deleted
   * set, and `version` = the token of the delete. EXPIRED: the entry that expired.
   */
  entry: ContextEntry
  /** The change came from a peer or storage rather than from this node. */
  remote: boolean
}

export type ContextListener = (change: ContextChange) => void

export function contextDocName (namespace: string): string {
  return CONTEXT_DOC_PREFIX + namespace
}

export function compositeKey (part: string, token: string): string {
  return part + KEY_SEPARATOR + token
}

/** Splits a composite map key into its name part and version token. */
export function splitCompositeKey (composite: string): [string, string] {
  const i = composite.lastIndexOf(KEY_SEPARATOR)
  return [composite.slice(0, i), composite.slice(i + 1)]
}

export function toEntry (key: string, token: string, record: VersionRecord): ContextEntry {
  return {
    key,
    value: record.value,
    contentType: record.contentType,
    metadata: record.metadata,
    version: token,
    sha256: record.sha256,
    author: record.author,
    writtenAt: record.writtenAt,
    expiresAt: record.expiresAt,
    deleted: record.deleted
  }
}

export function isExpired (record: VersionRecord, nowMs: number): boolean {
  return record.expiresAt !== 0 && nowMs >= record.expiresAt
}

/** Same value, content type and metadata. */
export function sameContent (cur: ContextEntry | undefined, e: SnapshotEntry): boolean {
  if (cur === undefined || cur.contentType !== e.contentType) return false
  if (Buffer.compare(cur.value, e.value) !== 0) return false
  const a = Object.keys(cur.metadata)
  if (a.length !== Object.keys(e.metadata).length) return false
  return a.every(k => cur.metadata[k] === e.metadata[k])
}

/** Bytes a live key counts against its namespace's byte quota. */
export function entryBytes (key: string, value: Uint8Array): number {
  return Buffer.byteLength(key, 'utf8') + value.byteLength
}

/** The record of a write of `value` (not a delete) by `author` at `writtenAt`. */
export function valueRecord (value: Uint8Array, contentType: string, metadata: Record<string, string>, author: string, writtenAt: number, expiresAt: number): VersionRecord {
  return { value, contentType, metadata, sha256: hash('sha256', value, 'hex'), author, writtenAt, expiresAt, deleted: false }
}

/** The entry a version stands for when read at `now`, unless shadowed by a prefix delete or expired. */
export function visibleVersion (key: string, token: string, record: VersionRecord | undefined, shadow: string | undefined, now: number): ContextEntry | undefined {
  if (record === undefined || (shadow !== undefined && token < shadow)) return undefined
  if (!record.deleted && isExpired(record, now)) return undefined
  return toEntry(key, token, record)
}
