/**
 * Reports of a run under chaos-results/: the whole result as JSON, a markdown summary an
 * operator reads first, and a self-contained HTML page with the latency histograms.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { percentile, type LatencyStats } from './latency.js'
import type { RoundResult, RunResult } from './runner.js'
import type { HostCpu } from './stalls.js'

export const DEFAULT_RESULTS_DIR = 'chaos-results'
/** Targets of the issue; the summary marks each figure against them. */
export const TARGETS = { convergeP99Ms: 1_000, cleanP99Ms: 25, latencyP99Ms: 100 }

const mark = (ok: boolean): string => ok ? 'PASS' : 'FAIL'
const cell = (text: string): string => text.replace(/\|/g, '\\|')

export interface TargetResult { name: string, ok: boolean, figure: string }

/** The issue's timing targets, judged on this run's figures (absent mixes are not judged). */
export function targetResults (r: RunResult): TargetResult[] {
  const out: TargetResult[] = [{
    name: `heal → converged p99 ≤ ${TARGETS.convergeP99Ms} ms`,
    ok: r.convergence.p99 <= TARGETS.convergeP99Ms && r.convergence.converged === r.convergence.heals,
    figure: `p50 ${r.convergence.p50} ms, p99 ${r.convergence.p99} ms, max ${r.convergence.max} ms over ${r.convergence.heals} heals (${r.convergence.heals - r.convergence.converged} not converged)`
  }]
  const clean = r.latency.clean
  if (clean !== undefined) {
    const hostOver = (r.hostBaseline.clean?.p99 ?? 0) > TARGETS.cleanP99Ms && clean.p99 > TARGETS.cleanP99Ms
    out.push({
      name: `propagation p99 ≤ ${TARGETS.cleanP99Ms} ms (no fault)`,
      ok: clean.p99 <= TARGETS.cleanP99Ms,
      figure: `p50 ${clean.p50} ms, p99 ${clean.p99} ms, ${clean.count} samples${baselineFigure(r, 'clean')}` +
        (hostOver ? `; the host baseline alone misses ${TARGETS.cleanP99Ms} ms at p99: under this load this host leaves no room for the target` : '')
    })
  }
  const lat = r.latency.latency
  if (lat !== undefined) out.push({ name: `propagation p99 ≤ ${TARGETS.latencyP99Ms} ms (20 ± 10 ms per link)`, ok: lat.p99 <= TARGETS.latencyP99Ms, figure: `p50 ${lat.p50} ms, p99 ${lat.p99} ms, ${lat.count} samples${baselineFigure(r, 'latency', false)}` })
  return out
}

/**
 * The host baseline of the same rounds beside a propagation figure, with the ratio of the p99s
 * where the two compare (the baseline has no injected latency).
 */
function baselineFigure (r: RunResult, label: string, withRatio = true): string {
  const cluster = r.latency[label]
  const base = r.hostBaseline[label]
  if (cluster === undefined || base === undefined || base.count === 0) return ''
  const ratio = withRatio && base.p99 > 0 ? `, ratio ${Math.round(cluster.p99 / base.p99 * 10) / 10}` : ''
  return `; host baseline in the same rounds p50 ${base.p50} ms, p99 ${base.p99} ms${ratio}`
}

/** What the host baseline is, under the propagation table. */
export const HOST_BASELINE_NOTE = 'The host baseline is the same measurement, in the same rounds, between plain processes syncing a Yjs document ' +
  'over loopback TCP (one writer, a reader per other node; no libp2p, kernel, disk or injected fault): what this host alone adds under the run\'s load.'

/** Stalls summed up over the rounds: how much of the latency the host itself may have added. */
function stallsLine (r: RunResult): string[] {
  const rounds = r.rounds.flatMap(x => x.stalls === undefined ? [] : [x.stalls])
  if (rounds.length === 0) return []
  const harness = rounds.map(s => s.harness.max).sort((a, b) => a - b)
  const nodes = rounds.flatMap(s => s.nodes.flatMap(n => n === null ? [] : [n])).sort((a, b) => a - b)
  const figures = (xs: number[]): string => xs.length === 0 ? 'none read' : `median ${percentile(xs, 50)} ms, worst ${xs.at(-1) ?? 0} ms`
  const lines = [
    `Event-loop stalls (longest per round and process, beyond its timer): harness ${figures(harness)}; nodes ${figures(nodes)}. A stall of the harness, the writer or the receiver lengthens every latency sample it overlaps.`
  ]
  const hosts = rounds.flatMap(s => s.host === undefined ? [] : [s.host])
  if (hosts.length > 0) {
    const pcts = (xs: number[]): string => { const sorted = [...xs].sort((a, b) => a - b); return `median ${percentile(sorted, 50)}%, worst ${sorted.at(-1) ?? 0}%` }
    const waiting = hosts.flatMap(h => h.waitingPct === null ? [] : [h.waitingPct])
    lines.push(`Host CPU per round: busy ${pcts(hosts.map(h => h.busyPct))}; steal ${pcts(hosts.map(h => h.stealPct))}` +
      (waiting.length === 0 ? ' (no CPU pressure figures: /proc/pressure/cpu unreadable).' : `; some task waiting for a CPU (PSI) ${pcts(waiting)} of the time. A process waiting for a CPU stalls as surely as a busy one.`))
  }
  return lines
}

