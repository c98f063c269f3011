/**
 * The acceptance suite every StorageAdapter passes (automerge-repo style): call
 * runStorageAdapterTests(name, factory) from a *.test.ts file. The factory returns a fresh,
 * unopened adapter over fresh, empty backing state plus a way to open another adapter over the
 * same state, which is how durability across close/reopen is checked.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { StorageAdapter } from '../../crdt/storage/adapter.js'
import { createRng, testSeed } from '../helpers/seed.js'

export interface StorageAdapterFixture {
  /** A fresh, unopened adapter over fresh, empty backing state. */
  adapter: StorageAdapter
  /** A new, unopened adapter over the same backing state (use after closing the first). */
  reopen: () => StorageAdapter
  /** Release the backing state (temp dir, Redis keys); adapters are closed by the suite. */
  teardown: () => Promise<void>
}

export type StorageAdapterFactory = () => Promise<StorageAdapterFixture>

export function randomBytes (random: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    out[i] = Math.floor(random() * 256)
  }
  return out
}

/** A recognisable update: a tag plus a few random bytes. */
function update (random: () => number, tag: string): Uint8Array {
  const prefix = new TextEncoder().encode(tag)
  const out = new Uint8Array(prefix.byteLength + 8)
  out.set(prefix)
  out.set(randomBytes(random, 8), prefix.byteLength)
  return out
}

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

function sortedHex (list: Uint8Array[]): string[] {
  return list.map(hex).sort()
}

