/**
 * The chaos harness itself: the schedule replays from its seed, a short smoke run over real
 * node processes passes every checker and leaves nothing behind, and a deliberately broken
 * build (anti-entropy disabled, frames lost) makes it fail — a suite that cannot fail proves
 * nothing. Timing targets are not asserted here; they are in the run's report.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runChaos } from '../../chaos/runner.js'
import { createCleanupRegistry } from '../../chaos/cleanup.js'
import { createChaosCluster, FAKETIME_LIB, faketimeObjects } from '../../chaos/cluster.js'
import { healsByKind, histogramHtml, HOST_BASELINE_NOTE, LINK_DOWN_NOTE, seedsSummaryMarkdown, summaryMarkdown, targetResults } from '../../chaos/report.js'
import type { RoundResult, RunResult } from '../../chaos/runner.js'
import type { LatencyStats } from '../../chaos/latency.js'
import { hostCpuBetween, parseCpuPressure, parseProcStat } from '../../chaos/stalls.js'
import { buildSchedule, describeSchedule, narrowProfile, parseKinds, PARTITION_MIN_DWELL_MS, PROFILES, replayCommand, runSeeds } from '../../chaos/schedule.js'
import { DEFAULT_DOWN_AFTER_MS } from '../../transport/membership.js'
import { NETNS_PREFIX, netnsUnavailable } from '../../chaos/net.js'
import { packageRoot } from '../../chaos/node-process.js'
import { testSeed } from '../helpers/seed.js'
import { waitFor } from '../helpers/wait-for.js'

const lines: string[] = []
const log = (line: string): void => { lines.push(line) }

/** Rows of the markdown tables whose cell count differs from their header's. */
function malformedTableRows (markdown: string): string[] {
  const cells = (row: string): number => row.split(/(?<!\\)\|/).length
  const bad: string[] = []
  let header: string | undefined
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) { header = undefined; continue }
    header ??= line
    if (cells(line) !== cells(header)) bad.push(line)
  }
  return bad
}

/** This process's namespaces, and its veths and bridges (named c<pid>…), still on the machine. */
function leftovers (): string[] {
  if (process.getuid?.() !== 0) return []
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter(l => l.startsWith(`${NETNS_PREFIX}${process.pid}-`))
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').map(l => l.split(': ')[1]?.split('@')[0] ?? '').filter(name => new RegExp(`^c${process.pid}[a-z]`).test(name))
  return [...namespaces, ...links]
}

/** libfaketime's semaphores and shared memory objects in /dev/shm (see faketimeObjects). */
function faketimeFiles (): string[] {
  return existsSync('/dev/shm') ? readdirSync('/dev/shm').filter(f => f.includes('faketime_')) : []
}

