/**
 * Propagation latency probe: writes a key on one node and times, on the host's single clock,
 * when each other node's Observe stream shows it (write on A → visible on B). Samples are
 * grouped by the fault mix of the round they were written in.
 */
import type { ChaosCluster } from './cluster.js'
import type { ObserveEvent__Output } from '../proto/gen/camos/v1/ObserveEvent.js'

export const LATENCY_NAMESPACE = 'chaos-latency'
/** Time between two probe writes, ms. */
export const DEFAULT_PROBE_INTERVAL_MS = 100

export interface LatencyStats {
  count: number
  /** Probes some node had not seen when the round ended (they count against the round). */
  missing: number
  p50: number
  p95: number
  p99: number
  max: number
}

export interface LatencyProbe {
  /** Starts probing under this label (a round's fault kind). */
  resume: (label: string) => void
  /** Stops probing, waits up to graceMs for probes in flight, then counts the unseen as missing. */
  pause: (graceMs?: number) => Promise<void>
  /** (Re)opens node i's Observe stream, e.g. after a restart. */
  observe: (i: number) => void
  samples: () => Map<string, number[]>
  /** Writer and receiver of each sample, index for index. */
  links: () => Map<string, SampleLink[]>
  /** The writer's own Remember latency per label (separates local write time from propagation). */
  ackStats: () => Record<string, LatencyStats>
  /** From the write to the writer's own Observe event, per label: the writer's turn in a sample. */
  writerStats: () => Record<string, LatencyStats>
  /** From the writer's own Observe event to each other node's, per label: replication alone. */
  spreadStats: () => Record<string, LatencyStats>
  stats: () => Record<string, LatencyStats>
  stop: () => void
}

export function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]
}

/** Percentiles of one list of samples, ms to one decimal. */
export function latencyStats (samples: readonly number[], missing = 0): LatencyStats {
  const s = [...samples].sort((a, b) => a - b)
  const r = (x: number): number => Math.round(x * 10) / 10
  return { count: s.length, missing, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s.at(-1) ?? 0) }
}

/** One of a round's slowest samples: how long, between which nodes, written how far into the round. */
export interface SlowSample {
  ms: number
  writer?: number
  receiver: number
  /** ms from the round's start to the write. */
  atMs: number
}

