/**
 * Embedded storage: one append-only log file per document under `dir` (records: log-codec.ts).
 *
 * Every document has a FIFO of operations run by one worker at a time, which gives:
 * - group commit: the appends waiting at the head of the FIFO go out in one positional writev
 *   on a file opened O_DSYNC (durable when it returns, as with fdatasync), and each of their
 *   promises resolves only after that write;
 * - compaction, load and remove serialised with the document's appends: an append issued before
 *   compact() is written before the snapshot replaces the log, one issued after it lands after
 *   the snapshot;
 * - crash recovery on first access: the file is read and decoded, and a torn or corrupt tail is
 *   truncated (with a warning) before anything is appended after it.
 *
 * Compaction writes the snapshot to a temp file, fsyncs it, renames it over the log and fsyncs
 * the directory, so a crash leaves either the old log or the new one, never a mix.
 */
import { constants } from 'node:fs'
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CamosError, InvalidArgumentError } from '../../kernel/errors.js'
import { decodeRecords, encodeRecord, encodeRecordHeader, RecordType } from './log-codec.js'
import type { Logger } from '../types.js'
import type { StorageAdapter, StorageHealth, StorageMetrics } from './adapter.js'

/** Document logs are opened O_DSYNC: every write is durable when it returns. */
const LOG_OPEN_FLAGS = constants.O_RDWR | constants.O_DSYNC
const LOG_CREATE_FLAGS = LOG_OPEN_FLAGS | constants.O_CREAT | constants.O_EXCL

/** How long close() waits for queued writes to reach the disk before closing the files. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000
/** File name suffix of a document's log. */
export const LOG_FILE_SUFFIX = '.log'
/** Suffix of a compaction in progress; leftovers are deleted on open (the log is intact). */
export const COMPACT_TMP_SUFFIX = '.compact-tmp'
/** Linux file names are limited to 255 bytes; keep room for the suffixes. */
export const MAX_DOC_FILE_NAME_BYTES = 240

export interface EmbeddedLogStorageComponents {
  log: Logger
  metrics?: StorageMetrics
}

export interface EmbeddedLogStorageInit {
  /** Data directory holding one `<encodeURIComponent(doc)>.log` per document. */
  dir: string
  closeTimeoutMs?: number
}

interface Waiter<T> {
  resolve: (value: T) => void
  reject: (err: unknown) => void
}

type Op =
  | { kind: 'append', header: Uint8Array, payload: Uint8Array } & Waiter<void>
  | { kind: 'compact', snapshot: Uint8Array } & Waiter<void>
  | { kind: 'load' } & Waiter<Uint8Array[]>
  | { kind: 'remove' } & Waiter<void>

interface DocLog {
  name: string
  path: string
  /** Open handle once the file has been validated; undefined before, and after an I/O error. */
  fh?: FileHandle
  /** Bytes of valid, durable records: the next append is written at this offset. */
  size: number
  ops: Op[]
  worker?: Promise<void>
}

/** File name of a document's log; rejects names that cannot be a file name. */
export function docFileName (doc: string): string {
  if (doc.length === 0) {
    throw new InvalidArgumentError('doc', 'document name is empty')
  }
  let encoded: string
  try {
    encoded = encodeURIComponent(doc)
  } catch {
    throw new InvalidArgumentError('doc', 'document name is not valid UTF-16 (lone surrogate)')
  }
  if (encoded.length > MAX_DOC_FILE_NAME_BYTES) {
    throw new InvalidArgumentError('doc', `document name encodes to more than ${MAX_DOC_FILE_NAME_BYTES} bytes`)
  }
  return encoded + LOG_FILE_SUFFIX
}

function isErrno (err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code
}

function unavailable (what: string, err: unknown): CamosError {
  return new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', `embedded log: ${what} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err })
}

function shuttingDown (): CamosError {
  return new CamosError('CAMOS_ERR_SHUTTING_DOWN', 'embedded log storage is closed')
}

async function readExactly (fh: FileHandle, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length)
  let offset = 0
  while (offset < length) {
    const { bytesRead } = await fh.read(buf, offset, length - offset, offset)
    if (bytesRead === 0) {
      return buf.subarray(0, offset)
    }
    offset += bytesRead
  }
  return buf
}

