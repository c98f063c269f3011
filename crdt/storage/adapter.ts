/**
 * The storage adapter interface: what every backend (embedded log, Redis, write-behind pair)
 * implements, and what the acceptance suite in test/crdt/storage-acceptance.ts checks.
 *
 * A document's durable state is an ordered list of Yjs updates; replaying them in order (or in
 * any order: Yjs updates commute) rebuilds the document. Adapters store opaque bytes; they know
 * nothing of Yjs.
 */

export type StorageHealthState = 'ok' | 'degraded' | 'down'

export interface StorageHealth {
  state: StorageHealthState
  /** Human-readable detail for /readyz and HealthCheck, e.g. "redis: connection refused". */
  detail: string
  /** Updates acknowledged by the primary store but not yet written to a secondary. */
  backlog: number
}

export interface StorageAdapter {
  /** Open files / connections. A failed open rejects and leaves nothing running. */
  open: () => Promise<void>
  /** Names of all documents that have stored state. */
  list: () => Promise<string[]>
  /** Every stored update of a document, oldest first (empty if unknown). */
  load: (doc: string) => Promise<Uint8Array[]>
  /**
   * Append one update. Resolves only once the update is durable at this adapter's level
   * (fsync'd for the embedded log); rejects with a CamosError CAMOS_ERR_STORAGE_UNAVAILABLE when it
   * cannot be made durable. Concurrent appends are all durable when each resolves.
   */
  append: (doc: string, update: Uint8Array) => Promise<void>
  /**
   * Replace the document's stored updates by one snapshot that covers every update appended
   * before this call. Appends issued after it are kept after the snapshot.
   */
  compact: (doc: string, snapshot: Uint8Array) => Promise<void>
  /** Remove a document entirely. */
  remove: (doc: string) => Promise<void>
  health: () => StorageHealth
  /** Flush what is pending (bounded wait) and release resources. Idempotent. */
  close: () => Promise<void>
}
