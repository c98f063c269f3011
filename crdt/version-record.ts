/**
 * The stored form of a VersionRecord in the `versions` map, and the boundary between it and the
 * in-memory record the rest of the code works with.
 *
 * Yjs encodes a plain object value with every property name and value, on every write, so the
 * stored form uses one-letter keys and leaves defaults out:
 *
 *   v  value (Uint8Array)                        always
 *   c  contentType                               omitted when STORED_DEFAULT_CONTENT_TYPE
 *   m  metadata (string → string)                omitted when empty
 *   h  sha256: 32 raw bytes (Uint8Array)         omitted when '' (delete markers); any other
 *                                                non-hex-digest string is kept as a string
 *   a  author (node id)                          always
 *   w  writtenAt, ms                             always
 *   x  expiresAt, ms                             omitted when 0 (never)
 *   d  1 = delete marker                         omitted when not deleted
 *
 * Values in the legacy full form (`{ value, contentType, … }`) are still read, so documents
 * persisted or sent by nodes that predate this form keep working.
 */
import type * as Y from 'yjs'
import type { VersionRecord } from './context-types.js'

/**
 * Content type a stored version has when `c` is absent. Part of the stored format: it must
 * never change, whatever the API default becomes.
 */
export const STORED_DEFAULT_CONTENT_TYPE = 'application/octet-stream'

export interface StoredVersion {
  v: Uint8Array
  c?: string
  m?: Record<string, string>
  h?: Uint8Array | string
  a: string
  w: number
  x?: number
  d?: 1
}

const HEX_DIGEST = /^[0-9a-f]{64}$/

export function encodeVersionRecord (record: VersionRecord): StoredVersion {
  const stored: StoredVersion = { v: record.value, a: record.author, w: record.writtenAt }
  if (record.contentType !== STORED_DEFAULT_CONTENT_TYPE) stored.c = record.contentType
  if (Object.keys(record.metadata).length > 0) stored.m = record.metadata
  if (HEX_DIGEST.test(record.sha256)) stored.h = new Uint8Array(Buffer.from(record.sha256, 'hex'))
  else if (record.sha256 !== '') stored.h = record.sha256
  if (record.expiresAt !== 0) stored.x = record.expiresAt
  if (record.deleted) stored.d = 1
  return stored
}

/** The record a stored value stands for; undefined for a malformed value (e.g. from a peer). */
export function decodeVersionRecord (stored: unknown): VersionRecord | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined
  if ('value' in stored) return isLegacyRecord(stored) ? stored : undefined
  const s = stored as Partial<Record<keyof StoredVersion, unknown>>
  if (!(s.v instanceof Uint8Array) || typeof s.a !== 'string' || typeof s.w !== 'number') return undefined
  if (s.c !== undefined && typeof s.c !== 'string') return undefined
  if (s.m !== undefined && (typeof s.m !== 'object' || s.m === null)) return undefined
  if (s.x !== undefined && typeof s.x !== 'number') return undefined
  if (s.d !== undefined && s.d !== 1) return undefined
  let sha256 = ''
  if (s.h instanceof Uint8Array) sha256 = Buffer.from(s.h.buffer, s.h.byteOffset, s.h.byteLength).toString('hex')
  else if (typeof s.h === 'string') sha256 = s.h
  else if (s.h !== undefined) return undefined
  return {
    value: s.v,
    contentType: s.c ?? STORED_DEFAULT_CONTENT_TYPE,
    metadata: (s.m as Record<string, string> | undefined) ?? {},
    sha256,
    author: s.a,
    writtenAt: s.w,
    expiresAt: s.x ?? 0,
    deleted: s.d === 1
  }
}

/** The shape check the full form always had. */
function isLegacyRecord (v: object): v is VersionRecord {
  const r = v as Partial<VersionRecord>
  return r.value instanceof Uint8Array && typeof r.deleted === 'boolean' && typeof r.expiresAt === 'number' &&
    typeof r.writtenAt === 'number' && typeof r.metadata === 'object' && r.metadata !== null
}

/** Decoded access to a `versions` map: the only place that reads or writes its values. */
export interface VersionStore {
  /** The decoded record under a composite key; the same object while the stored value is unchanged. */
  get: (composite: string) => VersionRecord | undefined
  /** The record of a value read from the map (e.g. while iterating it), cached like get's. */
  decode: (stored: unknown) => VersionRecord | undefined
  set: (composite: string, record: VersionRecord) => void
}

export function createVersionStore (versions: Y.Map<unknown>): VersionStore {
  // Keyed by the stored value Yjs holds, so each value is decoded once and reads stay O(1).
  const decoded = new WeakMap<object, VersionRecord | null>()
  function decode (stored: unknown): VersionRecord | undefined {
    if (typeof stored !== 'object' || stored === null) return undefined
    let record = decoded.get(stored)
    if (record === undefined) {
      record = decodeVersionRecord(stored) ?? null
      decoded.set(stored, record)
    }
    return record ?? undefined
  }
  return {
    get: composite => decode(versions.get(composite)),
    decode,
    set (composite, record) {
      const stored = encodeVersionRecord(record)
      decoded.set(stored, record)
      versions.set(composite, stored)
    }
  }
}
