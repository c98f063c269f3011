/**
 * The concurrent-write rule: 2–4 nodes write independently (seeded random puts, deletes, prefix
 * deletes, TTLs, with skewed clocks), then their documents are merged into fresh nodes in every
 * order. Every order must give the same retained document content and the same visible entries,
 * and those must equal a reference model of the rule computed from the operation log alone.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parseToken } from '../../crdt/hlc.js'
import { peerOrigin, syscallOrigin } from '../../crdt/origin.js'
import { createRng, testSeed } from '../helpers/seed.js'
import { createTestNode, mapKeys, put, visible, type TestNode } from './context-helpers.js'

const LOCAL = syscallOrigin('test')
const KEYS = ['a', 'a/b', 'a/c', 'ab', 'b', 'b/x', 'c']
const PREFIXES = ['a/', 'a', 'b/', '']
const T0 = 1_700_000_000_000
const LIMITS = { historyLimit: 3 }

interface Op { kind: 'put' | 'del' | 'prefix', key: string, token: string, value?: string, expiresAt?: number }

function permutations<T> (items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(p => [item, ...p]))
}

async function writeRandomly (node: TestNode, rng: () => number, ops: Op[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    node.clock.advance(Math.floor(rng() * 3))
    const r = rng()
    const key = KEYS[Math.floor(rng() * KEYS.length)]
    if (r < 0.65) {
      const ttl = rng() < 0.2 ? (rng() < 0.5 ? 5 : 1_000_000) : 0
      const value = `${node.id}:${i}`
      const e = await node.ctx.put(key, put(value, ttl), LOCAL)
      ops.push({ kind: 'put', key, token: e.version, value, expiresAt: e.expiresAt })
    } else if (r < 0.85) {
      const res = await node.ctx.forgetKey(key, LOCAL)
      ops.push({ kind: 'del', key, token: res.version })
    } else {
      const prefix = rng() < 0.1 ? '' : PREFIXES[Math.floor(rng() * (PREFIXES.length - 1))]
      const res = await node.ctx.forgetPrefix(prefix, LOCAL)
      ops.push({ kind: 'prefix', key: prefix, token: res.version })
    }
  }
  await node.ctx.settled()
}

/** The rule, computed from the operation log: greatest token wins unless deleted/shadowed/expired. */
function model (ops: Op[], nowMs: number): Array<{ key: string, version: string, value: string }> {
  const out = []
  for (const key of [...new Set(ops.filter(o => o.kind !== 'prefix').map(o => o.key))].sort()) {
    const top = ops.filter(o => o.kind !== 'prefix' && o.key === key).sort((x, y) => x.token < y.token ? 1 : -1)[0]
    const shadowed = ops.some(o => o.kind === 'prefix' && key.startsWith(o.key) && o.token > top.token)
    const expired = top.expiresAt !== undefined && top.expiresAt !== 0 && nowMs >= top.expiresAt
    if (top.kind === 'put' && !shadowed && !expired) out.push({ key, version: top.token, value: top.value as string })
  }
  return out
}

describe('context merge: concurrent writes resolve by HLC, identically in every merge order', () => {
  for (const n of [2, 3, 4]) {
    it(`${n} nodes, all ${permutations(Array.from({ length: n }, (_, i) => i)).length} merge orders`, async () => {
      const seed = testSeed(`context merge ${n} nodes`)
      const rng = createRng(seed)
      const skews = [0, -40, 25, 7]
      const nodes = Array.from({ length: n }, (_, i) => createTestNode(`node-${i}`, T0 + skews[i], LIMITS))
      const ops: Op[] = []
      for (const node of nodes) await writeRandomly(node, rng, ops, 40)
      const updates = nodes.map(node => Y.encodeStateAsUpdate(node.doc))
      const endMs = T0 + 200
      const maxPhysical = Math.max(...ops.map(o => parseToken(o.token).physicalMs))
      const expected = model(ops, Math.max(endMs, maxPhysical))

      const results: string[] = []
      const rawStates: string[] = []
      for (const order of permutations(nodes.map((_, i) => i))) {
        const raw = new Y.Doc()
        for (const i of order) Y.applyUpdate(raw, updates[i], peerOrigin(`node-${i}`))
        const json = raw.getMap('versions').toJSON()
        rawStates.push(JSON.stringify(Object.keys(json).sort().map(k => [k, json[k]])))

        const merged = createTestNode('observer', endMs, LIMITS)
        for (const i of order) Y.applyUpdate(merged.doc, updates[i], peerOrigin(`node-${i}`))
        await merged.ctx.settled()
        expect(visible(merged), `seed ${seed} order ${order.join(',')}`).toEqual(expected)
        results.push(JSON.stringify({
          visible: visible(merged),
          versions: mapKeys(merged.doc, 'versions'),
          prefixDeletes: mapKeys(merged.doc, 'prefixDeletes'),
          history: Object.fromEntries(KEYS.map(k => [k, merged.ctx.versions(k).map(e => e.version)]))
        }))
        for (const key of KEYS) expect(merged.ctx.versions(key).length).toBeLessThanOrEqual(LIMITS.historyLimit)
      }
      expect(new Set(rawStates).size, `seed ${seed}`).toBe(1)
      expect(new Set(results).size, `seed ${seed}`).toBe(1)
    })
  }

  it('nodes that exchange updates in different orders converge to the same retained set', async () => {
    const seed = testSeed('context merge convergence')
    const rng = createRng(seed)
    const nodes = [0, 1, 2].map(i => createTestNode(`n${i}`, T0 + i * 3, LIMITS))
    const ops: Op[] = []
    for (let round = 0; round < 4; round++) {
      for (const node of nodes) await writeRandomly(node, rng, ops, 10)
      const order = permutations([0, 1, 2])[Math.floor(rng() * 6)]
      for (const a of order) for (const b of order) if (a !== b) Y.applyUpdate(nodes[b].doc, Y.encodeStateAsUpdate(nodes[a].doc), peerOrigin(nodes[a].id))
      for (const node of nodes) await node.ctx.settled()
    }
    // Housekeeping done after a merge is itself replicated: two more full exchanges settle it.
    for (let i = 0; i < 2; i++) {
      for (const a of nodes) for (const b of nodes) if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc), peerOrigin(a.id))
      for (const node of nodes) await node.ctx.settled()
    }
    const states = nodes.map(node => JSON.stringify([visible(node), mapKeys(node.doc, 'versions'), mapKeys(node.doc, 'prefixDeletes')]))
    expect(new Set(states).size, `seed ${seed}`).toBe(1)
  })
})