/** Why link-down heals are the slow ones, measured in docs/chaos-timing.md. */
export const LINK_DOWN_NOTE = 'Link-down heals include the downed node reconnecting: it sends nothing while its link has no carrier and redials every member when the carrier returns, ' +
  'which after an outage of 3 s or more resolves the peers\' addresses (ARP) at once; after a shorter one Linux is still resolving them and answers at its next retry, ' +
  'up to a second later by default (`net.ipv4.neigh.<dev>.retrans_time_ms`).'

/**
 * Heal → converged per fault kind: the run's p99 is in practice its slowest heal, and which
 * kind of fault it followed says where to look.
 */
export function healsByKind (r: RunResult): Array<{ kind: string, heals: number, converged: number, p50: number, max: number }> {
  const kinds = new Map<string, { heals: number, times: number[] }>()
  for (const x of r.rounds) {
    if (x.skipped !== undefined) continue
    const k = kinds.get(x.kind) ?? { heals: 0, times: [] }
    kinds.set(x.kind, k)
    k.heals++
    if (x.convergeMs !== undefined) k.times.push(x.convergeMs)
  }
  return [...kinds].map(([kind, k]) => {
    const sorted = [...k.times].sort((a, b) => a - b)
    return { kind, heals: k.heals, converged: sorted.length, p50: percentile(sorted, 50), max: sorted.at(-1) ?? 0 }
  }).sort((a, b) => b.max - a.max || a.kind.localeCompare(b.kind))
}

function hostCell (h: HostCpu | undefined): string {
  return h === undefined ? '–' : `${h.busyPct}% · ${h.waitingPct === null ? '–' : `${h.waitingPct}%`}`
}

const pair = (s: LatencyStats | undefined): string => `${s?.p50 ?? '-'} / ${s?.p99 ?? '-'}`

function propagationCell (p: RoundResult['propagation']): string {
  if (p === undefined || p.cluster.count === 0) return '–'
  const top = p.slowest?.[0]
  const slowest = top === undefined ? '' : `; slowest ${top.ms} ms, node ${top.writer ?? '?'} → ${top.receiver}, written at ${(top.atMs / 1000).toFixed(1)} s`
  return `${p.cluster.p50} / ${p.cluster.p99} (${p.hostBaseline.count === 0 ? '–' : p.hostBaseline.p99})${slowest}`
}

