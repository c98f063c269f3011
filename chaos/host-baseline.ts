/**
 * Host baseline of the propagation probe: the same measurement (write on A → visible on B, on
 * the harness's clock) between plain processes that sync a Y.Doc over loopback TCP — bench:sync's
 * baseline peers, one writer and as many readers as the cluster has other nodes; no libp2p, no
 * kernel, no disk. It runs through the same rounds as the probe, half a probe interval after
 * each probe write, so it shares the host's CPUs and scheduler under the run's load but none of
 * the cluster's code or network faults: its latency is what the host alone adds, and the
 * cluster's latency beside it is the ratio to a baseline measured in the same run.
 */
import { startBaselineGroup } from '../scripts/bench/tcp-baseline.js'
import { createArrivals, DEFAULT_PROBE_INTERVAL_MS, type LatencyStats } from './latency.js'

export interface HostBaseline {
  /** Starts writing under this label (a round's fault kind). */
  resume: (label: string) => void
  /** Stops writing, waits up to graceMs for writes in flight, then counts the unseen as missing. */
  pause: (graceMs?: number) => Promise<void>
  stats: () => Record<string, LatencyStats>
  samples: () => Map<string, number[]>
  stop: () => Promise<void>
}

export async function startHostBaseline (readers: number, intervalMs = DEFAULT_PROBE_INTERVAL_MS): Promise<HostBaseline> {
  const arrivals = createArrivals()
  const { writer, stop: stopPeers } = await startBaselineGroup(readers, (r, key) => { arrivals.arrived(r, key) })
  const receivers = Array.from({ length: readers }, (_, r) => r)
  let label: string | undefined
  let offset: NodeJS.Timeout | undefined
  let timer: NodeJS.Timeout | undefined
  let seq = 0

  function write (): void {
    if (label === undefined || !writer.child.connected) return
    const key = `lat-b${seq++}`
    arrivals.expect(key, label, receivers)
    writer.child.send({ op: 'set', key })
  }

  return {
    resume (l) {
      label = l
      if (timer !== undefined || offset !== undefined) return
      offset = setTimeout(() => {
        offset = undefined
        timer = setInterval(write, intervalMs)
        write()
      }, intervalMs / 2)
    },
    async pause (graceMs = 500) {
      clearTimeout(offset)
      clearInterval(timer)
      offset = undefined
      timer = undefined
      label = undefined
      await arrivals.settle(graceMs)
    },
    stats: arrivals.stats,
    samples: arrivals.samples,
    async stop () {
      clearTimeout(offset)
      clearInterval(timer)
      await stopPeers()
    }
  }
}
