/**
 * Event-loop stalls per round: how long the harness's and each node's event loop went without
 * running, beyond its timer's interval. A latency sample is timed across the harness, the
 * writer and the receiver, so a stall in any of them lengthens it; these figures tell a slow
 * cluster from a loaded host (2 cores running five nodes and the harness stall for tens of ms).
 *
 * Nodes report through their own /metrics (prom-client's event-loop histogram, which every
 * scrape resets), so this reads nothing the nodes do not publish to any operator.
 *
 * The host's side, on Linux: how busy its CPUs were (/proc/stat) and for how much of the round
 * some runnable task waited for a CPU (/proc/pressure/cpu, PSI): an event loop also stalls
 * while its process waits for a CPU, not only while it is busy.
 */
import { readFileSync } from 'node:fs'
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
  /** The host during the round; absent where /proc/stat or PSI cannot be read. */
  host?: HostCpu
}

export interface HostCpu {
  /** Share of CPU time not idle (iowait counts as idle), %. */
  busyPct: number
  /** Share of CPU time the hypervisor ran something else instead (steal), %. */
  stealPct: number
  /** Share of wall time in which some runnable task waited for a CPU (PSI "some"), %; null without PSI. */
  waitingPct: number | null
}

export interface HostCpuReading { at: number, busy: number, steal: number, total: number, waitingUs: number | undefined }

/** The aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal … (jiffies). */
export function parseProcStat (text: string): { busy: number, steal: number, total: number } | undefined {
  const m = /^cpu\s+(.*)$/m.exec(text)
  if (m === null) return undefined
  const [user, nice, system, idle, iowait, irq, softirq, steal] = m[1].trim().split(/\s+/).map(Number)
  if (![user, nice, system, idle, iowait, irq, softirq, steal].every(Number.isFinite)) return undefined
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal }
}

/** The `some … total=<µs>` figure of /proc/pressure/cpu. */
export function parseCpuPressure (text: string): number | undefined {
  const m = /^some .*\btotal=(\d+)/m.exec(text)
  return m === null ? undefined : Number(m[1])
}

function readHostCpu (): HostCpuReading | undefined {
  let stat
  try { stat = parseProcStat(readFileSync('/proc/stat', 'utf8')) } catch { return undefined }
  if (stat === undefined) return undefined
  let waitingUs: number | undefined
  try { waitingUs = parseCpuPressure(readFileSync('/proc/pressure/cpu', 'utf8')) } catch {}
  return { at: performance.now(), ...stat, waitingUs }
}

export function hostCpuBetween (a: HostCpuReading, b: HostCpuReading): HostCpu | undefined {
  const total = b.total - a.total
  const wallUs = (b.at - a.at) * 1000
  if (total <= 0 || wallUs <= 0) return undefined
  const pct = (x: number): number => Math.round(x * 1000) / 10
  return {
    busyPct: pct((b.busy - a.busy) / total),
    stealPct: pct((b.steal - a.steal) / total),
    waitingPct: a.waitingUs === undefined || b.waitingUs === undefined ? null : pct(Math.min(1, (b.waitingUs - a.waitingUs) / wallUs))
  }
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
  let hostAtStart: HostCpuReading | undefined

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
      hostAtStart = readHostCpu()
    },
    async end () {
      const hostAtEnd = readHostCpu()
      const host = hostAtStart === undefined || hostAtEnd === undefined ? undefined : hostCpuBetween(hostAtStart, hostAtEnd)
      const stalls: RoundStalls = {
        harness: { p99: beyond(harness.percentile(99) / 1e6, HARNESS_TIMER_MS), max: beyond(harness.max / 1e6, HARNESS_TIMER_MS) },
        nodes: await Promise.all(nodes().map(async i => {
          const pid = cluster.pid(i)
          const max = await scrape(i)
          return max === undefined || pid === undefined || pid !== readAt.get(i) ? null : beyond(max * 1e3, NODE_TIMER_MS)
        })),
        ...(host === undefined ? {} : { host })
      }
      return stalls
    },
    stop () { harness.disable() }
  }
}