export function runStorageAdapterTests (name: string, factory: StorageAdapterFactory): void {
  describe(`StorageAdapter acceptance: ${name}`, () => {
    const seed = testSeed(`storage acceptance: ${name}`)
    let random = createRng(seed)
    let fixture: StorageAdapterFixture | undefined
    const opened: StorageAdapter[] = []

    async function setup (): Promise<{ storage: StorageAdapter, reopen: () => Promise<StorageAdapter> }> {
      random = createRng(seed)
      fixture = await factory()
      const f = fixture
      await f.adapter.open()
      opened.push(f.adapter)
      return {
        storage: f.adapter,
        reopen: async () => {
          const next = f.reopen()
          await next.open()
          opened.push(next)
          return next
        }
      }
    }

    afterEach(async (context) => {
      if (context.task.result?.state === 'fail') {
        console.error(`storage acceptance "${name}" failed with seed ${seed} (replay: CAMOS_TEST_SEED=${seed})`)
      }
      for (const adapter of opened.splice(0)) {
        await adapter.close()
      }
      await fixture?.teardown()
      fixture = undefined
    })

    it('starts empty', async () => {
      const { storage } = await setup()
      expect(await storage.list()).toEqual([])
      expect(await storage.load('ctx/unknown')).toEqual([])
    })

    it('loads appended updates in append order', async () => {
      const { storage } = await setup()
      const updates = Array.from({ length: 50 }, (_, i) => update(random, `u${i}`))
      for (const u of updates) {
        await storage.append('ctx/my-namespace', u)
      }
      expect(await storage.list()).toEqual(['ctx/my-namespace'])
      expect((await storage.load('ctx/my-namespace')).map(hex)).toEqual(updates.map(hex))
    })

    it('keeps many documents apart, including names that need escaping', async () => {
      const { storage } = await setup()
      const docs = Array.from({ length: 30 }, (_, i) => `ctx/ns-${i}`)
      docs.push('sched/log', 'a b%2F/../x', 'ctx/ünïcødé', '.', '..')
      const expected = new Map(docs.map(doc => [doc, Array.from({ length: 4 }, (_, i) => update(random, `${doc}#${i}`))]))
      await Promise.all(docs.map(async doc => {
        for (const u of expected.get(doc) ?? []) {
          await storage.append(doc, u)
        }
      }))
      expect((await storage.list()).sort()).toEqual([...docs].sort())
      for (const doc of docs) {
        expect((await storage.load(doc)).map(hex)).toEqual((expected.get(doc) ?? []).map(hex))
      }
    })

    it('stores binary payloads byte for byte: every byte value, 0 and 1 byte, several MiB', async () => {
      const { storage } = await setup()
      const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i)
      const large = randomBytes(random, 5 * 1024 * 1024 + 7)
      const offsetView = randomBytes(random, 64).subarray(5, 40)
      const updates = [allBytes, new Uint8Array(0), Uint8Array.of(0), large, offsetView, Uint8Array.of(13, 10)]
      for (const u of updates) {
        await storage.append('ctx/bin', u)
      }
      const loaded = await storage.load('ctx/bin')
      expect(loaded.length).toBe(updates.length)
      loaded.forEach((got, i) => {
        expect(got).toBeInstanceOf(Uint8Array)
        expect(got.byteLength).toBe(updates[i].byteLength)
        expect(hex(got)).toBe(hex(updates[i]))
      })
    })

    it('makes every one of many concurrent appends durable and loadable', async () => {
      const { storage, reopen } = await setup()
      const updates = Array.from({ length: 300 }, (_, i) => update(random, `c${i}`))
      const docs = ['ctx/hot', 'ctx/warm']
      await Promise.all(updates.map(async (u, i) => { await storage.append(docs[i % 2], u) }))
      const byDoc = (d: number): Uint8Array[] => updates.filter((_, i) => i % 2 === d)
      expect(sortedHex(await storage.load('ctx/hot'))).toEqual(sortedHex(byDoc(0)))
      expect(sortedHex(await storage.load('ctx/warm'))).toEqual(sortedHex(byDoc(1)))
      await storage.close()
      const again = await reopen()
      expect(sortedHex(await again.load('ctx/hot'))).toEqual(sortedHex(byDoc(0)))
      expect(sortedHex(await again.load('ctx/warm'))).toEqual(sortedHex(byDoc(1)))
    })

    it('compacts to the snapshot and keeps later appends after it', async () => {
      const { storage } = await setup()
      for (let i = 0; i < 10; i++) {
        await storage.append('ctx/c', update(random, `old${i}`))
      }
      const snapshot = update(random, 'snapshot')
      await storage.compact('ctx/c', snapshot)
      expect((await storage.load('ctx/c')).map(hex)).toEqual([hex(snapshot)])
      const later = Array.from({ length: 5 }, (_, i) => update(random, `new${i}`))
      for (const u of later) {
        await storage.append('ctx/c', u)
      }
      expect((await storage.load('ctx/c')).map(hex)).toEqual([snapshot, ...later].map(hex))
      const second = update(random, 'snapshot2')
      await storage.compact('ctx/c', second)
      expect((await storage.load('ctx/c')).map(hex)).toEqual([hex(second)])
    })

    it('compacts while appends are in flight without losing the later ones', async () => {
      const { storage, reopen } = await setup()
      await storage.append('ctx/race', update(random, 'first'))
      const before = Array.from({ length: 40 }, (_, i) => update(random, `before${i}`))
      const after = Array.from({ length: 40 }, (_, i) => update(random, `after${i}`))
      const snapshot = update(random, 'snap')
      const pending: Array<Promise<void>> = before.map(async u => { await storage.append('ctx/race', u) })
      pending.push(storage.compact('ctx/race', snapshot))
      pending.push(...after.map(async u => { await storage.append('ctx/race', u) }))
      await Promise.all(pending)
      const check = (loaded: Uint8Array[]): void => {
        // the snapshot covers everything issued before compact(); everything after stays
        expect(hex(loaded[0])).toBe(hex(snapshot))
        expect(sortedHex(loaded.slice(1))).toEqual(sortedHex(after))
      }
      check(await storage.load('ctx/race'))
      await storage.close()
      check(await (await reopen()).load('ctx/race'))
    })

    it('keeps everything across close and reopen', async () => {
      const { storage, reopen } = await setup()
      const a = Array.from({ length: 20 }, (_, i) => update(random, `a${i}`))
      const b = Array.from({ length: 3 }, (_, i) => update(random, `b${i}`))
      const snapshot = update(random, 'b-snap')
      for (const u of a) {
        await storage.append('ctx/a', u)
      }
      for (const u of b) {
        await storage.append('ctx/b', u)
      }
      await storage.compact('ctx/b', snapshot)
      await storage.append('ctx/b', b[0])
      await storage.close()
      const again = await reopen()
      expect((await again.list()).sort()).toEqual(['ctx/a', 'ctx/b'])
      expect((await again.load('ctx/a')).map(hex)).toEqual(a.map(hex))
      expect((await again.load('ctx/b')).map(hex)).toEqual([snapshot, b[0]].map(hex))
      const more = update(random, 'more')
      await again.append('ctx/a', more)
      expect((await again.load('ctx/a')).map(hex)).toEqual([...a, more].map(hex))
    })

    it('removes a document without touching the others', async () => {
      const { storage, reopen } = await setup()
      const keep = update(random, 'keep')
      await storage.append('ctx/gone', update(random, 'gone'))
      await storage.append('ctx/keep', keep)
      await storage.remove('ctx/gone')
      await storage.remove('ctx/never-existed')
      expect(await storage.list()).toEqual(['ctx/keep'])
      expect(await storage.load('ctx/gone')).toEqual([])
      const reborn = update(random, 'reborn')
      await storage.append('ctx/gone', reborn)
      await storage.remove('ctx/keep')
      await storage.close()
      const again = await reopen()
      expect(await again.list()).toEqual(['ctx/gone'])
      expect((await again.load('ctx/gone')).map(hex)).toEqual([hex(reborn)])
      expect(await again.load('ctx/keep')).toEqual([])
    })

    it('closes idempotently and refuses work afterwards', async () => {
      const { storage } = await setup()
      await storage.append('ctx/x', update(random, 'x'))
      await storage.close()
      await storage.close()
      await expect(storage.append('ctx/x', update(random, 'late'))).rejects.toMatchObject({ code: 'CAMOS_ERR_SHUTTING_DOWN' })
      await expect(storage.load('ctx/x')).rejects.toMatchObject({ code: 'CAMOS_ERR_SHUTTING_DOWN' })
    })
  })
}
