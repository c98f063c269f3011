/**
 * Prefix-delete housekeeping: the plan made from only the prefixes just added must remove what
 * the whole-document plan removes, and both must follow the rule as stated (a prefix delete goes
 * when the same or a shorter matching prefix has a greater token), checked pair by pair.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { planPrefixExpiry, planPrefixGc } from '../../crdt/context-gc.js'
import { ContextIndex } from '../../crdt/context-index.js'
import { compositeKey, resolveLimits, splitCompositeKey, valueRecord } from '../../crdt/context-types.js'
import { createVersionStore } from '../../crdt/version-record.js'
import { createRng, testSeed } from '../helpers/seed.js'

/** Short prefixes over two letters, so that many of them nest. */
function randomPrefix (rng: () => number): string {
  let p = ''
  const length = Math.floor(rng() * 4)
  for (let i = 0; i < length; i++) p += rng() < 0.5 ? 'a' : 'b'
  return p + (rng() < 0.5 ? '/' : '')
}

const token = (n: number): string => String(n).padStart(8, '0')

function newIndex (): ContextIndex {
  return new ContextIndex(createVersionStore(new Y.Doc().getMap('versions')))
}

/** The rule, pair by pair: every prefix delete hidden by another of the same or a shorter matching prefix. */
function reference (index: ContextIndex): string[] {
  const all = [...index.prefixDeletes].flatMap(([prefix, tokens]) => tokens.map(t => ({ prefix, t })))
  return all
    .filter(a => all.some(b => a.prefix.startsWith(b.prefix) && b.t > a.t))
    .map(a => compositeKey(a.prefix, a.t))
    .sort()
}

function remove (index: ContextIndex, composites: string[]): void {
  for (const c of composites) {
    const [prefix, t] = splitCompositeKey(c)
    index.removeToken(index.prefixDeletes, prefix, t)
  }
}

describe('prefix-delete housekeeping (planPrefixGc)', () => {
  it('the whole-document plan removes exactly the prefix deletes the rule hides', () => {
    const seed = testSeed('prefix gc full plan')
    const rng = createRng(seed)
    for (let round = 0; round < 50; round++) {
      const index = newIndex()
      for (let i = 0; i < 1 + Math.floor(rng() * 30); i++) index.addToken(index.prefixDeletes, randomPrefix(rng), token(Math.floor(rng() * 1000)))
      expect(planPrefixGc(index).sort(), `seed ${seed}, round ${round}`).toEqual(reference(index))
    }
  })

  it('collects a prefix delete past the grace period with the versions it still hides, and nothing else', () => {
    const index = newIndex()
    const record = valueRecord(new Uint8Array(1), 'text/plain', {}, 'n', 0, 0)
    for (const [key, t] of [['a/x', 10], ['a/x', 30], ['a/y', 5], ['ab', 1], ['b', 2]] as const) index.addVersion(key, token(t), record)
    index.addToken(index.prefixDeletes, 'a/', token(20))
    const limits = { ...resolveLimits({}), tombstoneGraceMs: 1_000 }
    const due: Array<[string, string, number]> = [['a/', token(20), 5_000]]
    expect(planPrefixExpiry(index, due, 5_999, limits)).toEqual({ prefixes: [], versions: [] })
    const plan = planPrefixExpiry(index, due, 6_000, limits)
    expect(plan.prefixes).toEqual([compositeKey('a/', token(20))])
    expect(plan.versions.sort()).toEqual([compositeKey('a/x', token(10)), compositeKey('a/y', token(5))].sort())
  })

  it('the plan from the prefixes just added leaves the same prefix deletes as the whole-document plan', () => {
    const seed = testSeed('prefix gc added plan')
    const rng = createRng(seed)
    for (let round = 0; round < 50; round++) {
      const index = newIndex()
      let next = 0
      for (let step = 0; step < 10; step++) {
        const added = new Set<string>()
        for (let i = 0; i < 1 + Math.floor(rng() * 3); i++) {
          const prefix = randomPrefix(rng)
          // Mostly new deletes, sometimes an older one arriving late from a peer.
          index.addToken(index.prefixDeletes, prefix, token(rng() < 0.8 ? next += 10 : Math.floor(rng() * next)))
          added.add(prefix)
        }
        const expected = reference(index)
        expect(planPrefixGc(index, added).sort(), `seed ${seed}, round ${round}, step ${step}`).toEqual(expected)
        remove(index, expected)
      }
    }
  })
})
