/**
 * The document store: every kernel Yjs document in memory, persisted through a StorageAdapter.
 *
 * - start() loads every stored document (storage.list() + load()), applying its updates with the
 *   storage origin, which is never persisted again. The adapter's open()/close() belong to the
 *   composition root: the store only uses an open adapter.
 * - Every other update of a document — a local transaction, a peer's update, housekeeping — is
 *   appended to storage and told to onUpdate() listeners. `transact()` runs the Yjs transaction
 *   synchronously (memory changes at once, in call order) and returns a promise that resolves
 *   once the update is durable.
 * - A received update (`applyUpdate()`; several given together are applied in order in one
 *   transaction) for a document not held yet builds that document directly (no document is
 *   left behind when it fails to apply). Any received update is kept as it came: when applying
 *   it changed the document or left parts waiting for their predecessors, those very bytes are
 *   appended and told, instead of having Yjs encode the transaction again (for a joiner's 23 MB
 *   state, a quarter of a second). Nothing else may listen to a document's 'update' event, or
 *   Yjs encodes every transaction anyway.
 * - Appends are serialised per document by one writer that batches whatever queued up while the
 *   previous append was in flight into one record (crdt/update-batch.ts), so an acknowledgement
 *   also covers every earlier update of that document.
 * - When an append fails, its callers' promises reject with the storage error but the in-memory
 *   change stays (other syscalls may already have read it, and peers may have it). The failed
 *   updates are carried into every later append of the document and retried in the background
 *   with backoff until one succeeds, so memory and storage converge; an acknowledged update never
 *   depends on an update that is not durable.
 * - Compaction: after `compactAfterUpdates` appends or `compactAfterBytes` bytes since the last
 *   compaction — but never before as many bytes were appended as the last snapshot held, so its
 *   O(document) cost is amortised over at least as many written bytes — the document's state
 *   (Y.encodeStateAsUpdate) replaces its stored updates; also on stop(). stop() waits (bounded)
 *   for pending appends first.
 */
import * as Y from 'yjs'
import { CamosError } from '../kernel/errors.js'
import { decodeUpdateBatch, encodeUpdateBatch } from './update-batch.js'
import { isStorageOrigin, STORAGE_ORIGIN, type TransactionOrigin } from './origin.js'
import type { StorageAdapter } from './storage/adapter.js'
import type { Logger, Startable } from './types.js'

/** Appends to a document after which its stored updates are compacted into one snapshot. */
export const DEFAULT_COMPACT_AFTER_UPDATES = 10_000
/** Appended bytes after which a document is compacted. */
export const DEFAULT_COMPACT_AFTER_BYTES = 8 * 1024 * 1024
/** First delay before retrying failed appends in the background, doubled up to the max. */
export const DEFAULT_RETRY_MIN_MS = 250
export const DEFAULT_RETRY_MAX_MS = 30_000
/** How long stop() waits for pending appends and the final compactions. */
export const DEFAULT_STOP_TIMEOUT_MS = 5_000

export interface DocumentStoreMetrics {
  persisted: (doc: string, updates: number, bytes: number, seconds: number) => void
  persistFailed: (doc: string) => void
  compacted: (doc: string, bytes: number) => void
}

export interface DocumentStoreComponents {
  storage: StorageAdapter
  log: Logger
  metrics?: DocumentStoreMetrics
}

export interface DocumentStoreInit {
  compactAfterUpdates?: number
  compactAfterBytes?: number
  retryMinMs?: number
  retryMaxMs?: number
  stopTimeoutMs?: number
}

export interface DocumentStore extends Startable {
  /** The document, created (empty, in memory) when it does not exist yet. */
  open: (name: string) => Y.Doc
  /** The document if it exists; never creates one (reads must not create documents). */
  get: (name: string) => Y.Doc | undefined
  names: () => string[]
  /**
   * Runs `fn` in one Yjs transaction tagged `origin`, synchronously, and resolves with its
   * result once the resulting update is durable (at once if it changed nothing). Rejects with
   * the storage error when the append fails; the in-memory change stays and is retried.
   */
  transact: <T>(name: string, fn: (doc: Y.Doc) => T, origin: TransactionOrigin) => Promise<T>
  /**
   * Applies a received update, or several in order in one transaction (e.g. from a peer), and
   * resolves once they are durable. The caller checks updates for an existing document first (a
   * malformed one can fail halfway through applying); a document that does not exist yet is
   * created only if they all apply, and its listeners get it with their content already in.
   */
  applyUpdate: (name: string, update: Uint8Array | readonly Uint8Array[], origin: TransactionOrigin) => Promise<void>
  /** Called for every document created from now on (opened, loaded or received). */
  onDocument: (listener: (name: string, doc: Y.Doc) => void) => () => void
  /**
   * Called for every change of a document except loading it from storage, synchronously, with
   * its update: a transaction's as Yjs encodes it, a received one as it came.
   */
  onUpdate: (listener: UpdateListener) => () => void
  /** Updates applied in memory and not yet durable (queued, in flight or failed). */
  pendingUpdates: (name?: string) => number
}

