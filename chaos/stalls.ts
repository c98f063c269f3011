/**
 * Event-loop stalls per round: how long the harness's and each node's event loop went without
 * running, beyond its timer's interval. A latency sample is timed across the harness, the
 * writer and the receiver, so a stall in any of them lengthens it; these figures tell a slow
 * cluster from a loaded host (2 cores running five nodes and the harness stall for tens of ms).
 *
 * Nodes report through their own /metrics (prom-client's event-loop histogram, which every
 * scrape resets), so this reads nothing the nodes do not publish to any operator.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { ChaosCluster } from './cluster.js'

/** prom-client's default event-loop timer interval, ms: its histogram's values include it. */
const NODE_TIMER_MS = 10
const HARNESS_TIMER_MS = 10
/** A scrape of a node that does not answer in this time counts as no figure (paused, killed). */
const SCRAPE_TIMEOUT_MS = 500

export interface RoundStalls {
  harness: { p99: number, max: number }
  /** Per node: the longest stall, ms; null when it could not be read (down, paused, restarted). */
  nodes: Array<number | null>
}

export interface StallMonitor {
  /** Resets every histogram: the round starts now. */
  start: () => Promise<void>
  /** The stalls since start(). */
  end: () => Promise<RoundStalls>
  stop: () => void
}

/** A histogram value (the timer's interval included), ms, as a stall beyond that interval. */
const beyond = (valueMs: number, timerMs: number): number => Math.max(0, Math.round((valueMs - timerMs) * 10) / 10)

/** The value of `camos_nodejs_eventloop_lag_max_seconds` in a Prometheus text exposition. */
function parseLagMaxSeconds (text: string): number | undefined {
  const m = /^camos_nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)$/m.exec(text)
  const v = m === null ? NaN : Number(m[1])
  return Number.isFinite(v) ? v : undefined
}

export function createStallMonitor (cluster: ChaosCluster): StallMonitor {
  const harness = monitorEventLoopDelay({ resolution: HARNESS_TIMER_MS })
  harness.enable()
  /** Each node's process at start(): one restarted since has no figure for the whole round. */
  const readAt = new Map<number, number | undefined>()

  async function scrape (i: number): Promise<number | undefined> {
    if (cluster.status(i) !== 'up') return undefined
    try {
      const res = await fetch(`http://${cluster.httpAddress(i)}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) })
      if (!res.ok) return undefined
      return parseLagMaxSeconds(await res.text())
    } catch {
      return undefined
    }
  }

  const nodes = (): number[] => Array.from({ length: cluster.size }, (_, i) => i)

  return {
    async start () {
      harness.reset()
      await Promise.all(nodes().map(async i => { readAt.set(i, cluster.pid(i)); await scrape(i) }))
    },
    async end () {
      const stalls: RoundStalls = {
        harness: { p99: beyond(harness.percentile(99) / 1e6, HARNESS_TIMER_MS), max: beyond(harness.max / 1e6, HARNESS_TIMER_MS) },
        nodes: await Promise.all(nodes().map(async i => {
          const pid = cluster.pid(i)
          const max = await scrape(i)
          return max === undefined || pid === undefined || pid !== readAt.get(i) ? null : beyond(max * 1e3, NODE_TIMER_MS)
        }))
      }
      return stalls
    },
    stop () { harness.disable() }
  }
}