export function createEmbeddedLogStorage (components: EmbeddedLogStorageComponents, init: EmbeddedLogStorageInit): StorageAdapter {
  const log = components.log
  const metrics = components.metrics
  const dir = init.dir
  const closeTimeoutMs = init.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS
  const docs = new Map<string, DocLog>()
  let state: 'new' | 'opening' | 'open' | 'closed' = 'new'
  let opening: Promise<void> | undefined
  let closing: Promise<void> | undefined
  let dirHandle: FileHandle | undefined
  /** The last write failure, cleared by the next successful write: health() reports it. */
  let writeFailure: string | undefined

  /** A failing metrics hook must not turn a durable write into a reported failure. */
  function observe (hook: () => void): void {
    try {
      hook()
    } catch (err) {
      log.warn('storage metrics hook threw', { error: (err as Error)?.message ?? String(err) })
    }
  }

  async function syncDir (): Promise<void> {
    if (dirHandle === undefined) {
      throw shuttingDown()
    }
    await dirHandle.sync()
  }

  function docLog (doc: string): DocLog {
    let d = docs.get(doc)
    if (d === undefined) {
      d = { name: doc, path: join(dir, docFileName(doc)), size: 0, ops: [] }
      docs.set(doc, d)
    }
    return d
  }

  /**
   * Open and validate the document's file, truncating a torn tail. Returns the records read
   * when it opened the file now (so a first load reads the file once), undefined when it was
   * already open or does not exist and `create` is false.
   */
  async function ensureOpen (d: DocLog, create: boolean): Promise<Uint8Array[] | undefined> {
    if (d.fh !== undefined) {
      return undefined
    }
    let fh: FileHandle
    try {
      fh = await open(d.path, LOG_OPEN_FLAGS)
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) {
        throw err
      }
      if (!create) {
        return undefined
      }
      fh = await open(d.path, LOG_CREATE_FLAGS)
      try {
        // the new directory entry must be durable before any append to it is acknowledged
        await syncDir()
      } catch (syncErr) {
        await fh.close()
        throw syncErr
      }
      d.fh = fh
      d.size = 0
      return []
    }
    try {
      const { size } = await fh.stat()
      const bytes = await readExactly(fh, size)
      const decoded = decodeRecords(bytes)
      if (decoded.corruption !== undefined) {
        const discarded = bytes.byteLength - decoded.validBytes
        log.warn('discarding torn or corrupt tail of document log', {
          doc: d.name,
          file: d.path,
          offset: decoded.corruption.offset,
          reason: decoded.corruption.reason,
          discardedBytes: discarded,
          keptRecords: decoded.records.length
        })
        await fh.truncate(decoded.validBytes)
        await fh.datasync()
      }
      d.fh = fh
      d.size = decoded.validBytes
      return decoded.records.map(r => r.payload)
    } catch (err) {
      await fh.close()
      throw err
    }
  }

  /** Drop the handle after an I/O error so the next operation reopens and re-validates. */
  async function discardHandle (d: DocLog, truncateToSize: boolean): Promise<void> {
    const fh = d.fh
    d.fh = undefined
    if (fh === undefined) {
      return
    }
    if (truncateToSize) {
      await fh.truncate(d.size).catch(() => {})
    }
    await fh.close().catch(() => {})
  }

  async function flush (d: DocLog, batch: Array<Extract<Op, { kind: 'append' }>>): Promise<void> {
    let bytes = 0
    let seconds = 0
    const buffers: Uint8Array[] = []
    for (const op of batch) {
      buffers.push(op.header, op.payload)
      bytes += op.header.byteLength + op.payload.byteLength
    }
    try {
      await ensureOpen(d, true)
      const fh = d.fh as FileHandle
      const started = performance.now()
      // O_DSYNC: the write returns once the data is durable, like write + fdatasync in one
      // thread-pool round trip instead of two
      await fh.writev(buffers, d.size)
      seconds = (performance.now() - started) / 1000
      d.size += bytes
    } catch (err) {
      // a failed write or fdatasync leaves the file's tail unknown: cut it back to the last
      // acknowledged byte and reopen (re-validating) on the next operation
      await discardHandle(d, true)
      const error = unavailable('append', err)
      writeFailure = `${d.name}: ${error.message}`
      for (const op of batch) {
        op.reject(error)
      }
      return
    }
    writeFailure = undefined
    for (const op of batch) {
      op.resolve()
    }
    if (metrics !== undefined) {
      observe(() => { metrics.observeFsync(seconds, batch.length) })
    }
  }

  async function compactNow (d: DocLog, snapshot: Uint8Array): Promise<void> {
    const started = performance.now()
    await ensureOpen(d, true)
    const before = d.size
    const tmpPath = d.path + COMPACT_TMP_SUFFIX
    const record = encodeRecord(RecordType.SNAPSHOT, snapshot)
    const tmp = await open(tmpPath, 'w')
    try {
      await tmp.writeFile(record)
      await tmp.datasync()
    } finally {
      await tmp.close()
    }
    await rename(tmpPath, d.path)
    await discardHandle(d, false)
    await syncDir()
    d.fh = await open(d.path, LOG_OPEN_FLAGS)
    d.size = record.byteLength
    if (metrics !== undefined) {
      const size = d.size
      observe(() => { metrics.observeCompaction((performance.now() - started) / 1000, before, size) })
    }
  }

  async function loadNow (d: DocLog): Promise<Uint8Array[]> {
    const fresh = await ensureOpen(d, false)
    if (fresh !== undefined) {
      return fresh
    }
    if (d.fh === undefined) {
      return []
    }
    return decodeRecords(await readExactly(d.fh, d.size)).records.map(r => r.payload)
  }

  async function removeNow (d: DocLog): Promise<void> {
    await discardHandle(d, false)
    d.size = 0
    for (const path of [d.path, d.path + COMPACT_TMP_SUFFIX]) {
      try {
        await unlink(path)
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) {
          throw err
        }
      }
    }
    await syncDir()
  }

  async function runOne (d: DocLog, op: Exclude<Op, { kind: 'append' }>): Promise<void> {
    try {
      if (op.kind === 'load') {
        op.resolve(await loadNow(d))
      } else if (op.kind === 'compact') {
        await compactNow(d, op.snapshot)
        op.resolve()
      } else {
        await removeNow(d)
        op.resolve()
      }
    } catch (err) {
      await discardHandle(d, false)
      op.reject(err instanceof CamosError ? err : unavailable(op.kind, err))
    }
  }

  async function runWorker (d: DocLog): Promise<void> {
    while (d.ops.length > 0) {
      const head = d.ops[0]
      if (head.kind === 'append') {
        let n = 1
        while (n < d.ops.length && d.ops[n].kind === 'append') {
          n++
        }
        await flush(d, d.ops.splice(0, n) as Array<Extract<Op, { kind: 'append' }>>)
      } else {
        d.ops.shift()
        await runOne(d, head)
      }
    }
    d.worker = undefined
  }

  function enqueue<T> (doc: string, make: (waiter: Waiter<T>) => Op): Promise<T> {
    if (state !== 'open') {
      return Promise.reject(state === 'closed' ? shuttingDown() : new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', 'embedded log storage is not open'))
    }
    let d: DocLog
    try {
      d = docLog(doc)
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise<T>((resolve, reject) => {
      d.ops.push(make({ resolve, reject }))
      if (d.worker === undefined) {
        d.worker = runWorker(d)
      }
    })
  }

  async function openNow (): Promise<void> {
    await mkdir(dir, { recursive: true })
    const handle = await open(dir, 'r')
    try {
      for (const name of await readdir(dir)) {
        if (name.endsWith(COMPACT_TMP_SUFFIX)) {
          await unlink(join(dir, name))
        }
      }
    } catch (err) {
      await handle.close()
      throw err
    }
    dirHandle = handle
  }

  async function closeNow (): Promise<void> {
    const workers = [...docs.values()].map(d => d.worker).filter((w): w is Promise<void> => w !== undefined)
    let timer: NodeJS.Timeout | undefined
    const timedOut = await Promise.race([
      Promise.all(workers).then(() => false),
      new Promise<boolean>(resolve => { timer = setTimeout(() => { resolve(true) }, closeTimeoutMs) })
    ])
    clearTimeout(timer)
    if (timedOut) {
      log.warn('closing embedded log with writes still pending', { timeoutMs: closeTimeoutMs })
    }
    for (const d of docs.values()) {
      await discardHandle(d, false)
    }
    docs.clear()
    await dirHandle?.close().catch(() => {})
    dirHandle = undefined
  }

  return {
    async open () {
      if (state === 'open') {
        return
      }
      if (state === 'closed') {
        throw shuttingDown()
      }
      if (opening === undefined) {
        state = 'opening'
        opening = openNow().then(() => {
          if (state === 'opening') {
            state = 'open'
          }
        }, (err) => {
          if (state === 'opening') {
            state = 'new'
          }
          opening = undefined
          throw unavailable(`opening ${dir}`, err)
        })
      }
      await opening
    },

    async list () {
      if (state !== 'open') {
        throw state === 'closed' ? shuttingDown() : new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', 'embedded log storage is not open')
      }
      const names = await readdir(dir)
      return names
        .filter(name => name.endsWith(LOG_FILE_SUFFIX))
        .map(name => decodeURIComponent(name.slice(0, -LOG_FILE_SUFFIX.length)))
    },

    async load (doc) {
      return await enqueue<Uint8Array[]>(doc, w => ({ kind: 'load', ...w }))
    },

    async append (doc, update) {
      const header = encodeRecordHeader(RecordType.UPDATE, update)
      await enqueue<void>(doc, w => ({ kind: 'append', header, payload: update, ...w }))
    },

    async compact (doc, snapshot) {
      await enqueue<void>(doc, w => ({ kind: 'compact', snapshot, ...w }))
    },

    async remove (doc) {
      await enqueue<void>(doc, w => ({ kind: 'remove', ...w }))
    },

    health (): StorageHealth {
      if (state === 'open') {
        return writeFailure === undefined
          ? { state: 'ok', detail: `embedded log at ${dir}`, backlog: 0 }
          : { state: 'down', detail: `embedded log at ${dir}: last write failed: ${writeFailure}`, backlog: 0 }
      }
      return { state: 'down', detail: `embedded log at ${dir} is ${state}`, backlog: 0 }
    },

    async close () {
      if (closing === undefined) {
        const wasOpen = state === 'open' || state === 'opening'
        const pendingOpen = opening
        state = 'closed'
        closing = (async () => {
          if (pendingOpen !== undefined) {
            await pendingOpen.catch(() => {})
          }
          if (wasOpen) {
            await closeNow()
          }
        })()
      }
      await closing
    }
  }
}
