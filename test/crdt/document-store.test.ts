import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { decodeUpdateBatch } from '../../crdt/update-batch.js'
import { createDocumentStore, type DocumentStore } from '../../crdt/document-store.js'
import { createEmbeddedLogStorage } from '../../crdt/storage/embedded-log.js'
import { peerOrigin, syscallOrigin } from '../../crdt/origin.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'
import { createMemoryStorage } from '../helpers/memory-storage.js'
import { waitFor } from '../helpers/wait-for.js'

const LOCAL = syscallOrigin('test')
const stores: DocumentStore[] = []

function track (store: DocumentStore): DocumentStore {
  stores.push(store)
  return store
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.stop()
})

describe('document store', () => {
  it('acknowledges a write only once its update is durable; memory changes at once', async () => {
    const storage = createMemoryStorage()
    const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
    await store.start()
    storage.holding = true
    let acked = false
    const p = store.transact('d', doc => { doc.getMap('m').set('k', 1); return 'result' }, LOCAL).then(r => { acked = true; return r })
    expect(store.get('d')?.getMap('m').get('k')).toBe(1)
    await waitFor(() => storage.held() === 1)
    expect(acked).toBe(false)
    expect(store.pendingUpdates('d')).toBe(1)
    storage.release()
    await expect(p).resolves.toBe('result')
    expect(storage.docs.get('d')).toHaveLength(1)
    expect(store.pendingUpdates()).toBe(0)
  })

  it('a transaction that changes nothing resolves without an append', async () => {
    const storage = createMemoryStorage()
    const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
    await store.start()
    await expect(store.transact('d', () => 42, LOCAL)).resolves.toBe(42)
    expect(storage.appends).toBe(0)
  })

  it('reloads every document from storage with the storage origin and does not re-persist it', async () => {
    const storage = createMemoryStorage()
    const a = track(createDocumentStore({ storage, log: createCaptureLogger() }))
    await a.start()
    await a.transact('one', doc => doc.getMap('m').set('x', 'X'), LOCAL)
    await a.transact('two', doc => doc.getArray<number>('l').push([1, 2]), LOCAL)
    await a.stop()
    const appends = storage.appends
    const b = track(createDocumentStore({ storage, log: createCaptureLogger() }))
    const seen: string[] = []
    b.onDocument(name => seen.push(name))
    await b.start()
    expect(seen.sort()).toEqual(['one', 'two'])
    expect(b.get('one')?.getMap('m').get('x')).toBe('X')
    expect(b.get('two')?.getArray('l').toArray()).toEqual([1, 2])
    expect(storage.appends).toBe(appends)
    expect(b.get('three')).toBeUndefined()
  })

  it('rejects with the storage error when the append fails, keeps memory, and retries in the background', async () => {
    const storage = createMemoryStorage()
    const log = createCaptureLogger()
    const store = track(createDocumentStore({ storage, log }, { retryMinMs: 5, retryMaxMs: 20 }))
    await store.start()
    storage.down = true
    await expect(store.transact('d', doc => doc.getMap('m').set('a', 1), LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_STORAGE_UNAVAILABLE' })
    expect(store.get('d')?.getMap('m').get('a')).toBe(1)
    expect(store.pendingUpdates('d')).toBe(1)
    storage.down = false
    await waitFor(() => store.pendingUpdates('d') === 0, { message: 'background retry persisted the failed update' })
    const reloaded = new Y.Doc()
    for (const r of storage.docs.get('d') ?? []) for (const u of decodeUpdateBatch(r)) Y.applyUpdate(reloaded, u)
    expect(reloaded.getMap('m').get('a')).toBe(1)
  })

  it('an acknowledged update carries the failed updates it may depend on', async () => {
    const storage = createMemoryStorage()
    const store = track(createDocumentStore({ storage, log: createCaptureLogger() }, { retryMinMs: 60_000 }))
    await store.start()
    storage.down = true
    await expect(store.transact('d', doc => doc.getArray<string>('l').push(['first']), LOCAL)).rejects.toThrow()
    storage.down = false
    await store.transact('d', doc => doc.getArray<string>('l').insert(1, ['second']), LOCAL)
    const reloaded = new Y.Doc()
    for (const r of storage.docs.get('d') ?? []) for (const u of decodeUpdateBatch(r)) Y.applyUpdate(reloaded, u)
    expect(reloaded.getArray('l').toArray()).toEqual(['first', 'second'])
  })

  it('persists peer updates (applyUpdate) and compacts after N updates and on stop', async () => {
    const storage = createMemoryStorage()
    const store = track(createDocumentStore({ storage, log: createCaptureLogger() }, { compactAfterUpdates: 5 }))
    await store.start()
    const remote = new Y.Doc()
    remote.getMap('m').set('peer', true)
    await store.applyUpdate('d', Y.encodeStateAsUpdate(remote), peerOrigin('p1'))
    // The first record is the log's base; five more are due for compaction.
    for (let i = 0; i < 4; i++) await store.transact('d', doc => doc.getMap('m').set(`k${i}`, i), LOCAL)
    expect(storage.compactions).toBe(0)
    await store.transact('d', doc => doc.getMap('m').set('k4', 4), LOCAL)
    expect(storage.compactions).toBe(1)
    expect(storage.docs.get('d')).toHaveLength(1)
    await store.transact('d', doc => doc.getMap('m').set('after', 1), LOCAL)
    expect(storage.docs.get('d')).toHaveLength(2)
    await store.stop()
    expect(storage.compactions).toBe(2)
    const reloaded = new Y.Doc()
    for (const r of storage.docs.get('d') ?? []) for (const u of decodeUpdateBatch(r)) Y.applyUpdate(reloaded, u)
    expect(reloaded.getMap('m').toJSON()).toEqual({ peer: true, k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, after: 1 })
  })

  it('does not rewrite a log whose first record is a large received state until as many bytes follow', async () => {
    const storage = createMemoryStorage()
    const store = track(createDocumentStore({ storage, log: createCaptureLogger() }, { compactAfterBytes: 1_000 }))
    await store.start()
    const remote = new Y.Doc()
    remote.getMap('m').set('big', new Uint8Array(5_000))
    await store.applyUpdate('d', Y.encodeStateAsUpdate(remote), peerOrigin('p1'))
    expect(storage.compactions).toBe(0)
    await store.transact('d', doc => doc.getMap('m').set('small', new Uint8Array(1_500)), LOCAL)
    expect(storage.compactions).toBe(0)
    expect(storage.docs.get('d')).toHaveLength(2)
    await store.transact('d', doc => doc.getMap('m').set('big', new Uint8Array(5_000)), LOCAL)
    expect(storage.compactions).toBe(1)
    expect(storage.docs.get('d')).toHaveLength(1)
  })

  describe('received updates', () => {
    /** Updates of a peer's document: `base`, then `next` (which needs `base`). */
    function peerUpdates (): { base: Uint8Array, next: Uint8Array, both: Uint8Array } {
      const peer = new Y.Doc()
      peer.getMap('m').set('a', 'A')
      const base = Y.encodeStateAsUpdate(peer)
      const sv = Y.encodeStateVector(peer)
      peer.getMap('m').set('b', 'B')
      return { base, next: Y.encodeStateAsUpdate(peer, sv), both: Y.encodeStateAsUpdate(peer) }
    }

    function stored (storage: ReturnType<typeof createMemoryStorage>, doc: string): Uint8Array[] {
      return (storage.docs.get(doc) ?? []).flatMap(r => decodeUpdateBatch(r))
    }

    it('are persisted and told to update listeners as they came, not re-encoded', async () => {
      const storage = createMemoryStorage()
      const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
      await store.start()
      const told: Array<[string, Uint8Array]> = []
      store.onUpdate((name, update) => { told.push([name, update]) })
      const { base, both } = peerUpdates()
      await store.applyUpdate('d', base, peerOrigin('p1'))
      // `both` repeats `base`: Yjs would encode only what is new, the store keeps the bytes.
      await store.applyUpdate('d', both, peerOrigin('p1'))
      expect(stored(storage, 'd').map(u => Buffer.from(u))).toEqual([Buffer.from(base), Buffer.from(both)])
      expect(told.map(([name, u]) => [name, Buffer.from(u)])).toEqual([['d', Buffer.from(base)], ['d', Buffer.from(both)]])
      await store.transact('d', doc => doc.getMap('m').set('c', 'C'), LOCAL)
      expect(told).toHaveLength(3)
    })

    it('create a document not held yet only if they apply, and leave nothing of one that fails', async () => {
      const storage = createMemoryStorage()
      const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
      await store.start()
      const created: string[] = []
      store.onDocument(name => { created.push(name) })
      let told = 0
      store.onUpdate(() => { told++ })
      const { both } = peerUpdates()
      // Its structs parse and integrate; its delete set is cut short, so Yjs throws after them.
      await expect(store.applyUpdate('d', both.subarray(0, both.byteLength - 1), peerOrigin('p1'))).rejects.toThrow()
      await expect(store.applyUpdate('e', new Uint8Array([1, 1, 9, 9, 9, 9]), peerOrigin('p1'))).rejects.toThrow()
      expect(store.get('d')).toBeUndefined()
      expect(store.names()).toEqual([])
      expect(created).toEqual([])
      expect(told).toBe(0)
      expect(storage.appends).toBe(0)
      // The same document from a whole update: listeners get it with its content already in.
      const seen: unknown[] = []
      store.onDocument((name, doc) => { seen.push([name, doc.getMap('m').toJSON()]) })
      await store.applyUpdate('d', both, peerOrigin('p1'))
      expect(seen).toEqual([['d', { a: 'A', b: 'B' }]])
      expect(told).toBe(1)
      expect(stored(storage, 'd').map(u => Buffer.from(u))).toEqual([Buffer.from(both)])
    })

    it('given together are applied in order in one transaction, each persisted and told as it came', async () => {
      const storage = createMemoryStorage()
      const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
      await store.start()
      const told: Uint8Array[] = []
      store.onUpdate((_, update) => { told.push(update) })
      const { base, next } = peerUpdates()
      // Not held yet: a batch whose last update is corrupt leaves no document behind.
      await expect(store.applyUpdate('d', [base, new Uint8Array([1, 1, 9, 9, 9, 9])], peerOrigin('p1'))).rejects.toThrow()
      expect(store.get('d')).toBeUndefined()
      await store.applyUpdate('d', [base, next], peerOrigin('p1'))
      expect(store.get('d')?.getMap('m').toJSON()).toEqual({ a: 'A', b: 'B' })
      const peer = new Y.Doc()
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(store.get('d') as Y.Doc))
      const sv = Y.encodeStateVector(peer)
      peer.getMap('m').set('c', 'C')
      const c = Y.encodeStateAsUpdate(peer, sv)
      const sv2 = Y.encodeStateVector(peer)
      peer.getMap('m').set('c', 'C2')
      const c2 = Y.encodeStateAsUpdate(peer, sv2)
      let transactions = 0
      store.get('d')?.on('afterTransaction', () => { transactions++ })
      await store.applyUpdate('d', [c, c2], peerOrigin('p1'))
      expect(transactions).toBe(1)
      expect(store.get('d')?.getMap('m').get('c')).toBe('C2')
      const expected = [base, next, c, c2].map(u => Buffer.from(u))
      expect(told.map(u => Buffer.from(u))).toEqual(expected)
      expect(stored(storage, 'd').map(u => Buffer.from(u))).toEqual(expected)
    })

    it('that change nothing are neither persisted nor told', async () => {
      const storage = createMemoryStorage()
      const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
      await store.start()
      let told = 0
      store.onUpdate(() => { told++ })
      const { both } = peerUpdates()
      await store.applyUpdate('d', both, peerOrigin('p1'))
      await store.applyUpdate('d', both, peerOrigin('p2'))
      expect(storage.appends).toBe(1)
      expect(told).toBe(1)
    })

    it('waiting for their predecessors are persisted at once, so a reload holds them', async () => {
      const storage = createMemoryStorage()
      const a = track(createDocumentStore({ storage, log: createCaptureLogger() }))
      await a.start()
      const { base, next } = peerUpdates()
      await a.applyUpdate('d', next, peerOrigin('p1'))
      expect(a.get('d')?.getMap('m').get('b')).toBeUndefined()
      await a.applyUpdate('d', base, peerOrigin('p1'))
      expect(a.get('d')?.getMap('m').toJSON()).toEqual({ a: 'A', b: 'B' })
      expect(storage.appends).toBe(2)
      const reloaded = new Y.Doc()
      for (const u of stored(storage, 'd')) Y.applyUpdate(reloaded, u)
      expect(reloaded.getMap('m').toJSON()).toEqual({ a: 'A', b: 'B' })
    })

    it('come before the transactions their observers run, which are persisted too', async () => {
      const storage = createMemoryStorage()
      const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
      await store.start()
      const doc = store.open('d')
      doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.origin !== LOCAL && doc.getMap('m').get('seen') === undefined) void store.transact('d', d => d.getMap('m').set('seen', true), LOCAL)
      })
      const { both } = peerUpdates()
      await store.applyUpdate('d', both, peerOrigin('p1'))
      await waitFor(() => store.pendingUpdates('d') === 0)
      const updates = stored(storage, 'd')
      expect(updates).toHaveLength(2)
      expect(Buffer.from(updates[0])).toEqual(Buffer.from(both))
      const reloaded = new Y.Doc()
      for (const u of updates) Y.applyUpdate(reloaded, u)
      expect(reloaded.getMap('m').toJSON()).toEqual({ a: 'A', b: 'B', seen: true })
    })
  })

  it('keeps call order: concurrent transactions are applied and persisted in order', async () => {
    const storage = createMemoryStorage()
    const store = track(createDocumentStore({ storage, log: createCaptureLogger() }))
    await store.start()
    const ps = Array.from({ length: 50 }, async (_, i) => await store.transact('d', doc => doc.getArray<number>('l').push([i]), LOCAL))
    expect(store.get('d')?.getArray('l').toArray()).toEqual(Array.from({ length: 50 }, (_, i) => i))
    await Promise.all(ps)
    expect(storage.appends).toBeLessThan(50)
    const reloaded = new Y.Doc()
    for (const r of storage.docs.get('d') ?? []) for (const u of decodeUpdateBatch(r)) Y.applyUpdate(reloaded, u)
    expect(reloaded.getArray('l').toArray()).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })

  it('refuses transactions while stopping and start/stop are idempotent', async () => {
    const store = track(createDocumentStore({ storage: createMemoryStorage(), log: createCaptureLogger() }))
    await store.start()
    await store.start()
    await store.stop()
    await store.stop()
    expect(store.names()).toEqual([])
  })

  it('works over the embedded log: durable ack, then reload after restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'camos-docstore-'))
    try {
      const log = createCaptureLogger()
      const storage = createEmbeddedLogStorage({ log }, { dir })
      await storage.open()
      const a = createDocumentStore({ storage, log })
      await a.start()
      await a.transact('ctx/x', doc => doc.getMap('m').set('v', 'durable'), LOCAL)
      await a.stop()
      await storage.close()
      const storage2 = createEmbeddedLogStorage({ log }, { dir })
      await storage2.open()
      const b = createDocumentStore({ storage: storage2, log })
      await b.start()
      expect(b.get('ctx/x')?.getMap('m').get('v')).toBe('durable')
      await b.stop()
      await storage2.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
