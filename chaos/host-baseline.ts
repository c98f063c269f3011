/**
 * Host baseline of the propagation probe: the same measurement (write on A → visible on B, on
 * the harness's clock) between plain processes that sync a Y.Doc over loopback TCP — bench:sync's
 * baseline peers, one writer and as many readers as the cluster has other nodes; no libp2p, no
 * kernel, no disk. It runs through the same rounds as the probe, half a probe interval after
 * each probe write, so it shares the host's CPUs and scheduler under the run's load but none of
 * the cluster's code or network faults: its latency is what the host alone adds, and the
 * cluster's latency beside it is the ratio to a baseline measured in the same run.
 */
import { startBaselinePeer, stopBaselinePeer, type BaselinePeer } from '../scripts/bench/tcp-baseline.js'
import { createArrivals, DEFAULT_PROBE_INTERVAL_MS, type LatencyStats } from './latency.js'

/** How long the baseline peers may take to start and connect, ms. */
const START_TIMEOUT_MS = 20_000

export interface HostBaseline {
  /** Starts writing under this label (a round's fault kind). */
  resume: (label: string) => void
  /** Stops writing, waits up to graceMs for writes in flight, then counts the unseen as missing. */
  pause: (graceMs?: number) => Promise<void>
  stats: () => Record<string, LatencyStats>
  samples: () => Map<string, number[]>
  stop: () => Promise<void>
}

async function withTimeout<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`host baseline: ${what} within ${ms} ms`)) }, ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export async function startHostBaseline (readers: number, intervalMs = DEFAULT_PROBE_INTERVAL_MS): Promise<HostBaseline> {
  const arrivals = createArrivals()
  const peers: BaselinePeer[] = []
  let label: string | undefined
  let offset: NodeJS.Timeout | undefined
  let timer: NodeJS.Timeout | undefined
  let seq = 0

  const stop = async (): Promise<void> => {
    clearTimeout(offset)
    clearInterval(timer)
    await Promise.all(peers.map(stopBaselinePeer))
  }

  let writer: BaselinePeer
  try {
    for (let r = 0; r < readers; r++) peers.push(startBaselinePeer('reader', key => { arrivals.arrived(r, key) }))
    const ports = await withTimeout(Promise.all(peers.map(async p => (await p.next('listening')).port ?? 0)), START_TIMEOUT_MS, 'readers not listening')
    writer = startBaselinePeer('writer', () => {})
    peers.push(writer)
    await withTimeout(writer.next('ready'), START_TIMEOUT_MS, 'writer not ready')
    const connected = writer.next('connected')
    writer.child.send({ op: 'connect', ports })
    await withTimeout(connected, START_TIMEOUT_MS, 'writer not connected to the readers')
  } catch (err) {
    await stop()
    throw err
  }

  function write (): void {
    if (label === undefined || !writer.child.connected) return
    const key = `lat-b${seq++}`
    arrivals.expect(key, label, Array.from({ length: readers }, (_, r) => r))
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
    stop
  }
}
