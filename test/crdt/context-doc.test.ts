import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { createContextDoc } from '../../crdt/context-doc.js'
import { DRIFT_WARN_INTERVAL_MS } from '../../crdt/remote-versions.js'
import { parseToken } from '../../crdt/hlc.js'
import { peerOrigin, syscallOrigin } from '../../crdt/origin.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'
import { createTestNode, mapKeys, put, sync, visible } from './context-helpers.js'

const LOCAL = syscallOrigin('test')
const T0 = 1_700_000_000_000
const text = (v: Uint8Array | undefined): string | undefined => v === undefined ? undefined : Buffer.from(v).toString()

describe('context doc', () => {
  it('writes, reads and keeps a newest-first history with sha256 and author', async () => {
    const a = createTestNode('a', T0)
    const first = await a.ctx.put('k', { ...put('one'), metadata: { m: '1' } }, LOCAL)
    a.clock.advance(5)
    const second = await a.ctx.put('k', put('two'), LOCAL)
    expect(second.version > first.version).toBe(true)
    const cur = a.ctx.get('k')
    expect(text(cur?.value)).toBe('two')
    expect(cur?.sha256).toBe(createHash('sha256').update('two').digest('hex'))
    expect(cur?.author).toBe('a')
    expect(cur?.writtenAt).toBe(T0 + 5)
    expect(a.ctx.versions('k').map(e => text(e.value))).toEqual(['two', 'one'])
    expect(a.ctx.versions('k', 1)).toHaveLength(1)
    expect(a.ctx.getVersion('k', first.version)?.metadata).toEqual({ m: '1' })
    expect(a.ctx.get('missing')).toBeUndefined()
  })

  it('concurrent writes: the greatest (physical, logical, node id) wins on both nodes', async () => {
    const a = createTestNode('a', T0)
    const b = createTestNode('b', T0)
    await a.ctx.put('k', put('from-a'), LOCAL)
    await b.ctx.put('k', put('from-b'), LOCAL)
    sync(a, b)
    sync(b, a)
    // Same physical time and logical counter: node id "b" > "a".
    expect(text(a.ctx.get('k')?.value)).toBe('from-b')
    expect(visible(a)).toEqual(visible(b))
  })

  it('a write that follows a faster clock\'s write causally still wins (token above the one it replaces)', async () => {
    const fast = createTestNode('z-fast', T0 + 30_000)
    const slow = createTestNode('a-slow', T0)
    await fast.ctx.put('k', put('fast'), LOCAL)
    sync(fast, slow)
    const later = await slow.ctx.put('k', put('slow-later'), LOCAL)
    expect(later.writtenAt).toBe(T0 + 30_000)
    sync(slow, fast)
    expect(text(fast.ctx.get('k')?.value)).toBe('slow-later')
    expect(text(slow.ctx.get('k')?.value)).toBe('slow-later')
  })

  it('a prefix delete hides older versions it never saw: a late older write does not resurrect', async () => {
    const writer = createTestNode('w', T0)
    const deleter = createTestNode('d', T0 + 100)
    await writer.ctx.put('p/x', put('old'), LOCAL)
    await writer.ctx.put('q', put('outside'), LOCAL)
    const res = await deleter.ctx.forgetPrefix('p/', LOCAL)
    expect(res.count).toBe(0)
    sync(deleter, writer)
    sync(writer, deleter)
    for (const n of [writer, deleter]) {
      expect(n.ctx.get('p/x')).toBeUndefined()
      expect(text(n.ctx.get('q')?.value)).toBe('outside')
    }
    writer.clock.set(T0 + 200)
    await writer.ctx.put('p/y', put('new'), LOCAL)
    sync(writer, deleter)
    expect(text(deleter.ctx.get('p/y')?.value)).toBe('new')
    await deleter.ctx.settled()
    expect(mapKeys(deleter.doc, 'versions').some(k => k.startsWith('p/x'))).toBe(false)
  })

  it('Forget of one key writes a delete marker visible in the history', async () => {
    const a = createTestNode('a', T0)
    await a.ctx.put('k', put('v'), LOCAL)
    const res = await a.ctx.forgetKey('k', LOCAL)
    expect(res.count).toBe(1)
    expect(a.ctx.get('k')).toBeUndefined()
    const [latest] = a.ctx.versions('k')
    expect(latest).toMatchObject({ version: res.version, deleted: true })
    expect((await a.ctx.forgetKey('k', LOCAL)).count).toBe(0)
  })

  it('bounded history: every node keeps the same N greatest versions after merging', async () => {
    const limits = { historyLimit: 4 }
    const a = createTestNode('a', T0, limits)
    const b = createTestNode('b', T0 + 1, limits)
    for (let i = 0; i < 7; i++) {
      a.clock.advance(2)
      b.clock.advance(2)
      await a.ctx.put('k', put(`a${i}`), LOCAL)
      await b.ctx.put('k', put(`b${i}`), LOCAL)
    }
    const all = [...a.ctx.versions('k'), ...b.ctx.versions('k')].map(e => e.version)
    expect(a.ctx.versions('k')).toHaveLength(4)
    sync(a, b)
    sync(b, a)
    await a.ctx.settled()
    await b.ctx.settled()
    sync(a, b)
    sync(b, a)
    const expected = [...new Set(all)].sort().reverse().slice(0, 4)
    expect(a.ctx.versions('k').map(e => e.version)).toEqual(expected)
    expect(b.ctx.versions('k').map(e => e.version)).toEqual(expected)
    expect(mapKeys(a.doc, 'versions')).toEqual(mapKeys(b.doc, 'versions'))
  })

  it('TTL: invisible once the HLC passes expiresAt, EXPIRED event, stripped by GC, purged after grace', async () => {
    const a = createTestNode('a', T0, { tombstoneGraceMs: 1_000 })
    const e = await a.ctx.put('k', put('short', 50), LOCAL)
    expect(e.expiresAt).toBe(T0 + 50)
    a.clock.set(T0 + 49)
    expect(a.ctx.get('k')).toBeDefined()
    a.clock.set(T0 + 50)
    expect(a.ctx.get('k')).toBeUndefined()
    expect(a.ctx.usage().keys).toBe(1)
    a.ctx.maintain()
    await a.ctx.settled()
    expect(a.changes.map(c => c.kind)).toEqual(['put', 'expired'])
    expect(text(a.changes[1].entry.value)).toBe('short')
    const stored = a.doc.getMap<{ v: Uint8Array }>('versions').get(`k\u0000${e.version}`)
    expect(stored?.v.byteLength).toBe(0)
    expect(a.ctx.usage().keys).toBe(0)
    a.clock.set(T0 + 50 + 1_000)
    a.ctx.maintain()
    await a.ctx.settled()
    expect(mapKeys(a.doc, 'versions')).toEqual([])
  })

  it('a prefix delete hides late older writes during the grace period, and is collected after it', async () => {
    const a = createTestNode('a', T0, { tombstoneGraceMs: 1_000 })
    const late = createTestNode('l', T0)
    await late.ctx.put('s1/x', put('older'), LOCAL)
    a.clock.set(T0 + 10)
    await a.ctx.put('s1/x', put('a'), LOCAL)
    await a.ctx.forgetPrefix('s1/', LOCAL)
    await a.ctx.put('s1/y', put('after'), LOCAL)
    a.clock.set(T0 + 10 + 999)
    sync(late, a)
    a.ctx.maintain()
    await a.ctx.settled()
    expect(a.ctx.get('s1/x')).toBeUndefined()
    expect(mapKeys(a.doc, 'prefixDeletes')).toHaveLength(1)
    const events = a.changes.length

    a.clock.set(T0 + 10 + 1_000)
    a.ctx.maintain()
    await a.ctx.settled()
    expect(mapKeys(a.doc, 'prefixDeletes')).toEqual([])
    expect(visible(a).map(e => `${e.key}=${e.value}`)).toEqual(['s1/y=after'])
    expect(mapKeys(a.doc, 'versions').map(c => c.split('\u0000')[0])).toEqual(['s1/y'])
    // Collecting it changed nothing anyone could see.
    expect(a.changes).toHaveLength(events)
  })

  it('TTL with skewed clocks: a node far ahead cannot make others expire early; a slow node catches up', async () => {
    const b = createTestNode('b', T0, {}, 60_000)
    const fast = createTestNode('f', T0 + 3_600_000, {}, 60_000)
    await b.ctx.put('session', put('b', 10_000), LOCAL)
    await fast.ctx.put('other', put('f'), LOCAL)
    sync(fast, b)
    expect(b.hlc.rejectedCount()).toBe(1)
    b.clock.set(T0 + 1_000)
    expect(text(b.ctx.get('session')?.value)).toBe('b')

    // A node whose clock is 5 s behind adopts the HLC time of what it receives, so its TTLs
    // count from the cluster's time rather than from its own late clock.
    const slow = createTestNode('s', T0 - 5_000)
    sync(b, slow)
    const written = await slow.ctx.put('late', put('s', 2_000), LOCAL)
    expect(written.writtenAt).toBeGreaterThanOrEqual(T0)
    sync(slow, b)
    expect(text(b.ctx.get('late')?.value)).toBe('s')
  })

  it('of the versions one update brings, the HLC merges the greatest its drift bound accepts', async () => {
    const b = createTestNode('b', T0, {}, 60_000)
    const ahead = createTestNode('a', T0 + 30_000, {}, 60_000)
    const fast = createTestNode('f', T0 + 3_600_000, {}, 60_000)
    await ahead.ctx.put('near', put('a'), LOCAL)
    await fast.ctx.put('far', put('f'), LOCAL)
    sync(ahead, fast)
    sync(fast, b)
    expect(b.hlc.rejectedCount()).toBe(1)
    const written = await b.ctx.put('mine', put('b'), LOCAL)
    expect(written.writtenAt).toBe(T0 + 30_000)
  })

  it('warns of a peer too far ahead once per interval, counting the rejections in between', async () => {
    const b = createTestNode('b', T0, {}, 60_000)
    const fast = createTestNode('f', T0 + 3_600_000, {}, 60_000)
    const warnings = (): Array<Record<string, unknown> | undefined> => b.log.lines.filter(l => l.level === 'warn' && /too far ahead/.test(l.msg)).map(l => l.fields)
    for (let i = 0; i < 5; i++) {
      await fast.ctx.put(`k${i}`, put('f'), LOCAL)
      sync(fast, b)
    }
    expect(b.hlc.rejectedCount()).toBe(5)
    expect(warnings()).toHaveLength(1)
    expect(warnings()[0]).not.toHaveProperty('moreSinceLastWarning')
    b.clock.advance(DRIFT_WARN_INTERVAL_MS)
    await fast.ctx.put('k5', put('f'), LOCAL)
    sync(fast, b)
    expect(warnings()).toHaveLength(2)
    expect(warnings()[1]).toMatchObject({ namespace: 'ns', moreSinceLastWarning: 4 })
  })

  it('snapshot and restore: restore is ordinary writes that replicate', async () => {
    const a = createTestNode('a', T0)
    const b = createTestNode('b', T0)
    await a.ctx.put('x', put('x1'), LOCAL)
    await a.ctx.put('y', put('y1'), LOCAL)
    await a.ctx.put('z', put('z1'), LOCAL)
    const snap = await a.ctx.snapshot('s1', 'before changes', LOCAL)
    expect(snap).toMatchObject({ name: 's1', keyCount: 3, bytes: 9 })
    await expect(a.ctx.snapshot('s1', '', LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_SNAPSHOT_EXISTS' })
    a.clock.advance(10)
    await a.ctx.put('x', put('x2'), LOCAL)
    await a.ctx.forgetKey('y', LOCAL)
    await a.ctx.put('w', put('w1'), LOCAL)
    sync(a, b)
    const res = await a.ctx.restore('s1', LOCAL)
    expect(res).toMatchObject({ written: 2, deleted: 1 })
    expect(visible(a).map(e => [e.key, e.value])).toEqual([['x', 'x1'], ['y', 'y1'], ['z', 'z1']])
    expect(a.ctx.get('x')?.version).toBe(res.version)
    expect(a.ctx.get('z')?.version).not.toBe(res.version)
    sync(a, b)
    expect(visible(b)).toEqual(visible(a))
    await expect(a.ctx.restore('nope', LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_SNAPSHOT_NOT_FOUND' })
  })

  it('quotas: keys, bytes and value size fail with clear errors; overwriting within quota works', async () => {
    const a = createTestNode('a', T0, { maxKeys: 2, maxBytes: 16, maxValueBytes: 8 })
    await a.ctx.put('k1', put('aaaa'), LOCAL)
    await a.ctx.put('k2', put('bbbb'), LOCAL)
    await expect(a.ctx.put('k3', put('c'), LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_QUOTA_EXCEEDED', message: expect.stringMatching(/has 2 keys.*limit is 2.*max_keys/) })
    await a.ctx.put('k1', put('aaaaaa'), LOCAL)
    await expect(a.ctx.put('k2', put('bbbbbbbb'), LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_QUOTA_EXCEEDED', message: expect.stringMatching(/holds 14 bytes; the write adds 4 and the limit is 16 bytes/) })
    await expect(a.ctx.put('k1', put('123456789'), LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_VALUE_TOO_LARGE', message: expect.stringMatching(/9 bytes; the limit is 8/) })
    await a.ctx.forgetKey('k2', LOCAL)
    await a.ctx.put('k3', put('c'), LOCAL)
    expect(a.ctx.usage()).toEqual({ keys: 2, bytes: 2 + 6 + 2 + 1 })
  })

  it('if_version and if_absent', async () => {
    const a = createTestNode('a', T0)
    const first = await a.ctx.put('k', { ...put('1'), ifAbsent: true }, LOCAL)
    await expect(a.ctx.put('k', { ...put('2'), ifAbsent: true }, LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_VERSION_MISMATCH' })
    await expect(a.ctx.put('k', { ...put('2'), ifVersion: '000000000001.0000.x' }, LOCAL)).rejects.toMatchObject({ code: 'CAMOS_ERR_VERSION_MISMATCH' })
    await a.ctx.put('k', { ...put('2'), ifVersion: first.version }, LOCAL)
    expect(text(a.ctx.get('k')?.value)).toBe('2')
  })

  it('change events: local and remote PUT / DELETE in the order they became visible', async () => {
    const a = createTestNode('a', T0)
    const b = createTestNode('b', T0 + 10)
    await a.ctx.put('p/1', put('one'), LOCAL)
    await b.ctx.put('p/2', put('two'), LOCAL)
    sync(b, a)
    const del = await a.ctx.forgetKey('p/1', LOCAL)
    await b.ctx.forgetPrefix('p/', LOCAL)
    sync(b, a)
    expect(a.changes.map(c => [c.kind, c.entry.key, c.remote])).toEqual([
      ['put', 'p/1', false],
      ['put', 'p/2', true],
      ['delete', 'p/1', false],
      ['delete', 'p/2', true]
    ])
    expect(a.changes[2].entry).toMatchObject({ version: del.version, deleted: true })
    expect(a.changes[2].entry.value.byteLength).toBe(0)
  })

  it('rebuilds the index from an existing document and moves its HLC past stored versions', async () => {
    const a = createTestNode('a', T0 + 500)
    await a.ctx.put('k', put('v'), LOCAL)
    await a.ctx.forgetPrefix('gone/', LOCAL)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc), peerOrigin('a'))
    const { createHlc } = await import('../../crdt/hlc.js')
    const hlc = createHlc({ now: () => T0 }, { nodeId: 'restarted' })
    const ctx = createContextDoc({ doc, hlc, log: createCaptureLogger(), transact: async (fn, origin) => { doc.transact(fn, origin) } }, { namespace: 'ns' })
    expect(text(ctx.get('k')?.value)).toBe('v')
    expect(hlc.now().physicalMs).toBe(parseToken(a.ctx.get('k')?.version ?? '').physicalMs)
    ctx.close()
  })
})
