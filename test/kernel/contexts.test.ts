import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createDispatcher, type Dispatcher } from '../../kernel/dispatcher.js'
import { createContextSyscalls } from '../../kernel/contexts.js'
import { createDocumentStore, type DocumentStore } from '../../crdt/document-store.js'
import { createHlc } from '../../crdt/hlc.js'
import { createContextDoc } from '../../crdt/context-doc.js'
import { peerOrigin, syscallOrigin } from '../../crdt/origin.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'
import { createMemoryStorage, type MemoryStorage } from '../helpers/memory-storage.js'
import { waitFor } from '../helpers/wait-for.js'
import type { ObserveEvent } from '../../proto/gen/camos/v1/ObserveEvent.js'

interface Kernel { dispatcher: Dispatcher, store: DocumentStore, storage: MemoryStorage }
const stores: DocumentStore[] = []

async function kernel (limits = {}, observeBufferEvents?: number): Promise<Kernel> {
  const storage = createMemoryStorage()
  const log = createCaptureLogger()
  const store = createDocumentStore({ storage, log })
  await store.start()
  stores.push(store)
  const handlers = createContextSyscalls({ store, hlc: createHlc({}, { nodeId: 'node-a' }), log }, { limits, observeBufferEvents })
  return { dispatcher: createDispatcher({ log }, { handlers }), store, storage }
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.stop()
})

async function ok<T = any> (k: Kernel, name: string, req: unknown): Promise<T> {
  const res = await k.dispatcher.call<T>(name, req)
  if (!res.ok) throw new Error(`${name} failed: ${res.error.code} ${res.error.message}`)
  return res.response
}

async function fails (k: Kernel, name: string, req: unknown): Promise<{ code: string, message: string }> {
  const res = await k.dispatcher.call(name, req)
  if (res.ok) throw new Error(`${name} unexpectedly succeeded`)
  return res.error
}

