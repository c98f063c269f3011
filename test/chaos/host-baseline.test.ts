/**
 * The chaos run's host baseline on real processes: plain Yjs-over-TCP peers, each write timed
 * until every reader has it, grouped by the label it was written under.
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { startHostBaseline } from '../../chaos/host-baseline.js'
import { waitFor } from '../helpers/wait-for.js'

/** This process's baseline peer processes still running. */
function peerProcesses (): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'yjs-tcp-peer'], { encoding: 'utf8' }).trim().split('\n').filter(l => l !== '')
  } catch {
    return []
  }
}

describe('host baseline', () => {
  it('times each write until every reader has it, under the label it was written in, and stops its processes', async () => {
    const baseline = await startHostBaseline(3, 20)
    try {
      expect(peerProcesses()).toHaveLength(4)
      baseline.resume('clean')
      await waitFor(() => (baseline.samples().get('clean')?.length ?? 0) >= 15, { what: '5 writes seen by the 3 readers' })
      await baseline.pause()
      baseline.resume('latency')
      await waitFor(() => (baseline.samples().get('latency')?.length ?? 0) >= 3, { what: 'a write under the second label' })
      await baseline.pause()
      const stats = baseline.stats()
      for (const label of ['clean', 'latency']) {
        // One sample per reader per write; a write unseen at pause counts once per reader that missed it.
        expect((stats[label].count + stats[label].missing) % 3, label).toBe(0)
        expect(stats[label].p50, label).toBeGreaterThan(0)
        expect(stats[label].max, label).toBeGreaterThanOrEqual(stats[label].p99)
      }
    } finally {
      await baseline.stop()
    }
    expect(peerProcesses()).toEqual([])
  })
})
