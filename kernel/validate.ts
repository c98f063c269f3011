/**
 * Validators for decoded requests (proto-loader objects, any field possibly missing or of the
 * wrong type when it came through JSON). Each returns the typed value or throws
 * InvalidArgumentError(field, problem) whose message names the field (by its proto name) and
 * says what is allowed. A missing field reads as its proto3 default.
 */
import { InvalidArgumentError, type ErrorCode } from './errors.js'
import { isToken } from '../crdt/hlc.js'

export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/
export const SNAPSHOT_NAME_PATTERN = NAMESPACE_PATTERN
/** Largest key (and key prefix), UTF-8 bytes. */
export const MAX_KEY_BYTES = 256
export const MAX_METADATA_ENTRIES = 64
export const MAX_METADATA_KEY_BYTES = 128
export const MAX_METADATA_VALUE_BYTES = 1024
export const MAX_CONTENT_TYPE_BYTES = 255
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream'
/** Longest TTL: 10 years. */
export const MAX_TTL_MS = 10 * 365 * 24 * 60 * 60 * 1000
export const MAX_DESCRIPTION_BYTES = 1024
export const MAX_UINT32 = 0xffff_ffff

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const CONTENT_TYPE_PATTERN = /^[\x21-\x7e][\x20-\x7e]*$/

function isMissing (value: unknown): value is undefined | null {
  return value === undefined || value === null
}

function describe (value: unknown): string {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return 'bytes'
  if (Array.isArray(value)) return 'a list'
  return value === null ? 'null' : typeof value
}

export interface StringOptions {
  /** Largest UTF-8 length in bytes. */
  maxBytes?: number
  minBytes?: number
  code?: ErrorCode
}

/** A string (missing = ''), well-formed UTF-16 (so it encodes to valid UTF-8), within bounds. */
export function str (value: unknown, field: string, options: StringOptions = {}): string {
  const code = options.code
  if (isMissing(value)) value = ''
  if (typeof value !== 'string') throw new InvalidArgumentError(field, `must be a string, got ${describe(value)}`, code)
  if (LONE_SURROGATE.test(value)) throw new InvalidArgumentError(field, 'must be valid UTF-8 (it contains a lone surrogate)', code)
  const bytes = Buffer.byteLength(value, 'utf8')
  if (options.minBytes !== undefined && bytes < options.minBytes) {
    throw new InvalidArgumentError(field, options.minBytes === 1 ? 'is required' : `must be at least ${options.minBytes} bytes`, code)
  }
  if (options.maxBytes !== undefined && bytes > options.maxBytes) {
    throw new InvalidArgumentError(field, `is ${bytes} bytes; at most ${options.maxBytes} bytes (UTF-8) are allowed`, code)
  }
  return value
}

/** A string matching `pattern` (shown in the message). */
export function matching (value: unknown, field: string, pattern: RegExp, code?: ErrorCode): string {
  const s = str(value, field, { code })
  if (!pattern.test(s)) {
    throw new InvalidArgumentError(field, `${s === '' ? 'is required and' : `"${truncate(s)}"`} must match ${String(pattern)}`, code)
  }
  return s
}

/** One of `values`, by name or by number (values[i] is the enum value numbered i); missing = values[0]. */
export function enumValue<T extends string> (value: unknown, field: string, values: readonly T[]): T {
  if (isMissing(value)) return values[0]
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < values.length) return values[value]
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T
  throw new InvalidArgumentError(field, `must be one of ${values.join(', ')}, got ${typeof value === 'string' ? `"${truncate(value)}"` : describe(value)}`)
}

/** A non-negative integer ≤ max (missing = 0). int64 fields may arrive as numbers, strings or bigints. */
export function uint (value: unknown, field: string, max: number): number {
  if (isMissing(value)) return 0
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'bigint') n = Number(value)
  else if (typeof value === 'string' && /^\d+$/.test(value)) n = Number(value)
  else throw new InvalidArgumentError(field, `must be a non-negative integer, got ${describe(value)}`)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(field, `must be a non-negative integer, got ${String(value)}`)
  if (n > max) throw new InvalidArgumentError(field, `is ${String(value)}; at most ${max} is allowed`)
  return n
}

export function bool (value: unknown, field: string): boolean {
  if (isMissing(value)) return false
  if (typeof value !== 'boolean') throw new InvalidArgumentError(field, `must be a boolean, got ${describe(value)}`)
  return value
}