describe('context syscalls', () => {
  it('Remember then Recall returns the entry with proto-loader shapes', async () => {
    const k = await kernel()
    const r = await ok(k, 'Remember', { namespace: 'app', key: 'a/b', value: Buffer.from('hello'), contentType: 'text/plain', metadata: { m: 'x' }, ttlMs: 60_000 })
    expect(r).toMatchObject({ durability: 'DURABILITY_LOCAL', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(r.expiresAtMs).toBeGreaterThan(Date.now())
    expect(k.storage.appends).toBe(1)
    const { entry } = await ok(k, 'Recall', { namespace: 'app', key: 'a/b' })
    expect(Buffer.isBuffer(entry.value)).toBe(true)
    expect(entry).toMatchObject({ namespace: 'app', key: 'a/b', contentType: 'text/plain', metadata: { m: 'x' }, version: r.version, authorNode: 'node-a', deleted: false })
    expect(entry.value.toString()).toBe('hello')
    const byVersion = await ok(k, 'Recall', { namespace: 'app', key: 'a/b', version: r.version })
    expect(byVersion.entry.version).toBe(r.version)
    const dflt = await ok(k, 'Remember', { namespace: 'app', key: 'raw' })
    expect(dflt.expiresAtMs).toBe(0)
    expect((await ok(k, 'Recall', { namespace: 'app', key: 'raw' })).entry.contentType).toBe('application/octet-stream')
  })

  it('not-found rules, and reads never create a document', async () => {
    const k = await kernel()
    expect((await fails(k, 'Recall', { namespace: 'never', key: 'k' })).code).toBe('CAMOS_ERR_KEY_NOT_FOUND')
    expect(await ok(k, 'ContextVersions', { namespace: 'never', key: 'k' })).toEqual({ versions: [] })
    expect((await fails(k, 'ContextRestore', { namespace: 'never', name: 's' })).code).toBe('CAMOS_ERR_SNAPSHOT_NOT_FOUND')
    expect(k.store.names()).toEqual([])
    await ok(k, 'Remember', { namespace: 'app', key: 'k', value: Buffer.from('v') })
    expect((await fails(k, 'Recall', { namespace: 'app', key: 'other' })).code).toBe('CAMOS_ERR_KEY_NOT_FOUND')
    expect((await fails(k, 'Recall', { namespace: 'app', key: 'k', version: '000000000001.0000.zz' })).code).toBe('CAMOS_ERR_VERSION_NOT_FOUND')
  })

  it('without replication (no federation) QUORUM / ALL durability answer UNIMPLEMENTED before anything is written', async () => {
    const k = await kernel()
    for (const durability of ['DURABILITY_QUORUM', 'DURABILITY_ALL', 2, 3]) {
      const err = await fails(k, 'Remember', { namespace: 'app', key: 'k', value: Buffer.from('v'), durability })
      expect(err.code).toBe('CAMOS_ERR_UNIMPLEMENTED')
      expect(err.message).toMatch(/without replication/)
      expect((await fails(k, 'Forget', { namespace: 'app', key: 'k', durability })).code).toBe('CAMOS_ERR_UNIMPLEMENTED')
    }
    expect(k.store.names()).toEqual([])
    expect(k.storage.appends).toBe(0)
  })

  it('if_version / if_absent mismatches are VERSION_MISMATCH', async () => {
    const k = await kernel()
    const first = await ok(k, 'Remember', { namespace: 'app', key: 'k', value: Buffer.from('1'), ifAbsent: true })
    expect((await fails(k, 'Remember', { namespace: 'app', key: 'k', value: Buffer.from('2'), ifAbsent: true })).code).toBe('CAMOS_ERR_VERSION_MISMATCH')
    await ok(k, 'Remember', { namespace: 'app', key: 'k', value: Buffer.from('2'), ifVersion: first.version })
    expect((await fails(k, 'Remember', { namespace: 'app', key: 'k', value: Buffer.from('3'), ifVersion: first.version })).code).toBe('CAMOS_ERR_VERSION_MISMATCH')
  })

  it('Forget key / prefix / whole namespace, versions and snapshots', async () => {
    const k = await kernel()
    for (const key of ['a/1', 'a/2', 'b/1']) await ok(k, 'Remember', { namespace: 'app', key, value: Buffer.from(key) })
    expect(await ok(k, 'ContextSnapshot', { namespace: 'app', name: 'snap-1', description: 'three keys' })).toMatchObject({ name: 'snap-1', keyCount: 3 })
    expect((await fails(k, 'ContextSnapshot', { namespace: 'app', name: 'snap-1' })).code).toBe('CAMOS_ERR_SNAPSHOT_EXISTS')
    expect((await ok(k, 'Forget', { namespace: 'app', prefix: 'a/' })).count).toBe(2)
    expect((await ok(k, 'Forget', { namespace: 'app', key: 'b/1' })).count).toBe(1)
    const versions = await ok(k, 'ContextVersions', { namespace: 'app', key: 'b/1' })
    expect(versions.versions.map((e: any) => e.deleted)).toEqual([true, false])
    expect(await ok(k, 'ContextRestore', { namespace: 'app', name: 'snap-1' })).toMatchObject({ written: 3, deleted: 0 })
    expect((await ok(k, 'Recall', { namespace: 'app', key: 'a/2' })).entry.value.toString()).toBe('a/2')
    expect((await ok(k, 'Forget', { namespace: 'app', prefixAll: true })).count).toBe(3)
    expect((await fails(k, 'Recall', { namespace: 'app', key: 'b/1' })).code).toBe('CAMOS_ERR_KEY_NOT_FOUND')
  })

  it('a write fails with STORAGE_UNAVAILABLE when it cannot be made durable', async () => {
    const k = await kernel()
    k.storage.down = true
    expect((await fails(k, 'Remember', { namespace: 'app', key: 'k', value: Buffer.from('v') })).code).toBe('CAMOS_ERR_STORAGE_UNAVAILABLE')
  })

  it('Observe: INITIAL, SYNCED, then local and remote changes while following; ends on cancel', async () => {
    const k = await kernel()
    await ok(k, 'Remember', { namespace: 'app', key: 'p/1', value: Buffer.from('one') })
    await ok(k, 'Remember', { namespace: 'app', key: 'q', value: Buffer.from('outside') })
    const events: ObserveEvent[] = []
    const controller = new AbortController()
    // A slow sink: backpressure must keep the order.
    const sink = async (ev: ObserveEvent): Promise<void> => {
      await new Promise<void>(resolve => setImmediate(resolve))
      events.push(ev)
    }
    const done = k.dispatcher.stream<ObserveEvent>('Observe', { namespace: 'app', prefix: 'p/', follow: true }, sink, { signal: controller.signal })
    await waitFor(() => events.some(e => e.kind === 'KIND_SYNCED'))
    await ok(k, 'Remember', { namespace: 'app', key: 'p/2', value: Buffer.from('two') })
    await ok(k, 'Remember', { namespace: 'app', key: 'q', value: Buffer.from('ignored') })
    // A peer's write arrives through the store.
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(k.store.get('ctx/app') as Y.Doc))
    const peerCtx = createContextDoc({ doc: peer, hlc: createHlc({}, { nodeId: 'node-b' }), log: createCaptureLogger(), transact: async (fn, o) => { peer.transact(fn, o) } }, { namespace: 'app' })
    const before = Y.encodeStateVector(peer)
    await peerCtx.put('p/3', { value: Buffer.from('three'), contentType: 'text/plain', metadata: {}, ttlMs: 0 }, syscallOrigin('Remember'))
    await k.store.applyUpdate('ctx/app', Y.encodeStateAsUpdate(peer, before), peerOrigin('node-b'))
    await ok(k, 'Forget', { namespace: 'app', key: 'p/1' })
    await waitFor(() => events.length === 5)
    expect(events.map(e => [e.kind, e.entry?.key, e.remote])).toEqual([
      ['KIND_INITIAL', 'p/1', false],
      ['KIND_SYNCED', undefined, false],
      ['KIND_PUT', 'p/2', false],
      ['KIND_PUT', 'p/3', true],
      ['KIND_DELETE', 'p/1', false]
    ])
    controller.abort()
    const res = await done
    expect(res.ok).toBe(true)
    peerCtx.close()
  })

  it('Observe without follow ends after SYNCED; a namespace never written is empty', async () => {
    const k = await kernel()
    const events: ObserveEvent[] = []
    const res = await k.dispatcher.stream<ObserveEvent>('Observe', { namespace: 'nothing', prefixAll: true }, ev => { events.push(ev) })
    expect(res.ok).toBe(true)
    expect(events.map(e => e.kind)).toEqual(['KIND_SYNCED'])
    expect(k.store.names()).toEqual([])
  })

  it('Observe follows a namespace that does not exist yet', async () => {
    const k = await kernel()
    const events: ObserveEvent[] = []
    const controller = new AbortController()
    const done = k.dispatcher.stream<ObserveEvent>('Observe', { namespace: 'later', key: 'k', follow: true, changesOnly: true }, ev => { events.push(ev) }, { signal: controller.signal })
    await waitFor(() => events.length === 1)
    await ok(k, 'Remember', { namespace: 'later', key: 'k', value: Buffer.from('v') })
    await waitFor(() => events.length === 2)
    expect(events[1]).toMatchObject({ kind: 'KIND_PUT', remote: false, entry: { key: 'k' } })
    controller.abort()
    expect((await done).ok).toBe(true)
  })

  it('Observe of a namespace not held yet sees every entry when its document arrives whole from a peer', async () => {
    const k = await kernel()
    const events: ObserveEvent[] = []
    const controller = new AbortController()
    const done = k.dispatcher.stream<ObserveEvent>('Observe', { namespace: 'joined', prefix: 'p/', follow: true }, ev => { events.push(ev) }, { signal: controller.signal })
    await waitFor(() => events.some(e => e.kind === 'KIND_SYNCED'))
    const peer = new Y.Doc()
    const peerCtx = createContextDoc({ doc: peer, hlc: createHlc({}, { nodeId: 'node-b' }), log: createCaptureLogger(), transact: async (fn, o) => { peer.transact(fn, o) } }, { namespace: 'joined' })
    for (const key of ['p/2', 'q', 'p/1']) await peerCtx.put(key, { value: Buffer.from(key), contentType: 'text/plain', metadata: {}, ttlMs: 0 }, syscallOrigin('Remember'))
    expect(k.store.get('ctx/joined')).toBeUndefined()
    await k.store.applyUpdate('ctx/joined', Y.encodeStateAsUpdate(peer), peerOrigin('node-b'))
    await waitFor(() => events.length === 3)
    expect(events.map(e => [e.kind, e.entry?.key, e.remote, e.entry?.value?.toString()])).toEqual([
      ['KIND_SYNCED', undefined, false, undefined],
      ['KIND_PUT', 'p/1', true, 'p/1'],
      ['KIND_PUT', 'p/2', true, 'p/2']
    ])
    expect((await ok(k, 'Recall', { namespace: 'joined', key: 'q' })).entry.value.toString()).toBe('q')
    controller.abort()
    expect((await done).ok).toBe(true)
    peerCtx.close()
  })

  it('Observe gets a whole arriving document however many entries it holds, not an overflow, then later changes', async () => {
    const k = await kernel({}, 4)
    const events: ObserveEvent[] = []
    const controller = new AbortController()
    const done = k.dispatcher.stream<ObserveEvent>('Observe', { namespace: 'big', prefixAll: true, follow: true }, ev => { events.push(ev) }, { signal: controller.signal })
    await waitFor(() => events.some(e => e.kind === 'KIND_SYNCED'))
    const peer = new Y.Doc()
    const peerCtx = createContextDoc({ doc: peer, hlc: createHlc({}, { nodeId: 'node-b' }), log: createCaptureLogger(), transact: async (fn, o) => { peer.transact(fn, o) } }, { namespace: 'big' })
    const keys = Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, '0')}`)
    for (const key of keys) await peerCtx.put(key, { value: Buffer.from(key), contentType: 'text/plain', metadata: {}, ttlMs: 0 }, syscallOrigin('Remember'))
    await k.store.applyUpdate('ctx/big', Y.encodeStateAsUpdate(peer), peerOrigin('node-b'))
    await ok(k, 'Remember', { namespace: 'big', key: 'later', value: Buffer.from('x') })
    await waitFor(() => events.length === 22)
    expect(events.slice(1).map(e => [e.kind, e.entry?.key, e.remote])).toEqual([
      ...keys.map(key => ['KIND_PUT', key, true]),
      ['KIND_PUT', 'later', false]
    ])
    controller.abort()
    expect((await done).ok).toBe(true)
    peerCtx.close()
  })
})
