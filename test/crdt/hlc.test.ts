import { describe, expect, it } from 'vitest'
import {
  compareTimestamps, compareTokens, createHlc, formatToken, HlcFormatError, MAX_LOGICAL, parseToken, successor,
  type HlcTimestamp
} from '../../crdt/hlc.js'
import { createRng, testSeed } from '../helpers/seed.js'

function manualClock (start: number): { now: () => number, set: (ms: number) => void } {
  let t = start
  return { now: () => t, set: ms => { t = ms } }
}

describe('hlc', () => {
  it('is strictly monotonic even when the wall clock stands still or goes back', () => {
    const clock = manualClock(1_000)
    const hlc = createHlc({ now: clock.now }, { nodeId: 'a' })
    const seen: string[] = []
    for (let i = 0; i < 5; i++) seen.push(hlc.nowToken())
    clock.set(500)
    for (let i = 0; i < 5; i++) seen.push(hlc.nowToken())
    clock.set(2_000)
    seen.push(hlc.nowToken())
    for (let i = 1; i < seen.length; i++) expect(seen[i] > seen[i - 1]).toBe(true)
    expect(parseToken(seen[9])).toEqual({ physicalMs: 1_000, logical: 9, nodeId: 'a' })
    expect(parseToken(seen[10])).toEqual({ physicalMs: 2_000, logical: 0, nodeId: 'a' })
  })

  it('moves physical time by 1 ms when the logical counter would overflow', () => {
    const hlc = createHlc({ now: () => 7 }, { nodeId: 'a' })
    let last = hlc.now()
    for (let i = 0; i < MAX_LOGICAL + 1; i++) last = hlc.now()
    expect(last).toEqual({ physicalMs: 8, logical: 0, nodeId: 'a' })
  })

  it('observe() moves the clock past a remote reading within the drift bound', () => {
    const hlc = createHlc({ now: () => 1_000 }, { nodeId: 'a', maxDriftMs: 100 })
    expect(hlc.observe({ physicalMs: 1_050, logical: 3, nodeId: 'b' })).toBe(true)
    const next = hlc.now()
    expect(compareTimestamps(next, { physicalMs: 1_050, logical: 3, nodeId: 'b' })).toBe(1)
    expect(next.physicalMs).toBe(1_050)
    expect(hlc.physicalNow()).toBe(1_050)
  })

  it('rejects a remote reading further ahead than maxDriftMs: the clock and TTL time stay put', () => {
    const hlc = createHlc({ now: () => 1_000 }, { nodeId: 'a', maxDriftMs: 100 })
    expect(hlc.observe({ physicalMs: 1_101, logical: 0, nodeId: 'fast' })).toBe(false)
    expect(hlc.rejectedCount()).toBe(1)
    expect(hlc.physicalNow()).toBe(1_000)
    expect(hlc.now().physicalMs).toBe(1_000)
    expect(hlc.observe({ physicalMs: 1_100, logical: 0, nodeId: 'ok' })).toBe(true)
  })

  it('token format round-trips and rejects malformed tokens', () => {
    const ts: HlcTimestamp = { physicalMs: 0x18f_aabb_ccdd, logical: 0x2a, nodeId: '12D3KooWabc' }
    const token = formatToken(ts)
    expect(token).toBe('018faabbccdd.002a.12D3KooWabc')
    expect(parseToken(token)).toEqual(ts)
    for (const bad of ['', '018faabbccdd.002a.', '018FAABBCCDD.002a.n', '18faabbccdd.002a.n', '018faabbccdd.2a.n', '018faabbccdd.002a.n\u0000x', 'x.y.z']) {
      expect(() => parseToken(bad), bad).toThrow(HlcFormatError)
    }
    expect(() => formatToken({ physicalMs: -1, logical: 0, nodeId: 'a' })).toThrow(HlcFormatError)
    expect(() => formatToken({ physicalMs: 1, logical: MAX_LOGICAL + 1, nodeId: 'a' })).toThrow(HlcFormatError)
    expect(() => formatToken({ physicalMs: 1, logical: 0, nodeId: 'a b' })).toThrow(HlcFormatError)
    expect(() => createHlc({}, { nodeId: '' })).toThrow(HlcFormatError)
  })

  it('string order of tokens equals HLC order (seeded)', () => {
    const rng = createRng(testSeed('hlc token order'))
    const nodes = ['a', 'b', 'node-1', 'node-10', 'Z']
    const stamps: HlcTimestamp[] = []
    for (let i = 0; i < 500; i++) {
      stamps.push({
        physicalMs: Math.floor(rng() * 4) * 0x1000 + Math.floor(rng() * 3),
        logical: Math.floor(rng() * 3) * 0x100 + Math.floor(rng() * 2),
        nodeId: nodes[Math.floor(rng() * nodes.length)]
      })
    }
    const byHlc = [...stamps].sort(compareTimestamps).map(formatToken)
    const byString = stamps.map(formatToken).sort(compareTokens)
    expect(byString).toEqual(byHlc)
  })

  it('successor() is the next token of a node after a given one', () => {
    const base = { physicalMs: 10, logical: 5, nodeId: 'm' }
    expect(successor(base, 'z')).toEqual({ physicalMs: 10, logical: 5, nodeId: 'z' })
    expect(successor(base, 'a')).toEqual({ physicalMs: 10, logical: 6, nodeId: 'a' })
    expect(successor({ ...base, logical: MAX_LOGICAL }, 'a')).toEqual({ physicalMs: 11, logical: 0, nodeId: 'a' })
    for (const n of ['a', 'm', 'z']) expect(formatToken(successor(base, n)) > formatToken(base)).toBe(true)
  })
})