export type UpdateListener = (name: string, update: Uint8Array, origin: TransactionOrigin) => void

interface Waiter {
  resolve: () => void
  reject: (err: unknown) => void
}

interface Queued {
  update: Uint8Array
  waiter: Waiter
}

interface DocState {
  name: string
  doc: Y.Doc
  queue: Queued[]
  /** Updates whose append failed: carried into every later append until one succeeds. */
  failed: Uint8Array[]
  inFlight: number
  writing: Promise<void> | undefined
  updatesSinceCompact: number
  bytesSinceCompact: number
  /** Size of the last snapshot written by compaction. */
  snapshotBytes: number
  /** Records in the document's log: one record is already as compact as a snapshot of it. */
  logRecords: number
  retryTimer: NodeJS.Timeout | undefined
  retryDelay: number
  /** The promise of the last update enqueued, and a counter to see whether a transaction made one. */
  lastSeq: number
  lastDurable: Promise<void>
  /** The received updates being applied as they came (applyUpdate), if any. */
  received: { updates: readonly Uint8Array[], origin: TransactionOrigin } | undefined
}

export function createDocumentStore (components: DocumentStoreComponents, init: DocumentStoreInit = {}): DocumentStore {
  const { storage, log, metrics } = components
  const compactAfterUpdates = init.compactAfterUpdates ?? DEFAULT_COMPACT_AFTER_UPDATES
  const compactAfterBytes = init.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES
  const retryMinMs = init.retryMinMs ?? DEFAULT_RETRY_MIN_MS
  const retryMaxMs = init.retryMaxMs ?? DEFAULT_RETRY_MAX_MS
  const stopTimeoutMs = init.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS
  const docs = new Map<string, DocState>()
  const listeners = new Set<(name: string, doc: Y.Doc) => void>()
  const updateListeners = new Set<UpdateListener>()
  let started = false
  let stopping = false

  function create (name: string, doc = new Y.Doc()): DocState {
    const state: DocState = {
      name,
      doc,
      queue: [],
      failed: [],
      inFlight: 0,
      writing: undefined,
      updatesSinceCompact: 0,
      bytesSinceCompact: 0,
      snapshotBytes: 0,
      logRecords: 0,
      retryTimer: undefined,
      retryDelay: retryMinMs,
      lastSeq: 0,
      lastDurable: Promise.resolve(),
      received: undefined
    }
    const onYjsUpdate = (update: Uint8Array, origin: TransactionOrigin): void => { record(state, update, origin) }
    let listening = true
    doc.on('update', onYjsUpdate)
    // Yjs encodes a transaction's update only while an 'update' listener is attached, and decides
    // per transaction right after this event: off for a load or a received update kept as it
    // came, on for every other transaction (also one run by an observer of those).
    doc.on('afterTransactionCleanup', (tr: Y.Transaction) => {
      const received = state.received !== undefined && tr.origin === state.received.origin ? state.received : undefined
      // Recorded here, before any transaction an observer of this one ran: those depend on it.
      // Parts waiting for their predecessors are integrated by a later update, whose own bytes
      // lack them: they are kept now.
      if (received !== undefined && (changedBy(tr) || doc.store.pendingStructs !== null || doc.store.pendingDs !== null)) {
        for (const update of received.updates) record(state, update, received.origin)
      }
      const skip = received !== undefined || isStorageOrigin(tr.origin)
      if (skip === listening) {
        listening = !skip
        if (skip) doc.off('update', onYjsUpdate)
        else doc.on('update', onYjsUpdate)
      }
    })
    docs.set(name, state)
    for (const listener of listeners) {
      try {
        listener(name, doc)
      } catch (err) {
        log.error('document listener failed', { doc: name, err: String(err) })
      }
    }
    return state
  }

  /** Queues an update for the document's writer and tells the update listeners. */
  function record (state: DocState, update: Uint8Array, origin: TransactionOrigin): void {
    state.lastSeq++
    state.lastDurable = new Promise<void>((resolve, reject) => {
      state.queue.push({ update, waiter: { resolve, reject } })
    })
    // Rejections reach the caller of transact(); an update nobody awaits must not crash.
    state.lastDurable.catch(() => {})
    kick(state)
    for (const listener of updateListeners) {
      try {
        listener(state.name, update, origin)
      } catch (err) {
        log.error('update listener failed', { doc: state.name, err: String(err) })
      }
    }
  }

  /** Applies received updates, recorded as they came (see the 'afterTransactionCleanup' handler). */
  function applyAsReceived (state: DocState, updates: readonly Uint8Array[], origin: TransactionOrigin): void {
    const apply = (): void => { for (const update of updates) Y.applyUpdate(state.doc, update, origin) }
    // Inside another transaction (or apply) these join it, and that one's update covers them.
    if (state.doc._transaction !== null || state.received !== undefined) {
      state.doc.transact(apply, origin)
      return
    }
    state.received = { updates, origin }
    try {
      state.doc.transact(apply, origin)
    } finally {
      state.received = undefined
    }
  }

  /**
   * A document this node does not hold yet, built from the received updates alone: Yjs parses
   * them once, as it applies them, instead of once to check them and once more to apply them
   * (for a joiner's 23 MB state, about half a second). Updates that fail to apply leave no
   * document behind, so nothing they touched is ever seen, persisted or told.
   */
  function createFromUpdate (name: string, updates: readonly Uint8Array[], origin: TransactionOrigin): DocState {
    const doc = new Y.Doc()
    try {
      doc.transact(() => { for (const update of updates) Y.applyUpdate(doc, update, origin) }, origin)
    } catch (err) {
      doc.destroy()
      throw err
    }
    const state = create(name, doc)
    const { store } = doc
    if (store.clients.size > 0 || store.pendingStructs !== null || store.pendingDs !== null) {
      for (const update of updates) record(state, update, origin)
    }
    return state
  }

  function kick (state: DocState): void {
    if (state.writing === undefined) state.writing = drain(state)
  }

  /**
   * The document's writer: appends batches until the queue is empty. It clears `writing` in the
   * same synchronous step as its last queue check, so an update queued after it is never missed.
   */
  async function drain (state: DocState): Promise<void> {
    // Yield first: `writing` must be assigned before the body can finish.
    await Promise.resolve()
    try {
      while (state.queue.length > 0 || state.failed.length > 0) {
        const batch = state.queue.splice(0)
        if (batch.length === 0 && state.retryTimer !== undefined) return
        const carried = state.failed.splice(0)
        const updates = [...carried, ...batch.map(q => q.update)]
        const record = encodeUpdateBatch(updates)
        const started = process.hrtime.bigint()
        state.inFlight = updates.length
        try {
          await storage.append(state.name, record)
          state.inFlight = 0
          metrics?.persisted(state.name, updates.length, record.byteLength, Number(process.hrtime.bigint() - started) / 1e9)
          if (carried.length > 0) log.info('failed updates persisted on retry', { doc: state.name, updates: carried.length })
          clearRetry(state)
          state.logRecords++
          if (state.logRecords === 1) {
            // The first record of a log is its base, as a snapshot would be: a joiner's is the
            // whole state it received, and compacting it when the next write follows would
            // encode and write the same bytes again.
            state.snapshotBytes = record.byteLength
          } else {
            state.updatesSinceCompact++
            state.bytesSinceCompact += record.byteLength
          }
          for (const q of batch) q.waiter.resolve()
          const due = state.updatesSinceCompact >= compactAfterUpdates || state.bytesSinceCompact >= compactAfterBytes
          if (due && state.bytesSinceCompact >= state.snapshotBytes) {
            await compact(state)
          }
        } catch (err) {
          state.inFlight = 0
          metrics?.persistFailed(state.name)
          state.failed = updates.concat(state.failed)
          const error = asStorageError(err, state.name)
          log.warn('append failed; will retry in the background', { doc: state.name, updates: updates.length, err: error.message })
          for (const q of batch) q.waiter.reject(error)
          if (state.queue.length === 0) {
            scheduleRetry(state)
            return
          }
        }
      }
    } finally {
      state.writing = undefined
    }
  }

  function scheduleRetry (state: DocState): void {
    if (stopping || state.retryTimer !== undefined) return
    const delay = state.retryDelay
    state.retryDelay = Math.min(state.retryDelay * 2, retryMaxMs)
    state.retryTimer = setTimeout(() => {
      state.retryTimer = undefined
      kick(state)
    }, delay)
    state.retryTimer.unref()
  }

  function clearRetry (state: DocState): void {
    if (state.retryTimer !== undefined) clearTimeout(state.retryTimer)
    state.retryTimer = undefined
    state.retryDelay = retryMinMs
  }

  async function compact (state: DocState): Promise<void> {
    const snapshot = encodeUpdateBatch([Y.encodeStateAsUpdate(state.doc)])
    // Failed updates are applied in memory, so the snapshot covers them too.
    const covered = state.failed.length
    try {
      await storage.compact(state.name, snapshot)
      state.failed.splice(0, covered)
      if (state.failed.length === 0) clearRetry(state)
      state.updatesSinceCompact = 0
      state.bytesSinceCompact = 0
      state.snapshotBytes = snapshot.byteLength
      state.logRecords = 1
      metrics?.compacted(state.name, snapshot.byteLength)
    } catch (err) {
      log.warn('compaction failed', { doc: state.name, err: err instanceof Error ? err.message : String(err) })
    }
  }

  function stateOf (name: string): DocState {
    if (stopping) throw new CamosError('CAMOS_ERR_SHUTTING_DOWN', 'the document store is stopping')
    return docs.get(name) ?? create(name)
  }

  function capture<T> (state: DocState, run: () => T): Promise<T> {
    const seq = state.lastSeq
    const result = run()
    if (state.lastSeq === seq) return Promise.resolve(result)
    return state.lastDurable.then(() => result)
  }

  return {
    async start () {
      if (started) return
      started = true
      stopping = false
      try {
        for (const name of await storage.list()) {
          const records = await storage.load(name)
          const state = docs.get(name) ?? create(name)
          state.doc.transact(() => {
            for (const record of records) {
              for (const update of decodeUpdateBatch(record)) Y.applyUpdate(state.doc, update, STORAGE_ORIGIN)
            }
          }, STORAGE_ORIGIN)
          // Many stored updates: compact soon rather than replaying them all at every start.
          if (records.length > 1) state.updatesSinceCompact += records.length
          state.logRecords += records.length
        }
      } catch (err) {
        started = false
        docs.clear()
        throw err
      }
    },

    async stop () {
      if (!started || stopping) return
      stopping = true
      const deadline = AbortSignal.timeout(stopTimeoutMs)
      const all = [...docs.values()]
      for (const state of all) clearRetry(state)
      const flush = async (): Promise<void> => {
        await Promise.all(all.map(async state => {
          while (state.writing !== undefined && !deadline.aborted) await state.writing
          if (deadline.aborted) return
          if (state.failed.length > 0 || state.updatesSinceCompact > 0) await compact(state)
        }))
      }
      await Promise.race([
        flush(),
        new Promise<void>(resolve => { deadline.addEventListener('abort', () => { resolve() }, { once: true }) })
      ])
      const unpersisted = all.reduce((n, s) => n + s.failed.length + s.queue.length + s.inFlight, 0)
      if (unpersisted > 0) log.warn('stopping with updates not yet durable', { updates: unpersisted })
      for (const state of all) state.doc.destroy()
      docs.clear()
      started = false
      stopping = false
    },

    open: name => stateOf(name).doc,
    get: name => docs.get(name)?.doc,
    names: () => [...docs.keys()],

    async transact (name, fn, origin) {
      const state = stateOf(name)
      return await capture(state, () => {
        let result!: ReturnType<typeof fn>
        state.doc.transact(() => { result = fn(state.doc) }, origin)
        return result
      })
    },

    async applyUpdate (name, update, origin) {
      const updates = update instanceof Uint8Array ? [update] : update
      const existing = docs.get(name)
      if (existing === undefined) {
        if (stopping) throw new CamosError('CAMOS_ERR_SHUTTING_DOWN', 'the document store is stopping')
        const state = createFromUpdate(name, updates, origin)
        await state.lastDurable
        return
      }
      await capture(existing, () => { applyAsReceived(existing, updates, origin) })
    },

    onDocument (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },

    onUpdate (listener) {
      updateListeners.add(listener)
      return () => { updateListeners.delete(listener) }
    },

    pendingUpdates (name) {
      const count = (s: DocState): number => s.queue.length + s.failed.length + s.inFlight
      if (name !== undefined) {
        const state = docs.get(name)
        return state === undefined ? 0 : count(state)
      }
      let n = 0
      for (const state of docs.values()) n += count(state)
      return n
    }
  }
}

/** Yjs's own test for whether a transaction has an update to tell. */
function changedBy (tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true
  return false
}

function asStorageError (err: unknown, doc: string): CamosError {
  if (err instanceof CamosError) return err
  return new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', `storage could not persist document ${doc}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}