/** The n longest samples of a round that started at `since` (performance.now), longest first. */
export function slowestSamples (samples: readonly number[], links: readonly SampleLink[], since: number, n = 3): SlowSample[] {
  return samples.map((ms, i) => ({ ms: Math.round(ms * 10) / 10, writer: links[i].writer, receiver: links[i].receiver, atMs: Math.round(links[i].sentAt - since) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
}

function summarize (samples: Map<string, number[]>, missing: Map<string, number>): Record<string, LatencyStats> {
  const out: Record<string, LatencyStats> = {}
  for (const l of new Set([...samples.keys(), ...missing.keys()])) out[l] = latencyStats(samples.get(l) ?? [], missing.get(l) ?? 0)
  return out
}

/** Who wrote and who showed one propagation sample (node indexes; no writer for the host baseline). */
export interface SampleLink {
  writer?: number
  receiver: number
  /** When the write was sent (performance.now). */
  sentAt: number
}

/**
 * Writes waiting to be seen by their receivers, and the samples (one per receiver, from the
 * write to its arrival) and misses they make, grouped by the label each write was made under.
 * Given the writer, its own sight of the write is timed apart (`writerSamples`): how much of a
 * sample the write took before it could spread. From there to each receiver's arrival is the
 * spread (`spreadSamples`), 0 for a receiver whose event reached the harness before the writer's.
 */
export interface Arrivals {
  expect: (key: string, label: string, receivers: number[], writer?: number) => void
  arrived: (node: number, key: string) => void
  /** Drops a write that failed: it has nothing to arrive. */
  forget: (key: string) => void
  /** Waits up to graceMs for the writes still expected, then counts their missing receivers. */
  settle: (graceMs: number) => Promise<void>
  samples: () => Map<string, number[]>
  links: () => Map<string, SampleLink[]>
  writerSamples: () => Map<string, number[]>
  spreadSamples: () => Map<string, number[]>
  stats: () => Record<string, LatencyStats>
}

function add<T> (samples: Map<string, T[]>, label: string, value: T): void {
  const list = samples.get(label) ?? []
  samples.set(label, list)
  list.push(value)
}

export function createArrivals (): Arrivals {
  // `writer` is cleared once the writer has shown the write (at `writerAt`); `early` counts the
  // receivers that showed it before; an entry lasts until nothing is left.
  const pending = new Map<string, { label: string, sentAt: number, waiting: Set<number>, from: number | undefined, writer: number | undefined, writerAt?: number, early: number }>()
  const samples = new Map<string, number[]>()
  const links = new Map<string, SampleLink[]>()
  const writerSamples = new Map<string, number[]>()
  const spreadSamples = new Map<string, number[]>()
  const missing = new Map<string, number>()
  return {
    expect (key, label, receivers, writer) {
      pending.set(key, { label, sentAt: performance.now(), waiting: new Set(receivers), from: writer, writer, early: 0 })
    },
    arrived (node, key) {
      const p = pending.get(key)
      if (p === undefined) return
      const now = performance.now()
      if (node === p.writer) {
        p.writer = undefined
        p.writerAt = now
        add(writerSamples, p.label, now - p.sentAt)
        for (; p.early > 0; p.early--) add(spreadSamples, p.label, 0)
      } else if (p.waiting.delete(node)) {
        add(samples, p.label, now - p.sentAt)
        add(links, p.label, { writer: p.from, receiver: node, sentAt: p.sentAt })
        if (p.writerAt !== undefined) add(spreadSamples, p.label, now - p.writerAt)
        else if (p.writer !== undefined) p.early++
      } else {
        return
      }
      if (p.waiting.size === 0 && p.writer === undefined) pending.delete(key)
    },
    forget (key) {
      pending.delete(key)
    },
    async settle (graceMs) {
      const deadline = Date.now() + graceMs
      // Only receivers are waited for: a writer's own event that never comes is no propagation miss.
      const waiting = (): boolean => { for (const p of pending.values()) if (p.waiting.size > 0) return true; return false }
      while (waiting() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
      for (const p of pending.values()) if (p.waiting.size > 0) missing.set(p.label, (missing.get(p.label) ?? 0) + p.waiting.size)
      pending.clear()
    },
    samples: () => samples,
    links: () => links,
    writerSamples: () => writerSamples,
    spreadSamples: () => spreadSamples,
    stats: () => summarize(samples, missing)
  }
}

export function createLatencyProbe (cluster: ChaosCluster, rng: () => number, intervalMs = DEFAULT_PROBE_INTERVAL_MS): LatencyProbe {
  const arrivals = createArrivals()
  const acks = new Map<string, number[]>()
  const streams = new Map<number, AbortController>()
  let label: string | undefined
  let timer: NodeJS.Timeout | undefined
  let seq = 0

  function observe (i: number): void {
    streams.get(i)?.abort()
    const controller = new AbortController()
    streams.set(i, controller)
    let client
    try { client = cluster.probeClient(i) } catch { return }
    client.stream('Observe', { namespace: LATENCY_NAMESPACE, prefixAll: true, follow: true, changesOnly: true }, (ev: ObserveEvent__Output) => {
      if (ev.kind === 'KIND_PUT' && ev.entry != null) arrivals.arrived(i, ev.entry.key)
    }, { signal: controller.signal }).catch(() => {})
  }

  function probe (): void {
    const up = Array.from({ length: cluster.size }, (_, i) => i).filter(i => cluster.status(i) === 'up')
    if (label === undefined || up.length === 0) return
    const writer = up[Math.floor(rng() * up.length)]
    const key = `p${seq++}`
    const others = Array.from({ length: cluster.size }, (_, i) => i).filter(i => i !== writer)
    arrivals.expect(key, label, others, writer)
    const sentAt = performance.now()
    const probeLabel = label
    cluster.probeClient(writer).call('Remember', { namespace: LATENCY_NAMESPACE, key, value: Buffer.from(key) }).then(() => {
      add(acks, probeLabel, performance.now() - sentAt)
    }, () => { arrivals.forget(key) })
  }

  return {
    resume (l) {
      label = l
      timer ??= setInterval(probe, intervalMs)
    },
    async pause (graceMs = 500) {
      clearInterval(timer)
      timer = undefined
      label = undefined
      await arrivals.settle(graceMs)
    },
    observe,
    samples: arrivals.samples,
    links: arrivals.links,
    stats: arrivals.stats,
    ackStats: () => summarize(acks, new Map()),
    writerStats: () => summarize(arrivals.writerSamples(), new Map()),
    spreadStats: () => summarize(arrivals.spreadSamples(), new Map()),
    stop () {
      clearInterval(timer)
      for (const c of streams.values()) c.abort()
      streams.clear()
    }
  }
}
