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
  /**
   * For backends behind a connection: increments each time the connection is (re)established.
   * A write-behind pair compares it to notice a reconnect that no failed write revealed (the
   * backend may have restarted and lost data). Absent for local backends.
   */
  connectionEpoch?: number
}

/**
 * Optional metrics hooks of the storage layer, implemented by node/ (e.g. with prom-client);
 * the crdt layer never imports a metrics library.
 */
export interface StorageMetrics {
  /** One write + fdatasync of the embedded log covering `batchSize` records. */
  observeFsync: (seconds: number, batchSize: number) => void
  /** One compaction of a document's log, with its size before and after. */
  observeCompaction: (seconds: number, bytesBefore: number, bytesAfter: number) => void
}

export interface StorageAdapter {
  /** Open files / connections. A failed open rejects and leaves nothing running. */
  open: () => Promise<void>
  /** Names of all documents that have stored state. */
  list: () => Promise<string[]>
  /**
   * Every stored update of a document, oldest first (empty if unknown). Reflects at least every
   * append that resolved before the call.
   */
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
  /** Remove a document entirely (its name leaves list()). Removing an unknown document is a no-op. */
  remove: (doc: string) => Promise<void>
  health: () => StorageHealth
  /**
   * Flush what is pending (bounded wait) and release resources. Idempotent. Calls made after
   * close reject with CAMOS_ERR_SHUTTING_DOWN.
   */
  close: () => Promise<void>
}