describe('chaos schedule', () => {
  it('is the same for the same seed and covers every fault kind', () => {
    const seed = testSeed('chaos schedule')
    for (const profile of Object.values(PROFILES)) {
      expect(buildSchedule(profile, seed)).toEqual(buildSchedule(profile, seed))
      expect(describeSchedule(profile, seed, buildSchedule(profile, seed))).toBe(describeSchedule(profile, seed, buildSchedule(profile, seed)))
      const kinds = new Set(buildSchedule(profile, seed).map(r => r.fault.kind))
      expect([...kinds].sort()).toEqual([...new Set(profile.kinds)].sort())
    }
    expect(buildSchedule(PROFILES.ci, seed)).not.toEqual(buildSchedule(PROFILES.ci, seed + 1))
  })

  it('holds partitions past the time members take to go down, in every profile', () => {
    const seed = testSeed('chaos partition dwell')
    for (const profile of Object.values(PROFILES)) {
      for (const r of buildSchedule(profile, seed)) {
        if (r.fault.kind === 'partition') expect(r.dwellMs).toBeGreaterThan(DEFAULT_DOWN_AFTER_MS)
        else expect(r.dwellMs).toBe(profile.dwellMs)
      }
    }
    const rounds = buildSchedule(narrowProfile(PROFILES.ci, { kinds: ['partition', 'clean'], rounds: 2 }), seed)
    const text = describeSchedule(PROFILES.ci, seed, rounds)
    expect(text).toContain(`(iptables), for ${PARTITION_MIN_DWELL_MS} ms`)
    expect(text).toMatch(/clean \(no fault: baseline propagation\)$/m)
  })

  it('narrows to chosen fault kinds and rounds, and says how to replay that', () => {
    const seed = testSeed('chaos narrowed schedule')
    const over = { kinds: parseKinds('link-down,lossy'), rounds: 7 }
    const rounds = buildSchedule(narrowProfile(PROFILES.ci, over), seed)
    expect(rounds).toHaveLength(7)
    expect(new Set(rounds.map(r => r.fault.kind))).toEqual(new Set(['link-down', 'lossy']))
    expect(replayCommand('ci', seed, over)).toBe(`npm run chaos -- --seed ${seed} --profile ci --kinds link-down,lossy --rounds 7`)
    const quiet = { ...over, clients: 0 }
    expect(narrowProfile(PROFILES.ci, quiet).clients).toBe(0)
    expect(buildSchedule(narrowProfile(PROFILES.ci, quiet), seed)).toEqual(rounds)
    expect(replayCommand('ci', seed, quiet)).toBe(`npm run chaos -- --seed ${seed} --profile ci --kinds link-down,lossy --rounds 7 --clients 0`)
    expect(() => parseKinds('link-down,flood')).toThrow(/unknown fault kind "flood".*the kinds are clean/)
    expect(() => parseKinds(' , ')).toThrow(/no fault kind given/)
  })

  it('covers several seeds in the long profile, each printed with the command that replays it alone', () => {
    const seed = testSeed('chaos seeds')
    expect(runSeeds(PROFILES.long, seed)).toEqual([seed, seed + 1, seed + 2])
    expect(runSeeds(narrowProfile(PROFILES.long, { seeds: 1 }), seed)).toEqual([seed])
    expect(runSeeds(PROFILES.ci, seed)).toEqual([seed])
    // Over 30 minutes of rounds in all.
    const long = PROFILES.long
    expect(runSeeds(long, seed).reduce((ms, s) => ms + buildSchedule(long, s).reduce((t, r) => t + r.dwellMs, 0), 0)).toBeGreaterThanOrEqual(30 * 60_000)
    const cli = (...args: string[]): string => execFileSync(process.execPath, [join(packageRoot(), 'dist', 'chaos', 'cli.js'), ...args], { encoding: 'utf8' })
    const printed = cli('--schedule-only', '--profile', 'long', '--seed', String(seed))
    expect(printed.match(/^replay: .*$/gm)).toEqual([seed, seed + 1, seed + 2].map(s => `replay: npm run chaos -- --seed ${s} --profile long --seeds 1`))
    expect(printed).toContain(describeSchedule(long, seed + 2, buildSchedule(long, seed + 2), replayCommand('long', seed + 2, { seeds: 1 })))
    expect(cli('--schedule-only', '--profile', 'ci', '--seed', String(seed), '--seeds', '2').match(/^replay: .*$/gm)).toHaveLength(2)
    expect(() => cli('--schedule-only', '--seeds', '0')).toThrow(/--seeds must be a positive integer/)
    // --help names every option it parses, and each profile as it is defined.
    const help = cli('--help')
    for (const option of ['--seed', '--profile', '--kinds', '--rounds', '--clients', '--seeds', '--out', '--schedule-only', '--cleanup-only', '--no-netns', '--disable-anti-entropy', '--strict-targets']) {
      expect(help).toMatch(new RegExp(`^  ${option} +\\S`, 'm'))
    }
    expect(help).toContain(`long: ${long.nodes} nodes, ${long.rounds} rounds of ${long.dwellMs / 1000} s, ${long.clients} workload clients, ${long.seeds} seeds`)
  })
})

describe('host CPU figures', () => {
  it('reads busy and steal jiffies from /proc/stat and the waiting time from PSI', () => {
    const stat = 'cpu  100 5 40 800 20 3 2 30 0 0\ncpu0 50 2 20 400 10 1 1 15 0 0\n'
    expect(parseProcStat(stat)).toEqual({ busy: 150, steal: 30, total: 1000 })
    expect(parseProcStat('intr 1 2 3')).toBeUndefined()
    expect(parseCpuPressure('some avg10=34.62 avg60=25.71 avg300=33.16 total=569379606\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n')).toBe(569379606)
    expect(parseCpuPressure('')).toBeUndefined()
  })

  it('turns two readings into shares of the round', () => {
    const a = { at: 1_000, busy: 100, steal: 10, total: 1_000, waitingUs: 5_000_000 }
    // 2 s later: 400 of 1,000 jiffies busy, 50 stolen, 600 ms of waiting for a CPU.
    const b = { at: 3_000, busy: 500, steal: 60, total: 2_000, waitingUs: 5_600_000 }
    expect(hostCpuBetween(a, b)).toEqual({ busyPct: 40, stealPct: 5, waitingPct: 30 })
    expect(hostCpuBetween(a, { ...b, waitingUs: undefined })).toEqual({ busyPct: 40, stealPct: 5, waitingPct: null })
    expect(hostCpuBetween(a, a)).toBeUndefined()
  })
})

