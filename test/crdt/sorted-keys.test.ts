/**
 * SortedKeys against a plain sorted Set: random joins, leaves and re-joins of keys (merges and
 * compactions in between) and prefix walks must agree with the reference at every step.
 */
import { describe, expect, it } from 'vitest'
import { SortedKeys } from '../../crdt/sorted-keys.js'
import { createRng, testSeed } from '../helpers/seed.js'

describe('SortedKeys', () => {
  it('walks exactly the keys of its set, in order, through joins, leaves and re-joins', () => {
    const rng = createRng(testSeed('sorted keys'))
    const members = new Set<string>()
    const sorted = new SortedKeys(key => members.has(key))
    const pick = (): string => `k${Math.floor(rng() * 40)}/${Math.floor(rng() * 40)}`
    for (let step = 0; step < 20_000; step++) {
      const key = pick()
      const r = rng()
      if (r < 0.5 && !members.has(key)) {
        members.add(key)
        sorted.add(key)
      } else if (r < 0.9 && members.has(key)) {
        members.delete(key)
        sorted.deleted()
      } else {
        const prefix = key.slice(0, Math.floor(rng() * key.length))
        const expected = [...members].filter(k => k.startsWith(prefix)).sort()
        expect([...sorted.withPrefix(prefix)], `step ${step}, prefix "${prefix}"`).toEqual(expected)
      }
    }
  })
})
