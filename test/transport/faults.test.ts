import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createFaultController, createFaultyChannel, createSeededRng, frameFate, parseFaultRules, type LinkFaults
} from '../../transport/faults.js'
import { ConfigError, resolveConfig } from '../../node/config.js'
import { createChannelPair } from '../helpers/memory-channel.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'
import { testSeed } from '../helpers/seed.js'
import { waitFor } from '../helpers/wait-for.js'

const frame = (i: number): Uint8Array => new Uint8Array([i & 0xff, i >> 8])
const ids = (frames: Uint8Array[]): number[] => frames.map(f => f[0] | (f[1] << 8))

function wrapped (faults: LinkFaults, seed: number, highWaterBytes?: number): { sent: Uint8Array[], channel: ReturnType<typeof createFaultyChannel> } {
  const pair = createChannelPair('A', 'B', { highWaterMark: 1_000_000 })
  const channel = createFaultyChannel(pair.a, { rng: createSeededRng(seed), faults: () => faults, highWaterBytes })
  return { sent: pair.a.sent, channel }
}

describe('fault layer', () => {
  afterEach(() => { vi.useRealTimers() })

  it('draws the same schedule from the same seed and a different one from another seed', () => {
    const seed = testSeed('faults schedule')
    const faults = { loss: 0.3, duplicate: 0.2, reorder: 0.1, delayMs: 20, jitterMs: 10 }
    const draw = (s: number): unknown[] => { const rng = createSeededRng(s); return Array.from({ length: 500 }, () => frameFate(rng, faults)) }
    expect(draw(seed)).toEqual(draw(seed))
    expect(draw(seed)).not.toEqual(draw(seed + 1))
    const fates = Array.from({ length: 4000 }, ((rng) => () => frameFate(rng, faults))(createSeededRng(seed)))
    const lost = fates.filter(f => f.drop).length / fates.length
    expect(lost).toBeGreaterThan(0.25)
    expect(lost).toBeLessThan(0.35)
    for (const f of fates) {
      expect(f.delayMs).toBeGreaterThanOrEqual(10)
      expect(f.delayMs).toBeLessThanOrEqual(30)
    }
  })

  it('passes frames through unchanged and synchronously without rules', () => {
    const { sent, channel } = wrapped({}, 1)
    for (let i = 0; i < 10; i++) expect(channel.send(frame(i))).toBe(true)
    expect(ids(sent)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('delivers exactly what the seeded schedule says (loss and duplication)', () => {
    const seed = testSeed('faults delivery')
    const faults = { loss: 0.3, duplicate: 0.25 }
    const { sent, channel } = wrapped(faults, seed)
    const rng = createSeededRng(seed)
    const expected: number[] = []
    for (let i = 0; i < 300; i++) {
      const fate = frameFate(rng, faults)
      if (!fate.drop) for (let c = 0; c < fate.copies; c++) expected.push(i)
      channel.send(frame(i))
    }
    expect(ids(sent)).toEqual(expected)
    expect(expected.length).toBeLessThan(300 * 1.1)
  })

  it('reorders: a held frame goes out right after the next one', () => {
    const { sent, channel } = wrapped({ reorder: 1 }, 7)
    for (let i = 0; i < 6; i++) channel.send(frame(i))
    expect(ids(sent)).toEqual([1, 0, 3, 2, 5, 4])
  })

  it('releases a held frame on its own when no later frame comes', () => {
    vi.useFakeTimers()
    const { sent, channel } = wrapped({ reorder: 1 }, 7)
    channel.send(frame(0))
    expect(sent).toHaveLength(0)
    vi.advanceTimersByTime(100)
    expect(ids(sent)).toEqual([0])
  })

  it('delays frames and keeps their order under jitter', () => {
    vi.useFakeTimers()
    const { sent, channel } = wrapped({ delayMs: 50, jitterMs: 40 }, testSeed('faults jitter'))
    for (let i = 0; i < 50; i++) channel.send(frame(i))
    vi.advanceTimersByTime(9)
    expect(sent).toHaveLength(0)
    vi.advanceTimersByTime(100)
    expect(ids(sent)).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })

  it('keeps delaying by the injected latency when the wall clock jumps back (clock-skew faults)', () => {
    vi.useFakeTimers()
    const { sent, channel } = wrapped({ delayMs: 20 }, testSeed('faults clock jump'))
    vi.setSystemTime(Date.now() + 81_000)
    channel.send(frame(1))
    vi.setSystemTime(Date.now() - 81_000)
    channel.send(frame(2))
    vi.advanceTimersByTime(25)
    expect(ids(sent)).toEqual([1, 2])
  })

  it('reports backpressure while delayed bytes exceed the high-water mark and drains after', async () => {
    vi.useFakeTimers()
    const { sent, channel } = wrapped({ delayMs: 10 }, 3, 4)
    expect(channel.send(frame(0))).toBe(true)
    expect(channel.send(frame(1))).toBe(false)
    let drained = false
    const draining = channel.drain().then(() => { drained = true })
    await Promise.resolve()
    expect(drained).toBe(false)
    vi.advanceTimersByTime(10)
    await draining
    expect(ids(sent)).toEqual([0, 1])
  })

  it('drops queued frames when closed', () => {
    vi.useFakeTimers()
    const { sent, channel } = wrapped({ delayMs: 10 }, 3)
    channel.send(frame(0))
    channel.close('test')
    vi.advanceTimersByTime(50)
    expect(sent).toHaveLength(0)
  })

  it('rejects invalid rules', () => {
    expect(() => parseFaultRules('{"links":{"*":{"loss":2}}}')).toThrow(/probability/)
    expect(() => parseFaultRules('{"links":{"*":{"delayMs":-1}}}')).toThrow(/≥ 0/)
    expect(() => parseFaultRules('{"gapRepair":"no"}')).toThrow(/gapRepair must be true or false/)
  })
})

describe('fault controller', () => {
  it('applies rules changed at runtime, per peer with a "*" fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camos-faults-'))
    const path = join(dir, 'rules.json')
    const write = (rules: unknown): void => { writeFileSync(path + '.tmp', JSON.stringify(rules)); renameSync(path + '.tmp', path) }
    write({ generation: 1, seed: 5, antiEntropyMs: 1234, gapRepair: false, links: {} })
    const controller = createFaultController({ log: createCaptureLogger() }, { path, pollMs: 10 })
    await controller.start()
    try {
      expect(controller.antiEntropyMs).toBe(1234)
      expect(controller.gapRepair).toBe(false)
      const toB = createChannelPair('A', 'B', { highWaterMark: 1_000_000 })
      const toC = createChannelPair('A', 'C', { highWaterMark: 1_000_000 })
      const b = controller.wrap(toB.a)
      const c = controller.wrap(toC.a)
      b.send(frame(1))
      expect(toB.a.sent).toHaveLength(1)
      write({ generation: 2, seed: 5, links: { '*': { loss: 1 }, C: {} } })
      await waitFor(() => controller.rules().generation === 2, { what: 'rules reloaded' })
      b.send(frame(2))
      c.send(frame(2))
      expect(toB.a.sent).toHaveLength(1)
      expect(toC.a.sent).toHaveLength(1)
    } finally {
      await controller.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('is refused by the node configuration without CAMOS_CHAOS=1', () => {
    expect(() => resolveConfig({ flags: { 'chaos-control': '/tmp/x.json' }, env: {} })).toThrow(ConfigError)
    expect(() => resolveConfig({ flags: {}, env: { CAMOS_CHAOS_CONTROL: '/tmp/x.json' } })).toThrow(/CAMOS_CHAOS=1/)
    expect(resolveConfig({ flags: { 'chaos-control': '/tmp/x.json' }, env: { CAMOS_CHAOS: '1' } }).chaosControl).toBe('/tmp/x.json')
    expect(resolveConfig({ flags: {}, env: {} }).chaosControl).toBeUndefined()
  })
})