/** Bytes (missing = empty) as a Buffer sharing memory with the input. */
export function bytes (value: unknown, field: string, maxBytes: number, code?: ErrorCode): Buffer {
  if (isMissing(value)) return Buffer.alloc(0)
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(field, `must be bytes, got ${describe(value)}`)
  if (value.byteLength > maxBytes) {
    throw new InvalidArgumentError(field, `is ${value.byteLength} bytes; at most ${maxBytes} bytes are allowed`, code)
  }
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

export interface StringMapOptions {
  maxEntries: number
  maxKeyBytes: number
  maxValueBytes: number
}

/** A map<string, string> (missing = {}); keys non-empty without control characters. */
export function stringMap (value: unknown, field: string, options: StringMapOptions): Record<string, string> {
  if (isMissing(value)) return {}
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new InvalidArgumentError(field, `must be a map of string to string, got ${describe(value)}`)
  }
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length > options.maxEntries) {
    throw new InvalidArgumentError(field, `has ${entries.length} entries; at most ${options.maxEntries} are allowed`)
  }
  const out: Record<string, string> = {}
  for (const [k, v] of entries) {
    const path = `${field}["${truncate(k)}"]`
    str(k, `${path} (key)`, { minBytes: 1, maxBytes: options.maxKeyBytes })
    if (CONTROL_CHARS.test(k)) throw new InvalidArgumentError(`${path} (key)`, 'must not contain control characters')
    out[k] = str(v, path, { maxBytes: options.maxValueBytes })
  }
  return out
}

// ---- CAM-OS specific ---------------------------------------------------------------------

export function namespace (value: unknown, field = 'namespace'): string {
  return matching(value, field, NAMESPACE_PATTERN, 'CAMOS_ERR_NAMESPACE_INVALID')
}

/**
 * A context key: 1..256 bytes of UTF-8, no control characters, no `..` path segment (keys are
 * often used as paths by clients; a `..` segment is never what they meant).
 */
export function contextKey (value: unknown, field = 'key'): string {
  const key = str(value, field, { minBytes: 1, maxBytes: MAX_KEY_BYTES, code: 'CAMOS_ERR_KEY_INVALID' })
  if (CONTROL_CHARS.test(key)) throw new InvalidArgumentError(field, 'must not contain control characters', 'CAMOS_ERR_KEY_INVALID')
  if (key.split('/').includes('..')) throw new InvalidArgumentError(field, 'must not contain a ".." path segment', 'CAMOS_ERR_KEY_INVALID')
  return key
}

/** A key prefix: like a key but may end anywhere; an empty prefix is returned as ''. */
export function keyPrefix (value: unknown, field = 'prefix'): string {
  const prefix = str(value, field, { maxBytes: MAX_KEY_BYTES, code: 'CAMOS_ERR_KEY_INVALID' })
  if (CONTROL_CHARS.test(prefix)) throw new InvalidArgumentError(field, 'must not contain control characters', 'CAMOS_ERR_KEY_INVALID')
  return prefix
}

export function contentType (value: unknown, field = 'content_type'): string {
  const s = str(value, field, { maxBytes: MAX_CONTENT_TYPE_BYTES })
  if (s === '') return DEFAULT_CONTENT_TYPE
  if (!CONTENT_TYPE_PATTERN.test(s)) throw new InvalidArgumentError(field, 'must be printable ASCII (a media type such as "application/json")')
  return s
}

export function metadata (value: unknown, field = 'metadata'): Record<string, string> {
  return stringMap(value, field, { maxEntries: MAX_METADATA_ENTRIES, maxKeyBytes: MAX_METADATA_KEY_BYTES, maxValueBytes: MAX_METADATA_VALUE_BYTES })
}

export function ttlMs (value: unknown, field = 'ttl_ms'): number {
  return uint(value, field, MAX_TTL_MS)
}

export function snapshotName (value: unknown, field = 'name'): string {
  return matching(value, field, SNAPSHOT_NAME_PATTERN)
}

/** A version token, or '' when the field is empty. */
export function versionToken (value: unknown, field: string): string {
  const s = str(value, field)
  if (s !== '' && !isToken(s)) {
    throw new InvalidArgumentError(field, `"${truncate(s)}" is not a version token ("<12 hex>.<4 hex>.<node id>", as returned by Remember)`)
  }
  return s
}

function truncate (s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}
