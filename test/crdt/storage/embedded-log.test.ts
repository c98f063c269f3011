import { mkdir, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COMPACT_TMP_SUFFIX, createEmbeddedLogStorage, docFileName } from '../../../crdt/storage/embedded-log.js'
import { decodeRecords, encodedRecordLength, RECORD_HEADER_BYTES } from '../../../crdt/storage/log-codec.js'
import type { StorageAdapter, StorageMetrics } from '../../../crdt/storage/adapter.js'
import { createCaptureLogger } from '../../helpers/capture-logger.js'
import { runStorageAdapterTests } from '../storage-acceptance.js'

runStorageAdapterTests('embedded log', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'camos-embedded-'))
  const make = (): StorageAdapter => createEmbeddedLogStorage({ log: createCaptureLogger() }, { dir })
  return {
    adapter: make(),
    reopen: make,
    teardown: async () => { await rm(dir, { recursive: true, force: true }) }
  }
})

function u (i: number, size = 16): Uint8Array {
  return Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) & 0xff)
}

describe('embedded log: recovery, group commit, compaction files', () => {
  let dir: string
  const open: StorageAdapter[] = []

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camos-embedded-'))
  })

  afterEach(async () => {
    for (const s of open.splice(0)) {
      await s.close()
    }
    await rm(dir, { recursive: true, force: true })
  })

  async function start (log = createCaptureLogger(), metrics?: StorageMetrics): Promise<StorageAdapter> {
    const s = createEmbeddedLogStorage({ log, metrics }, { dir })
    await s.open()
    open.push(s)
    return s
  }

  async function writeRecords (doc: string, count: number): Promise<Uint8Array[]> {
    const s = await start()
    const updates = Array.from({ length: count }, (_, i) => u(i, 10 + i))
    for (const x of updates) {
      await s.append(doc, x)
    }
    await s.close()
    return updates
  }

  it('discards a torn tail, keeps every record before it and appends after it', async () => {
    const updates = await writeRecords('ctx/torn', 10)
    const file = join(dir, docFileName('ctx/torn'))
    const full = (await stat(file)).size
    // cut the last record in the middle of its payload, then add garbage a crash could leave
    const lastLength = encodedRecordLength(updates[9].byteLength)
    await truncate(file, full - Math.floor(lastLength / 2))
    await writeFile(file, Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0, 0, 0]), { flag: 'a' })
    const torn = (await stat(file)).size

    const log = createCaptureLogger()
    const s = await start(log)
    expect(await s.load('ctx/torn')).toEqual(updates.slice(0, 9))
    const warning = log.lines.find(l => l.level === 'warn' && l.msg.includes('torn'))
    expect(warning?.fields).toMatchObject({ doc: 'ctx/torn', discardedBytes: torn - (full - lastLength), keptRecords: 9 })
    expect((await stat(file)).size).toBe(full - lastLength)

    await s.append('ctx/torn', u(99))
    await s.close()
    const again = await start()
    expect(await again.load('ctx/torn')).toEqual([...updates.slice(0, 9), u(99)])
  })

  it('truncates the tail before an append when the document was never loaded', async () => {
    const updates = await writeRecords('ctx/blind', 3)
    await writeFile(join(dir, docFileName('ctx/blind')), Uint8Array.from([5, 0, 0, 0, 1, 2]), { flag: 'a' })
    const s = await start()
    await s.append('ctx/blind', u(50))
    expect(await s.load('ctx/blind')).toEqual([...updates, u(50)])
  })

  it('stops at a checksum mismatch in the middle and keeps the records before it', async () => {
    const updates = await writeRecords('ctx/rot', 10)
    const file = join(dir, docFileName('ctx/rot'))
    const bytes = new Uint8Array(await readFile(file))
    let offset = 0
    for (let i = 0; i < 4; i++) {
      offset += encodedRecordLength(updates[i].byteLength)
    }
    bytes[offset + RECORD_HEADER_BYTES + 2] ^= 0x40 // one bit of record #4's payload
    await writeFile(file, bytes)

    const log = createCaptureLogger()
    const s = await start(log)
    expect(await s.load('ctx/rot')).toEqual(updates.slice(0, 4))
    expect(log.lines.find(l => l.level === 'warn')?.fields).toMatchObject({ reason: 'checksum-mismatch', offset, keptRecords: 4 })
    await s.append('ctx/rot', u(77))
    expect(await s.load('ctx/rot')).toEqual([...updates.slice(0, 4), u(77)])
    const onDisk = decodeRecords(new Uint8Array(await readFile(file)))
    expect(onDisk.corruption).toBeUndefined()
    expect(onDisk.records.length).toBe(5)
  })

  it('group-commits concurrent appends into fewer fsyncs than appends', async () => {
    const fsyncs: Array<{ seconds: number, batchSize: number }> = []
    const metrics: StorageMetrics = {
      observeFsync: (seconds, batchSize) => { fsyncs.push({ seconds, batchSize }) },
      observeCompaction: () => {}
    }
    const s = await start(createCaptureLogger(), metrics)
    const n = 200
    await Promise.all(Array.from({ length: n }, async (_, i) => { await s.append('ctx/group', u(i)) }))
    expect(fsyncs.reduce((sum, f) => sum + f.batchSize, 0)).toBe(n)
    expect(fsyncs.length).toBeLessThan(n)
    expect(Math.max(...fsyncs.map(f => f.batchSize))).toBeGreaterThan(1)
    expect(await s.load('ctx/group')).toEqual(Array.from({ length: n }, (_, i) => u(i)))
  })

  it('reports compactions and leaves exactly one file behind', async () => {
    const compactions: Array<{ before: number, after: number }> = []
    const metrics: StorageMetrics = {
      observeFsync: () => {},
      observeCompaction: (_s, before, after) => { compactions.push({ before, after }) }
    }
    const s = await start(createCaptureLogger(), metrics)
    for (let i = 0; i < 20; i++) {
      await s.append('ctx/small', u(i, 100))
    }
    await s.compact('ctx/small', u(1000, 50))
    expect(compactions).toEqual([{ before: 20 * encodedRecordLength(100), after: encodedRecordLength(50) }])
    expect(await readdir(dir)).toEqual([docFileName('ctx/small')])
    expect((await stat(join(dir, docFileName('ctx/small')))).size).toBe(encodedRecordLength(50))
  })

  it('deletes a leftover compaction temp file on open and never lists it', async () => {
    const updates = await writeRecords('ctx/interrupted', 2)
    const tmp = join(dir, docFileName('ctx/interrupted') + COMPACT_TMP_SUFFIX)
    await writeFile(tmp, Uint8Array.from([1, 2, 3]))
    const s = await start()
    expect(await s.list()).toEqual(['ctx/interrupted'])
    expect(await readdir(dir)).toEqual([docFileName('ctx/interrupted')])
    expect(await s.load('ctx/interrupted')).toEqual(updates)
  })

  it('rejects document names that cannot be a file name', async () => {
    const s = await start()
    await expect(s.append('', u(1))).rejects.toMatchObject({ code: 'CAMOS_ERR_INVALID_ARGUMENT' })
    await expect(s.append('x'.repeat(300), u(1))).rejects.toMatchObject({ code: 'CAMOS_ERR_INVALID_ARGUMENT' })
    await expect(s.append('bad\ud800', u(1))).rejects.toMatchObject({ code: 'CAMOS_ERR_INVALID_ARGUMENT' })
    expect(await s.list()).toEqual([])
  })

  it('rejects appends with STORAGE_UNAVAILABLE when the log cannot be written, then recovers', async () => {
    const s = await start()
    const file = join(dir, docFileName('ctx/io'))
    // a directory where the document's log belongs makes opening it fail with EISDIR
    await mkdir(file)
    await expect(s.append('ctx/io', u(3))).rejects.toMatchObject({ code: 'CAMOS_ERR_STORAGE_UNAVAILABLE' })
    expect(s.health()).toMatchObject({ state: 'down' })
    expect(s.health().detail).toMatch(/ctx\/io/)
    await rm(file, { recursive: true })
    await s.append('ctx/io', u(4))
    expect(s.health().state).toBe('ok')
    expect(await s.load('ctx/io')).toEqual([u(4)])
  })
})
