/**
 * Shared benchmark helpers: latency summaries, the readable table and the result file. Every
 * benchmark prints its table and, as its last line, one JSON object with every figure (also
 * written to bench-results/<name>.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'

export interface LatencySummary {
  n: number
  p50_ms: number
  p95_ms: number
  p99_ms: number
  max_ms: number
  mean_ms: number
  ops_per_s: number
}

/** Summarises per-operation latencies (ms) measured over a wall-clock span (ms). */
export function summarize (latenciesMs: number[], wallMs: number): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort()
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  const sum = latenciesMs.reduce((a, b) => a + b, 0)
  return {
    n: sorted.length,
    p50_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    p99_ms: round(at(0.99)),
    max_ms: round(sorted[sorted.length - 1]),
    mean_ms: round(sum / sorted.length),
    ops_per_s: Math.round(sorted.length / (wallMs / 1000))
  }
}

export function round (x: number, digits = 4): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

export function nowMs (): number {
  return Number(process.hrtime.bigint()) / 1e6
}

export interface Samples {
  latencies: number[]
  wallMs: number
}

/** Runs `op` sequentially `n` times after `warmup` unrecorded runs. */
export async function runSequential (n: number, warmup: number, op: (i: number) => Promise<unknown>): Promise<Samples> {
  for (let i = 0; i < warmup; i++) await op(i)
  const latencies = new Array<number>(n)
  const start = nowMs()
  for (let i = 0; i < n; i++) {
    const t = nowMs()
    await op(warmup + i)
    latencies[i] = nowMs() - t
  }
  return { latencies, wallMs: nowMs() - start }
}

/** Runs `op` sequentially `n` times, idling `gapMs` before each call (not recorded). */
export async function runPaced (n: number, gapMs: number, op: (i: number) => Promise<unknown>): Promise<Samples> {
  const latencies = new Array<number>(n)
  const start = nowMs()
  for (let i = 0; i < n; i++) {
    await new Promise(resolve => setTimeout(resolve, gapMs))
    const t = nowMs()
    await op(i)
    latencies[i] = nowMs() - t
  }
  return { latencies, wallMs: nowMs() - start }
}

/** Runs `total` calls with at most `window` in flight. */
export async function runWindowed (total: number, window: number, op: (i: number) => Promise<unknown>): Promise<Samples> {
  const latencies = new Array<number>(total)
  let next = 0
  const start = nowMs()
  async function worker (): Promise<void> {
    while (next < total) {
      const i = next++
      const t = nowMs()
      await op(i)
      latencies[i] = nowMs() - t
    }
  }
  await Promise.all(Array.from({ length: Math.min(window, total) }, worker))
  return { latencies, wallMs: nowMs() - start }
}

/** Summary of several sample sets taken at different times (e.g. interleaved rounds). */
export function summarizeAll (parts: Samples[]): LatencySummary {
  return summarize(parts.flatMap(p => p.latencies), parts.reduce((a, p) => a + p.wallMs, 0))
}

export function printTable (title: string, rows: Array<[string, LatencySummary]>): void {
  console.log(`\n${title}`)
  console.log('| measurement | n | p50 ms | p95 ms | p99 ms | max ms | ops/s |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const [name, s] of rows) {
    console.log(`| ${name} | ${s.n} | ${s.p50_ms} | ${s.p95_ms} | ${s.p99_ms} | ${s.max_ms} | ${s.ops_per_s} |`)
  }
}

export function writeResult (name: string, result: Record<string, unknown>): void {
  mkdirSync('bench-results', { recursive: true })
  const line = JSON.stringify(result)
  writeFileSync(`bench-results/${name}.json`, line + '\n')
  console.log(line)
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks on every architecture it runs. */
const USER_HZ = 100

/** CPU time a process has used so far, all its threads, user + system (Linux /proc), ms. */
export function cpuMs (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1000 / USER_HZ
}

/** Resident set size of a process (Linux /proc), MiB. */
export function rssMb (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return round(kb / 1024, 1)
}