export function summaryMarkdown (r: RunResult): string {
  const targets = targetResults(r)
  const heals = healsByKind(r)
  const lines = [
    `# Chaos run: profile ${r.profile}, seed ${r.seed} — correctness ${mark(r.ok)}, timing targets ${mark(targets.every(t => t.ok))}`,
    '',
    `${r.nodes} nodes (${r.mode}), ${r.rounds.length} rounds, ${(r.durationMs / 1000).toFixed(0)} s, started ${r.startedAt}.`,
    `Replay: \`${r.replay}\``,
    `Host: ${r.host.cpus} CPUs, load average ${r.host.loadStart.join(' ')} at start, ${r.host.loadEnd.join(' ')} at end (latency figures from a loaded host overstate the cluster's own).`,
    ...stallsLine(r),
    '',
    ...r.skipped.map(s => `> Skipped: ${s}`),
    `> ${r.quorum}`,
    '',
    '| check | result | violations | examples |',
    '| --- | --- | --- | --- |',
    ...r.checks.map(c => `| ${c.name} | ${mark(c.ok)} | ${c.violations} | ${cell(c.details.slice(0, 3).join('; '))} |`),
    `| no node crashed | ${mark(r.crashes.length === 0)} | ${r.crashes.length} | ${cell(r.crashes.slice(0, 3).map(c => `node ${c.node}: ${c.output.find(l => /Error/.test(l))?.trim() ?? `exit ${String(c.code ?? c.signal)}`}`).join('; '))} |`,
    `| every SIGKILLed node rejoins | ${mark(r.kills.rejoined === r.kills.killed)} | ${r.kills.killed - r.kills.rejoined} | ${r.kills.killed} killed, ${r.kills.rejoined} rejoined and converged |`,
    '',
    '| timing target | result | figures |',
    '| --- | --- | --- |',
    ...targets.map(t => `| ${t.name} | ${mark(t.ok)} | ${t.figure} |`),
    '',
    ...(r.crashes.length === 0 ? [] : [
      '## Node crashes (processes that exited unasked: always a failure)',
      '',
      ...r.crashes.flatMap(c => [`- node ${c.node} at ${c.at} (exit code ${String(c.code)}, signal ${String(c.signal)}):`, '', '```', ...c.output.slice(-15), '```', '']),
      ''
    ]),
    '## Heal → converged by fault kind',
    '',
    '| fault kind | heals | converged | p50 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    ...heals.map(h => `| ${h.kind} | ${h.heals} | ${h.converged} | ${h.p50} | ${h.max} |`),
    '',
    ...(heals.some(h => h.kind === 'link-down') ? [LINK_DOWN_NOTE, ''] : []),
    '## Propagation latency by fault mix (write on A → visible on B)',
    '',
    'Each sample runs from the probe\'s Remember being sent to the Observe event of another node. For comparison: until the writer\'s own Observe event ' +
      '(its turn: the request reaching it and the write applied there, before anything can spread), from there to each other node\'s event ' +
      '(replication alone; 0 where the other node\'s event came first), and until the writer\'s reply (LOCAL durability: on its disk).',
    '',
    '| fault | samples | unseen at round end | p50 ms | p95 ms | p99 ms | max ms | writer shows it p50 / p99 ms | writer → other node p50 / p99 ms | writer ack p50 / p99 ms | host baseline p50 / p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...Object.entries(r.latency).map(([k, s]) => `| ${k} | ${s.count} | ${s.missing} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${pair(r.writerLatency[k])} | ${pair(r.spreadLatency[k])} | ${pair(r.writeLatency[k])} | ${pair(r.hostBaseline[k])} |`),
    '',
    HOST_BASELINE_NOTE,
    '',
    '## Rounds',
    '',
    '| # | fault | propagation p50 / p99 ms (host baseline p99); slowest sample, writer → receiver, when written in the round | longest stall ms: harness · nodes | host CPU busy · waiting | outcome |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.rounds.map(x => `| ${x.index} | ${cell(x.fault)} | ${propagationCell(x.propagation)} | ${x.stalls === undefined ? '-' : `${x.stalls.harness.max} · ${x.stalls.nodes.map(n => n ?? '–').join(' ')}`} | ${hostCell(x.stalls?.host)} | ${x.skipped !== undefined ? `skipped: ${x.skipped}` : x.convergeMs !== undefined ? `converged in ${x.convergeMs} ms${x.lastChange !== undefined ? ` (last change: ${x.lastChange})` : ''}` : `NOT converged (${x.divergent} divergent): ${cell((x.divergence ?? []).join('; '))}`}${x.warmUpMs !== undefined ? `; then ${x.warmUpMs} ms of warm-up` : ''} |`),
    '',
    '## Operations',
    '',
    '| operation | acknowledged | failed / indeterminate |',
    '| --- | --- | --- |',
    ...Object.entries(r.ops).map(([k, c]) => `| ${k} | ${c.ok} | ${c.failed} |`),
    ''
  ]
  return lines.join('\n')
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Log-scale buckets (ms) of a latency histogram. */
const BUCKETS = [1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000, Infinity]

/** Samples per bucket. */
function bucketCounts (samples: number[]): number[] {
  const counts = BUCKETS.map(() => 0)
  for (const s of samples) counts[BUCKETS.findIndex(b => s <= b)]++
  return counts
}

export function histogramHtml (r: RunResult): string {
  const sections = Object.entries(r.latencySamples).map(([label, samples]) => {
    const counts = bucketCounts(samples)
    const base = r.hostBaselineSamples[label] ?? []
    const baseCounts = bucketCounts(base)
    // Shares of each set's own samples, so sets of different sizes compare.
    const share = (c: number, n: number): number => n === 0 ? 0 : c / n
    const top = Math.max(1e-9, ...counts.map(c => share(c, samples.length)), ...baseCounts.map(c => share(c, base.length)))
    const bar = (c: number, n: number, cls: string): string => `<div class="${cls}" style="width:${(share(c, n) / top * 100).toFixed(1)}%"></div>`
    const bars = counts.map((c, i) => {
      const name = BUCKETS[i] === Infinity ? `> ${BUCKETS[i - 1]}` : `≤ ${BUCKETS[i]}`
      return `<tr><td>${name} ms</td><td>${bar(c, samples.length, 'bar')}${base.length > 0 ? bar(baseCounts[i], base.length, 'bar base') : ''}</td><td>${c}${base.length > 0 ? ` · ${baseCounts[i]}` : ''}</td></tr>`
    }).join('')
    const s = r.latency[label]
    const b = r.hostBaseline[label]
    const baseLine = base.length > 0 && b !== undefined ? `<p class="base-note">host baseline (grey): ${base.length} samples; p50 ${b.p50} ms, p99 ${b.p99} ms, max ${b.max} ms</p>` : ''
    return `<h2>${escapeHtml(label)}</h2><p>${samples.length} samples, ${s?.missing ?? 0} unseen at round end; p50 ${s?.p50} ms, p95 ${s?.p95} ms, p99 ${s?.p99} ms, max ${s?.max} ms</p>${baseLine}<table>${bars}</table>`
  }).join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>chaos ${r.profile} seed ${r.seed}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{width:100%;border-collapse:collapse}td{padding:1px 6px;font-size:13px}td:first-child{width:7em;text-align:right}td:last-child{width:7em}.bar{background:#4a7fd4;height:12px}.bar.base{background:#aaa;height:6px}pre{background:#f4f4f4;padding:1em;overflow:auto}</style></head>
<body><h1>Chaos run ${escapeHtml(r.profile)}, seed ${r.seed}: correctness ${mark(r.ok)}, timing targets ${mark(targetResults(r).every(t => t.ok))}</h1>
<p>Propagation latency, write on node A → visible on node B (host clock), per fault mix: bars are shares of each mix's samples, counts on the right. In grey, the host baseline of the same rounds (plain Yjs over loopback TCP, see the summary).</p>
${sections}
<h2>Summary</h2><pre>${escapeHtml(summaryMarkdown(r))}</pre></body></html>
`
}

/** One seed of a run over several: its result, or why the harness could not finish it. */
export type SeedOutcome = { seed: number, result: RunResult, report: string } | { seed: number, aborted: string, replay: string }

/** A run over several seeds, a line each: the verdicts, the timing figures and where to read more. */
export function seedsSummaryMarkdown (profile: string, outcomes: SeedOutcome[]): string {
  const figure = (s: LatencyStats | undefined, limit: number): string => s === undefined ? '-' : `${s.p99} ${mark(s.p99 <= limit)}`
  const failed = outcomes.filter(o => 'aborted' in o || !o.result.ok).length
  return [
    `# Chaos profile ${profile}: ${outcomes.length} seeds, correctness ${mark(failed === 0)}${failed === 0 ? '' : ` (${failed} failed)`}`,
    '',
    '| seed | correctness | heal p99 ms | clean p99 ms | 20 ± 10 ms p99 ms | report |',
    '| --- | --- | --- | --- | --- | --- |',
    ...outcomes.map(o => 'aborted' in o
      ? `| ${o.seed} | ABORTED: ${o.aborted.replace(/\|/g, '/')} | - | - | - | replay: \`${o.replay}\` |`
      : `| ${o.seed} | ${mark(o.result.ok)} | ${o.result.convergence.p99} ${mark(o.result.convergence.p99 <= TARGETS.convergeP99Ms)} | ${figure(o.result.latency.clean, TARGETS.cleanP99Ms)} | ${figure(o.result.latency.latency, TARGETS.latencyP99Ms)} | ${o.report} |`),
    ''
  ].join('\n')
}

/** Path prefix of a run's reports (and of its node-log folder, `<base>-logs`). */
export function reportBase (dir: string, profile: string, seed: number): string {
  return join(dir, `${profile}-${seed}`)
}

/** Writes <dir>/<profile>-<seed>.{json,md,html}; returns the paths. */
export function writeReports (r: RunResult, dir = DEFAULT_RESULTS_DIR): { json: string, markdown: string, html: string } {
  mkdirSync(dir, { recursive: true })
  const base = reportBase(dir, r.profile, r.seed)
  const paths = { json: `${base}.json`, markdown: `${base}.md`, html: `${base}.html` }
  writeFileSync(paths.json, JSON.stringify(r, null, 2))
  writeFileSync(paths.markdown, summaryMarkdown(r))
  writeFileSync(paths.html, histogramHtml(r))
  return paths
}
