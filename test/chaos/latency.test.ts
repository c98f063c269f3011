/**
 * The probe's bookkeeping: one sample per receiver, the writer's own sight of a write apart,
 * the spread from the writer's sight to each receiver's, and misses that count receivers only.
 */
import { describe, expect, it } from 'vitest'
import { createArrivals, slowestSamples, type SampleLink } from '../../chaos/latency.js'

describe('latency arrivals', () => {
  it('times the writer apart from its receivers, once each, whichever shows the write first', () => {
    const a = createArrivals()
    a.expect('p0', 'clean', [1, 2], 0)
    a.arrived(1, 'p0')
    a.arrived(2, 'p0')
    // Both receivers were quicker than the writer's own event: the write is still followed.
    a.arrived(0, 'p0')
    a.arrived(0, 'p0')
    a.arrived(1, 'p0')
    expect(a.samples().get('clean')).toHaveLength(2)
    expect(a.writerSamples().get('clean')).toHaveLength(1)
    a.arrived(0, 'p0')
    expect(a.writerSamples().get('clean')).toHaveLength(1)
  })

  it('times the spread from the writer\'s event, 0 for a receiver that showed the write first', () => {
    const a = createArrivals()
    a.expect('p0', 'clean', [1, 2, 3], 0)
    a.arrived(1, 'p0')
    expect(a.spreadSamples().size, 'no spread before the writer has shown it').toBe(0)
    a.arrived(0, 'p0')
    const writerAt = performance.now()
    while (performance.now() - writerAt < 2) { /* a measurable gap between the writer and node 2 */ }
    a.arrived(2, 'p0')
    a.arrived(2, 'p0')
    const spread = a.spreadSamples().get('clean') ?? []
    const samples = a.samples().get('clean') ?? []
    expect(spread).toHaveLength(2)
    expect(spread[0], 'node 1 came first').toBe(0)
    expect(spread[1]).toBeGreaterThanOrEqual(2)
    expect(spread[1], 'the spread leaves out the writer\'s turn').toBeLessThan(samples[1])
    a.arrived(3, 'p0')
    expect(a.spreadSamples().get('clean')).toHaveLength(3)
  })

  it('without a writer, a node outside the receivers is no sample', () => {
    const a = createArrivals()
    a.expect('b0', 'clean', [0, 1])
    a.arrived(2, 'b0')
    a.arrived(0, 'b0')
    expect(a.samples().get('clean')).toHaveLength(1)
    expect(a.writerSamples().size).toBe(0)
    expect(a.spreadSamples().size).toBe(0)
  })

  it('settles without waiting for a writer whose own event never came, and counts only unseen receivers as missing', async () => {
    const a = createArrivals()
    a.expect('p0', 'clean', [1], 0)
    a.arrived(1, 'p0')
    a.expect('p1', 'clean', [1, 2], 0)
    a.arrived(0, 'p1')
    a.arrived(2, 'p1')
    // p1 still waits for node 1: the grace ends the wait and node 1 is a miss.
    await a.settle(50)
    expect(a.stats().clean).toMatchObject({ count: 2, missing: 1 })
    // Only a writer is left: a grace far beyond the test's timeout must not be waited out.
    a.expect('p2', 'clean', [1], 0)
    a.arrived(1, 'p2')
    await a.settle(60_000)
    expect(a.stats().clean).toMatchObject({ count: 3, missing: 1 })
  })

  it('names the writer and receiver of every sample, and picks a round\'s slowest by them', () => {
    const a = createArrivals()
    a.expect('p0', 'clean', [1, 2], 0)
    a.arrived(2, 'p0')
    a.arrived(1, 'p0')
    a.expect('b0', 'clean', [3])
    a.arrived(3, 'b0')
    expect(a.links().get('clean')?.map(l => [l.writer, l.receiver])).toEqual([[0, 2], [0, 1], [undefined, 3]])
    const [first, second, third] = a.links().get('clean') ?? []
    expect(first.sentAt).toBe(second.sentAt)
    expect(third.sentAt).toBeGreaterThanOrEqual(first.sentAt)
    const at = (sentAt: number, writer: number, receiver: number): SampleLink => ({ sentAt, writer, receiver })
    expect(slowestSamples([4.04, 601.47, 12, 30], [at(1000, 3, 0), at(1200.4, 3, 1), at(1500, 1, 3), at(3000, 2, 4)], 1000, 2))
      .toEqual([{ ms: 601.5, writer: 3, receiver: 1, atMs: 200 }, { ms: 30, writer: 2, receiver: 4, atMs: 2000 }])
  })
})