describe('chaos report', () => {
  const round = (index: number, kind: RoundResult['kind'], convergeMs: number | undefined, skipped?: string): RoundResult =>
    ({ index, kind, fault: kind, convergeMs, skipped, divergent: convergeMs === undefined ? 1 : 0 })
  /** A run's result holding only these rounds, with nothing else to report. */
  const runOf = (rounds: RoundResult[]): RunResult => ({
    profile: 'ci', seed: 1, replay: 'npm run chaos -- --seed 1 --profile ci', nodes: 5, mode: 'netns', skipped: [], schedule: [],
    startedAt: '2026-12-06T00:00:00.000Z', durationMs: 1_000, rounds, convergence: { heals: 0, converged: 0, p50: 0, p99: 0, max: 0 },
    latency: {}, writeLatency: {}, writerLatency: {}, spreadLatency: {}, hostBaseline: {}, host: { cpus: 2, loadStart: [0, 0, 0], loadEnd: [0, 0, 0] }, latencySamples: {}, hostBaselineSamples: {}, checks: [],
    ops: {}, quorum: 'no QUORUM writes', kills: { killed: 0, rejoined: 0 }, crashes: [], cleanupFailures: [], ok: true
  })

  it('sums up a run over several seeds a line each, an aborted one with its replay', () => {
    const stats = (p99: number): LatencyStats => ({ count: 100, missing: 0, p50: 5, p95: p99, p99, max: p99 })
    const passed = { ...runOf([]), seed: 7, convergence: { heals: 30, converged: 30, p50: 0, p99: 696, max: 696 }, latency: { clean: stats(20.2), latency: stats(67) } }
    const slow = { ...passed, seed: 8, ok: false, convergence: { ...passed.convergence, p99: 1_100 }, latency: { clean: stats(36.2) } }
    const md = seedsSummaryMarkdown('long', [
      { seed: 7, result: passed, report: 'chaos-results/long-7.md' },
      { seed: 8, result: slow, report: 'chaos-results/long-8.md' },
      { seed: 9, aborted: 'node 3 | never came up', replay: 'npm run chaos -- --seed 9 --profile long --seeds 1' }
    ])
    expect(md).toMatch(/^# Chaos profile long: 3 seeds, correctness FAIL \(2 failed\)$/m)
    expect(md).toContain('| 7 | PASS | 696 PASS | 20.2 PASS | 67 PASS | chaos-results/long-7.md |')
    expect(md).toContain('| 8 | FAIL | 1100 FAIL | 36.2 FAIL | - | chaos-results/long-8.md |')
    expect(md).toContain('| 9 | ABORTED: node 3 / never came up | - | - | - | replay: `npm run chaos -- --seed 9 --profile long --seeds 1` |')
    expect(malformedTableRows(md)).toEqual([])
  })

  it('sums up heal → converged per fault kind, slowest first, counting heals that never converged', () => {
    const rounds = [round(0, 'link-down', 969), round(1, 'clean', 0), round(2, 'link-down', 412), round(3, 'kill', 300),
      round(4, 'kill', undefined), round(5, 'link-down', 580), round(6, 'partition', undefined, 'needs root')]
    expect(healsByKind(runOf(rounds))).toEqual([
      { kind: 'link-down', heals: 3, converged: 3, p50: 580, max: 969 },
      { kind: 'kill', heals: 2, converged: 1, p50: 300, max: 300 },
      { kind: 'clean', heals: 1, converged: 1, p50: 0, max: 0 }
    ])
  })

  it('puts the host baseline of the same rounds beside the propagation figures', () => {
    const stats = (p50: number, p99: number): RunResult['latency'][string] => ({ count: 100, missing: 0, p50, p95: p99, p99, max: p99 })
    const run = { ...runOf([round(0, 'clean', 0), round(1, 'latency', 0)]), latency: { clean: stats(6, 48), latency: stats(27, 90) }, writerLatency: { clean: stats(4.5, 40) }, spreadLatency: { clean: stats(0.5, 9) }, hostBaseline: { clean: stats(2.4, 16), latency: stats(2.5, 14) } }
    const [, clean, latency] = targetResults(run)
    expect(clean.figure).toBe('p50 6 ms, p99 48 ms, 100 samples; host baseline in the same rounds p50 2.4 ms, p99 16 ms, ratio 3')
    // A host whose own baseline misses the bound cannot show it: the figure says so (the result stays a FAIL).
    const [, slowHost] = targetResults({ ...run, hostBaseline: { ...run.hostBaseline, clean: stats(5.5, 44.1) } })
    expect(slowHost.ok).toBe(false)
    expect(slowHost.figure).toBe('p50 6 ms, p99 48 ms, 100 samples; host baseline in the same rounds p50 5.5 ms, p99 44.1 ms, ratio 1.1; ' +
      'the host baseline alone misses 25 ms at p99: under this load this host leaves no room for the target')
    // The baseline carries no injected latency: no ratio to a figure that does.
    expect(latency.figure).toBe('p50 27 ms, p99 90 ms, 100 samples; host baseline in the same rounds p50 2.5 ms, p99 14 ms')
    expect(summaryMarkdown(run)).toMatch(/^\| clean \| 100 \| 0 \| 6 \| 48 \| 48 \| 48 \| 4\.5 \/ 40 \| 0\.5 \/ 9 \| - \/ - \| 2\.4 \/ 16 \|$/m)
    expect(summaryMarkdown(run)).toMatch(/^\| latency \| 100 \| 0 \| 27 \| 90 \| 90 \| 90 \| - \/ - \| - \/ - \| - \/ - \| 2\.5 \/ 14 \|$/m)
    expect(summaryMarkdown(run)).toContain(HOST_BASELINE_NOTE)
    expect(malformedTableRows(summaryMarkdown(run))).toEqual([])
    const without = { ...run, hostBaseline: {} }
    expect(targetResults(without)[1].figure).toBe('p50 6 ms, p99 48 ms, 100 samples')
  })

  it('draws the host baseline beside each mix in the histogram page, as shares of its own samples', () => {
    const stats = { count: 4, missing: 0, p50: 3, p95: 30, p99: 30, max: 30 }
    const run = { ...runOf([round(0, 'clean', 0)]), latency: { clean: stats }, hostBaseline: { clean: { ...stats, count: 2, p50: 1, p99: 2, max: 2 } },
      latencySamples: { clean: [3, 3, 3, 30] }, hostBaselineSamples: { clean: [1, 2] } }
    const html = histogramHtml(run)
    expect(html).toContain('host baseline (grey): 2 samples; p50 1 ms, p99 2 ms, max 2 ms')
    // ≤ 1 ms: none of the cluster's 4, half of the baseline's 2 — the fullest share of either set.
    expect(html).toContain('<tr><td>≤ 1 ms</td><td><div class="bar" style="width:0.0%"></div><div class="bar base" style="width:66.7%"></div></td><td>0 · 1</td></tr>')
    expect(html).toContain('<tr><td>≤ 5 ms</td><td><div class="bar" style="width:100.0%"></div><div class="bar base" style="width:0.0%"></div></td><td>3 · 0</td></tr>')
    expect(histogramHtml({ ...run, hostBaselineSamples: {} })).not.toContain('bar base')
  })

  it('gives each round its own propagation p50 / p99 beside the host baseline\'s p99', () => {
    const stats = (count: number, p50: number, p99: number): LatencyStats => ({ count, missing: 0, p50, p95: p99, p99, max: p99 })
    const run = runOf([
      { ...round(0, 'clean', 0), propagation: { cluster: stats(40, 6.1, 48.2), hostBaseline: stats(40, 2, 11.8), slowest: [{ ms: 61.3, writer: 3, receiver: 1, atMs: 250 }, { ms: 48.2, writer: 0, receiver: 1, atMs: 3120 }] } },
      { ...round(1, 'pause', 230), propagation: { cluster: stats(32, 7, 20), hostBaseline: stats(0, 0, 0), slowest: [] } },
      round(2, 'partition', undefined, 'needs root network namespaces')
    ])
    const md = summaryMarkdown(run)
    expect(md).toMatch(/^\| 0 \| clean \| 6\.1 \/ 48\.2 \(11\.8\); slowest 61\.3 ms, node 3 → 1, written at 0\.3 s \|/m)
    expect(md).toMatch(/^\| 1 \| pause \| 7 \/ 20 \(–\) \|/m)
    expect(md).toMatch(/^\| 2 \| partition \| – \|/m)
    expect(malformedTableRows(md)).toEqual([])
    const restarted = summaryMarkdown(runOf([{ ...round(0, 'kill', 40), warmUpMs: 14_210 }]))
    expect(restarted).toMatch(/^\| 0 \| kill \|.*\| converged in 40 ms; then 14210 ms of warm-up \|$/m)
  })

  it('explains link-down heals only in runs that had one', () => {
    expect(summaryMarkdown(runOf([round(0, 'link-down', 969), round(1, 'clean', 0)]))).toContain(LINK_DOWN_NOTE)
    expect(summaryMarkdown(runOf([round(0, 'kill', 300), round(1, 'clean', 0)]))).not.toContain(LINK_DOWN_NOTE)
    expect(summaryMarkdown(runOf([round(0, 'link-down', undefined, 'needs root')]))).not.toContain(LINK_DOWN_NOTE)
  })
})

describe('chaos run', () => {
  it('smoke profile: every checker passes on real processes and everything is cleaned up', async () => {
    const seed = testSeed('chaos smoke')
    lines.length = 0
    const shmBefore = new Set(faketimeFiles())
    const result = await runChaos({ profile: PROFILES.smoke, seed, log })
    expect(lines[0]).toContain(`seed ${seed}`)
    expect(result.checks.filter(c => !c.ok).map(c => `${c.name}: ${c.details.join('; ')}`)).toEqual([])
    for (const r of result.rounds) {
      if (r.skipped !== undefined) continue
      expect(r.convergeMs, `round ${r.index} ${r.fault}`).toBeDefined()
      // Stalls are read from the nodes' own /metrics: a node up all round has a figure.
      expect(r.stalls?.harness.max, `round ${r.index} harness stall`).toBeGreaterThanOrEqual(0)
      expect(r.stalls?.nodes.filter(n => n !== null).length, `round ${r.index} node stalls`).toBeGreaterThanOrEqual(result.nodes - 1)
    }
    expect(summaryMarkdown(result)).toMatch(/Event-loop stalls .*: harness median \d/)
    expect(malformedTableRows(summaryMarkdown(result))).toEqual([])
    for (const kind of new Set(result.rounds.filter(r => r.skipped === undefined).map(r => r.kind))) {
      expect(summaryMarkdown(result)).toMatch(new RegExp(`^\\| ${kind} \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+ \\|$`, 'm'))
    }
    if (existsSync('/proc/stat')) {
      // The smoke run keeps the host busy: some CPU time went to it in every round.
      for (const r of result.rounds.filter(x => x.skipped === undefined)) expect(r.stalls?.host?.busyPct, `round ${r.index} host CPU`).toBeGreaterThan(0)
      expect(summaryMarkdown(result)).toMatch(/Host CPU per round: busy median [\d.]+%/)
    }
    // The host baseline ran through the same rounds as the probe.
    for (const label of Object.keys(result.latency)) expect(result.hostBaseline[label]?.count, `host baseline samples under ${label}`).toBeGreaterThan(0)
    // The writer shows its own write before the write has spread: its median comes first.
    const clean = result.latency.clean
    expect(result.writerLatency.clean?.count, 'writer samples').toBeGreaterThan(0)
    expect(result.writerLatency.clean?.p50, 'writer p50 against the propagation p50').toBeLessThanOrEqual(clean.p50)
    // Replication alone is a part of each sample: a spread per receiver that followed a writer's event.
    expect(result.spreadLatency.clean?.count, 'spread samples').toBeGreaterThan(0)
    expect(result.spreadLatency.clean?.count).toBeLessThanOrEqual(clean.count)
    expect(result.spreadLatency.clean?.p50, 'spread p50 against the propagation p50').toBeLessThanOrEqual(clean.p50)
    // Every sample of a fault mix was taken in one of its rounds, and counted there once.
    for (const [label, stats] of Object.entries(result.latency).filter(([l]) => l !== 'warm-up')) {
      const rounds = result.rounds.filter(r => r.kind === label)
      expect(rounds.reduce((n, r) => n + (r.propagation?.cluster.count ?? 0), 0), `${label} samples by round`).toBe(stats.count)
      expect(rounds.reduce((n, r) => n + (r.propagation?.hostBaseline.count ?? 0), 0), `${label} host baseline samples by round`).toBe(result.hostBaseline[label]?.count)
    }
    // A round's slowest sample is its max, between two different nodes.
    for (const r of result.rounds.filter(x => (x.propagation?.cluster.count ?? 0) > 0)) {
      const top = r.propagation?.slowest[0]
      expect(top?.ms, `round ${r.index} slowest sample`).toBe(r.propagation?.cluster.max)
      expect(top?.writer, `round ${r.index} slowest sample's writer`).toBeTypeOf('number')
      expect(top?.writer).not.toBe(top?.receiver)
      expect(top?.atMs, `round ${r.index} slowest sample written in the round`).toBeGreaterThanOrEqual(0)
    }
    // Only a round that restarted a node is followed by warm-up: the rest of the profile's
    // warm-up counted from the restart, so some is left unless converging took nearly all of it.
    for (const r of result.rounds) {
      const restarted = r.kind === 'kill' || r.crashed !== undefined
      if (!restarted) expect(r.warmUpMs, `round ${r.index} warm-up`).toBeUndefined()
      else if ((r.convergeMs ?? Infinity) < PROFILES.smoke.warmupMs - 1_500) expect(r.warmUpMs, `round ${r.index} warm-up`).toBeGreaterThan(0)
      expect(r.warmUpMs ?? 0).toBeLessThanOrEqual(PROFILES.smoke.warmupMs)
    }
    expect(result.kills.rejoined).toBe(result.kills.killed)
    expect(result.ops['unique write'].ok).toBeGreaterThan(0)
    expect(result.ok).toBe(true)
    // As root with iproute2 + iptables the faults are real; otherwise the report must say what it skipped.
    const why = await netnsUnavailable()
    if (why === undefined) expect(result.mode).toBe('netns')
    else expect(result.skipped.join()).toContain(`network faults skipped (${why})`)
    expect(result.cleanupFailures).toEqual([])
    expect(leftovers()).toEqual([])
    expect(faketimeFiles().filter(f => !shmBefore.has(f))).toEqual([])
  }, 120_000)

  it.skipIf(!existsSync(FAKETIME_LIB))('skews a node\'s clock through libfaketime and leaves none of its objects behind', async () => {
    const cleanup = createCleanupRegistry()
    const runDir = mkdtempSync(join(tmpdir(), 'camos-skew-test-'))
    cleanup.add(`run dir ${runDir}`, async () => { rmSync(runDir, { recursive: true, force: true }) })
    try {
      const cluster = await createChaosCluster(cleanup, { nodes: 1, runDir, seed: testSeed('chaos skew'), secret: 'skew-test' })
      await cluster.start()
      const pid = cluster.pid(0) ?? 0
      expect(faketimeObjects(pid).filter(existsSync)).toHaveLength(2)
      const skewMs = 600_000
      cluster.skew(0, skewMs / 1000)
      // The node's HLC takes its physical time from the (faked) wall clock: its writes carry it.
      let n = 0
      const aheadMs = async (): Promise<number> => {
        const key = `k${n++}`
        await cluster.client(0).call('Remember', { namespace: 'skew', key, value: Buffer.from(key) })
        const { entry } = await cluster.client(0).call('Recall', { namespace: 'skew', key })
        return Number(entry.writtenAtMs) - Date.now()
      }
      expect(await aheadMs()).toBeLessThan(skewMs / 2)
      // libfaketime re-reads the skew file at most once a second (FAKETIME_CACHE_DURATION).
      await waitFor(async () => await aheadMs() > skewMs - 60_000, { what: 'writes dated 10 minutes ahead', interval: 100 })
      expect(await aheadMs()).toBeLessThan(skewMs + 60_000)
      // A SIGKILLed process cannot remove them itself.
      await cluster.kill(0)
      expect(faketimeObjects(pid).filter(existsSync)).toEqual([])
      await cluster.stop()
    } finally {
      await cleanup.run()
    }
  }, 60_000)

  it('fails when anti-entropy is disabled and frames are lost', async () => {
    const seed = testSeed('chaos broken build')
    const result = await runChaos({ profile: PROFILES.lossy, seed, log, disableAntiEntropy: true })
    expect(result.ok).toBe(false)
    const failed = result.checks.filter(c => !c.ok).map(c => c.name)
    expect(failed).toContain('convergence')
    expect(result.rounds.some(r => r.convergeMs === undefined && r.divergent > 0)).toBe(true)
    expect(leftovers()).toEqual([])
  }, 120_000)
})
