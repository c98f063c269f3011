/**
 * One chaos run: build the network (root) and the cluster, then for each scheduled round apply
 * its fault while the workloads and the latency probe run, heal, and time convergence; at the
 * end read every node and run the checkers. Everything created is undone on the way out.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSeededRng, hashString } from '../transport/faults.js'
import { CHECKERS, divergentNodes, EXPIRY_MARGIN_MS, readNode, type CheckResult, type ExpiryWindow, type NodeState } from './checkers.js'
import { createCleanupRegistry } from './cleanup.js'
import { createChaosCluster, type ChaosCluster, type NodeCrash } from './cluster.js'
import { createStateMirror, type StateMirror } from './mirror.js'
import { createLatencyProbe, latencyStats, percentile, slowestSamples, LATENCY_NAMESPACE, type LatencyStats, type SlowSample } from './latency.js'
import { startHostBaseline, type HostBaseline } from './host-baseline.js'
import { createStallMonitor, type RoundStalls, type StallMonitor } from './stalls.js'
import { createChaosNetwork, netnsUnavailable, removeLeftovers, runDirPrefix, type ChaosNetwork } from './net.js'
import { buildSchedule, describeFault, describeSchedule, NETWORK_FAULTS, replayCommand, type FaultStep, type Profile, type Round } from './schedule.js'
import { createHistory, createWorkloads, NS, snapshotNamespace, type History, type Workloads } from './workloads.js'

/** Anti-entropy period that never fires within a run: the deliberately broken build. */
export const ANTI_ENTROPY_DISABLED_MS = 2 ** 31 - 1
const MEMBERSHIP_TIMEOUT_MS = 30_000

export interface RunOptions {
  profile: Profile
  seed: number
  log: (line: string) => void
  /** Proves the suite can fail: nodes run without anti-entropy (periodic digests and gap requests). */
  disableAntiEntropy?: boolean
  /** Never use namespaces even as root. */
  noNetns?: boolean
  /** Install SIGINT/SIGTERM handlers that clean up (the CLI; not inside a test runner). */
  handleSignals?: boolean
  /** Where each node's whole output goes (node-<i>.log, every incarnation), with harness markers. */
  logDir?: string
  /** The command that replays this run (the report prints it); by default seed and profile. */
  replay?: string
}

export interface RoundResult {
  index: number
  fault: string
  kind: FaultStep['kind']
  skipped?: string
  /**
   * ms from the end of the heal (network restored, stopped processes restarted and serving) to
   * identical state on every node; undefined when it did not converge.
   */
  convergeMs?: number
  /** Times the live copies agreed but a whole read of every node did not confirm it. */
  refuted?: number
  /** The change that dated the agreement: node, namespace, Observe event kind. */
  lastChange?: string
  divergent: number
  divergence?: string[]
  /** ms of unfaulted workload after the heal because it restarted a node (samples labelled warm-up). */
  warmUpMs?: number
  /** Nodes that crashed (exited unasked) during the round; restarted at heal. */
  crashed?: number[]
  /** Longest event-loop stalls of the harness and of each node during the round (chaos/stalls.ts). */
  stalls?: RoundStalls
  /**
   * The propagation samples of this round alone, the host baseline's in it, and the round's
   * slowest samples with the nodes that wrote and showed them (which link a tail came from).
   */
  propagation?: { cluster: LatencyStats, hostBaseline: LatencyStats, slowest: SlowSample[] }
}

export interface RunResult {
  profile: string
  seed: number
  /** The command that replays this run. */
  replay: string
  nodes: number
  mode: 'netns' | 'loopback'
  skipped: string[]
  schedule: string[]
  startedAt: string
  durationMs: number
  rounds: RoundResult[]
  convergence: { heals: number, converged: number, p50: number, p99: number, max: number }
  latency: Record<string, LatencyStats>
  /** The probe writer's own Remember latency, per fault mix. */
  writeLatency: Record<string, LatencyStats>
  /** From the probe write to the writer's own Observe event, per fault mix. */
  writerLatency: Record<string, LatencyStats>
  /** From the writer's own Observe event to each other node's, per fault mix: replication alone. */
  spreadLatency: Record<string, LatencyStats>
  /** The same propagation measured between plain Yjs-over-TCP processes on this host (chaos/host-baseline.ts). */
  hostBaseline: Record<string, LatencyStats>
  /** The machine's load: figures from a loaded shared host are not comparable. */
  host: { cpus: number, loadStart: number[], loadEnd: number[] }
  latencySamples: Record<string, number[]>
  hostBaselineSamples: Record<string, number[]>
  checks: CheckResult[]
  ops: History['ops']
  quorum: string
  kills: { killed: number, rejoined: number }
  /** Node processes that exited without being asked to: always a failure. */
  crashes: NodeCrash[]
  cleanupFailures: string[]
  ok: boolean
}

export async function runChaos (options: RunOptions): Promise<RunResult> {
  const { profile, seed, log } = options
  const startedAt = Date.now()
  const loadStart = loadavg().map(l => Math.round(l * 100) / 100)
  const rounds = buildSchedule(profile, seed)
  log(describeSchedule(profile, seed, rounds, options.replay))
  const skipped: string[] = []
  const cleanup = createCleanupRegistry()
  const unhook = options.handleSignals === true ? cleanup.onSignals(log) : () => {}
  const why = options.noNetns === true ? 'disabled by --no-netns' : await netnsUnavailable()
  if (why !== undefined) {
    const kinds = [...new Set(rounds.map(r => r.fault.kind).filter(k => NETWORK_FAULTS.has(k)))]
    if (kinds.length > 0) skipped.push(`network faults skipped (${why}): ${kinds.join(', ')}; nodes run on loopback`)
  }
  await removeLeftovers(log)
  const runDir = mkdtempSync(join(tmpdir(), runDirPrefix()))
  cleanup.add(`run dir ${runDir}`, async () => { rmSync(runDir, { recursive: true, force: true }) })
  let network: ChaosNetwork | undefined
  const history = createHistory()
  const results: RoundResult[] = []
  const kills = { killed: 0, rejoined: 0 }
  let maxSkewMs = 0
  const tail = new Map<number, string[]>()
  const nodeLogs = options.logDir === undefined ? undefined : openNodeLogs(options.logDir, profile.nodes)
  if (nodeLogs !== undefined) cleanup.add('node logs', async () => { await Promise.all(nodeLogs.map(async w => { await new Promise(resolve => w.end(resolve)) })) })
  // Harness events go into every node's log too, so one file tells what the node lived through.
  const mark = (line: string): void => { for (const w of nodeLogs ?? []) w.write(`--- ${new Date().toISOString()} harness: ${line}\n`) }

  try {
    if (why === undefined) {
      network = await createChaosNetwork(cleanup, profile.nodes)
      log(`network: ${profile.nodes} namespaces, cluster bridge ${network.subnet}, management bridge ${network.controlSubnet}`)
    }
    const cluster = await createChaosCluster(cleanup, {
      nodes: profile.nodes,
      runDir,
      seed,
      secret: `chaos-${seed}`,
      antiEntropyMs: options.disableAntiEntropy === true ? ANTI_ENTROPY_DISABLED_MS : undefined,
      gapRepair: options.disableAntiEntropy === true ? false : undefined,
      network,
      onLog: (i, line) => {
        nodeLogs?.[i].write(line + '\n')
        const t = tail.get(i) ?? []
        tail.set(i, t)
        t.push(line)
        if (t.length > 20) t.shift()
      }
    })
    if (!cluster.skewAvailable && rounds.some(r => r.fault.kind === 'skew')) skipped.push('clock skew skipped: libfaketime is not installed (apt-get install libfaketime)')
    await cluster.start()
    await waitMembership(cluster)
    log(`cluster: ${profile.nodes} nodes up and connected${options.disableAntiEntropy === true ? ' (ANTI-ENTROPY DISABLED)' : ''}`)

    const workRng = createSeededRng(hashString('workloads', seed))
    const workloads = createWorkloads(cluster, history, { clients: profile.clients, paceMs: profile.paceMs, rng: workRng })
    const probe = createLatencyProbe(cluster, createSeededRng(hashString('probe', seed)))
    for (let i = 0; i < cluster.size; i++) probe.observe(i)
    const baseline = await startHostBaseline(cluster.size - 1)
    const stopBaseline = cleanup.add('host baseline processes', baseline.stop)
    const namespaces = (): string[] => [NS.unique, NS.contended, NS.deletes, NS.ttl, NS.quorum, LATENCY_NAMESPACE, ...Array.from({ length: cluster.size }, (_, i) => snapshotNamespace(i))]
    const mirror = createStateMirror(cluster, namespaces())
    const stalls = createStallMonitor(cluster)
    cleanup.add('state mirror', async () => { mirror.stop() })
    for (let i = 0; i < cluster.size; i++) mirror.observe(i)

    try {
      await warmUp({ workloads, probe, baseline }, profile.warmupMs)
      const warm = await waitConverged(cluster, namespaces(), profile.convergeBoundMs, 0, mirror)
      log(`warm-up: ${profile.warmupMs} ms of workload, ${warm.convergeMs === undefined ? 'NOT converged' : `converged in ${warm.convergeMs} ms`}`)
      for (const round of rounds) {
        const r = await runRound(round, { cluster, network, workloads, probe, baseline, mirror, stalls, mark, profile, namespaces, skewAvailable: cluster.skewAvailable, kills, onSkew: s => { maxSkewMs = Math.max(maxSkewMs, Math.abs(s) * 1000) }, maxSkewMs: () => maxSkewMs })
        results.push(r)
        if (r.crashed !== undefined) log(`round ${round.index}: NODE CRASH: node(s) ${r.crashed.join(', ')} exited unasked (restarted); see the report`)
        const outcome = r.skipped !== undefined ? `skipped (${r.skipped})` : r.convergeMs !== undefined ? `converged in ${r.convergeMs} ms` : `NOT CONVERGED: ${r.divergent} divergent node(s) ${r.divergence?.join('; ') ?? ''}`
        log(`round ${round.index}: ${r.fault} → ${outcome}${r.lastChange !== undefined ? ` (last change: ${r.lastChange})` : ''}${r.refuted !== undefined ? ` (live copies agreed ${r.refuted}× before a whole read did)` : ''}`)
        mark(`round ${round.index}: ${outcome}`)
      }
    } finally {
      await workloads.stop()
      await Promise.all([probe.pause(0), baseline.pause(0)])
      probe.stop()
      await stopBaseline()
      stalls.stop()
    }

    for (let i = 0; i < cluster.size; i++) if (cluster.status(i) === 'crashed') await cluster.restart(i)
    const final = await waitConverged(cluster, namespaces(), profile.convergeBoundMs, maxSkewMs)
    if (final.convergeMs === undefined) log(`final state NOT converged within ${profile.convergeBoundMs} ms`)
    const state = { nodes: final.nodes, namespaces: namespaces(), readAtMs: Date.now(), maxSkewMs }
    const checks = CHECKERS.map(c => c.check(state, history))
    const heals = results.filter(r => r.skipped === undefined)
    const times = heals.flatMap(r => r.convergeMs === undefined ? [] : [r.convergeMs]).sort((a, b) => a - b)
    await cluster.stop()
    const latency = probe.stats()
    return {
      profile: profile.name,
      seed,
      replay: options.replay ?? replayCommand(profile.name, seed),
      nodes: profile.nodes,
      mode: network === undefined ? 'loopback' : 'netns',
      skipped,
      schedule: rounds.map(r => `round ${r.index}: ${describeFault(r.fault)}`),
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      rounds: results,
      convergence: { heals: heals.length, converged: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) ?? 0 },
      latency,
      writeLatency: probe.ackStats(),
      writerLatency: probe.writerStats(),
      spreadLatency: probe.spreadStats(),
      hostBaseline: baseline.stats(),
      host: { cpus: cpus().length, loadStart, loadEnd: loadavg().map(l => Math.round(l * 100) / 100) },
      latencySamples: Object.fromEntries(probe.samples()),
      hostBaselineSamples: Object.fromEntries(baseline.samples()),
      checks,
      ops: history.ops,
      quorum: history.quorum.supported === false
        ? 'QUORUM writes skipped: the node answers UNIMPLEMENTED (durability QUORUM not wired yet)'
        : `QUORUM writes: ${history.quorum.acked} acked, ${history.quorum.failed} failed honestly, ${history.quorum.falseAcks.length} false acks`,
      kills,
      cleanupFailures: await cleanup.run(),
      crashes: cluster.crashes(),
      ok: checks.every(c => c.ok) && heals.every(r => r.convergeMs !== undefined) && kills.rejoined === kills.killed && cluster.crashes().length === 0
    }
  } catch (err) {
    for (const [i, lines] of tail) log(`node ${i} last output:\n  ${lines.join('\n  ')}`)
    throw err
  } finally {
    const failures = await cleanup.run()
    for (const f of failures) log(`cleanup failed: ${f}`)
    unhook()
  }
}

interface RoundContext {
  cluster: ChaosCluster
  network: ChaosNetwork | undefined
  workloads: Workloads
  probe: ReturnType<typeof createLatencyProbe>
  baseline: HostBaseline
  mirror: StateMirror
  stalls: StallMonitor
  /** Writes a harness event into the node logs. */
  mark: (line: string) => void
  profile: Profile
  namespaces: () => string[]
  skewAvailable: boolean
  kills: { killed: number, rejoined: number }
  onSkew: (seconds: number) => void
  /** Largest |skew| injected so far: a node's HLC stays ahead after its clock is set back. */
  maxSkewMs: () => number
}

async function runRound (round: Round, ctx: RoundContext): Promise<RoundResult> {
  const { cluster, network, workloads, probe, baseline, mirror, kills } = ctx
  const f = round.fault
  const base = { index: round.index, fault: describeFault(f), kind: f.kind, divergent: 0 }
  if (NETWORK_FAULTS.has(f.kind) && network === undefined) return { ...base, skipped: 'needs root network namespaces' }
  if (f.kind === 'skew' && !ctx.skewAvailable) return { ...base, skipped: 'needs libfaketime' }
  const all = Array.from({ length: cluster.size }, (_, i) => i)
  const crashesBefore = cluster.crashes().length

  if (f.kind === 'wipe') {
    await cluster.wipe(f.node)
    workloads.wiped(f.node)
  }
  ctx.mark(`round ${round.index}: ${base.fault}`)
  await ctx.stalls.start()
  await applyFault(f, ctx)
  workloads.resume()
  const taken = { cluster: probe.samples().get(f.kind)?.length ?? 0, hostBaseline: baseline.samples().get(f.kind)?.length ?? 0 }
  const probedFrom = performance.now()
  probe.resume(f.kind)
  baseline.resume(f.kind)
  if (f.kind === 'kill') {
    // Mid-round, with writes in flight: acknowledged ones must survive the crash.
    await delay(round.dwellMs / 2)
    await cluster.kill(f.node)
    kills.killed++
    await delay(round.dwellMs / 2)
  } else {
    await delay(round.dwellMs)
  }
  await workloads.pause()
  await Promise.all([probe.pause(), baseline.pause()])
  const stalls = await ctx.stalls.end()
  const samples = probe.samples().get(f.kind)?.slice(taken.cluster) ?? []
  const propagation = {
    cluster: latencyStats(samples),
    hostBaseline: latencyStats(baseline.samples().get(f.kind)?.slice(taken.hostBaseline) ?? []),
    slowest: slowestSamples(samples, probe.links().get(f.kind)?.slice(taken.cluster) ?? [], probedFrom)
  }

  // Heal: network, fault layer, clocks, processes.
  ctx.mark(`round ${round.index}: heal`)
  await network?.heal()
  if (f.kind === 'latency' || f.kind === 'lossy') await Promise.all(all.filter(i => cluster.status(i) === 'up').map(async i => { await cluster.setFaults(i, {}) }))
  if (f.kind === 'skew') cluster.skew(f.node, 0)
  if (f.kind === 'pause') cluster.resume(f.node)
  // Killed, wiped and crashed nodes all come back on their data dir (a crash is reported, not fatal).
  let restartedAt: number | undefined
  for (const i of all) {
    if (cluster.status(i) !== 'killed' && cluster.status(i) !== 'crashed') continue
    // Its streams open while the harness waits for its rules file: the first event of each
    // dates that node's state, and stream set-up on a cold process is no convergence time.
    await cluster.restart(i, () => {
      probe.observe(i)
      mirror.observe(i)
    })
    restartedAt = performance.now()
  }
  const crashed = cluster.crashes().slice(crashesBefore).map(c => c.node)
  const measured = { ...base, stalls, propagation }
  ctx.mark(`round ${round.index}: healed; timing convergence`)
  const converged = await waitConverged(cluster, ctx.namespaces(), ctx.profile.convergeBoundMs, ctx.maxSkewMs(), mirror)
  if (f.kind === 'kill' && converged.convergeMs !== undefined) kills.rejoined++
  const more: Partial<RoundResult> = { ...(crashed.length > 0 ? { crashed } : {}), ...(converged.refuted > 0 ? { refuted: converged.refuted } : {}) }
  const change = converged.convergeMs !== undefined && converged.convergeMs > 0 ? mirror.lastChange() : undefined
  const lastChange = change === undefined ? undefined : `node ${change.node} ${change.namespace} ${change.kind}`
  if (lastChange !== undefined) ctx.mark(`round ${round.index}: last change before agreement: ${lastChange}`)
  const left = restartedAt === undefined ? 0 : Math.round(ctx.profile.warmupMs - (performance.now() - restartedAt))
  if (left > 0) {
    ctx.mark(`round ${round.index}: warm-up of restarted node(s), ${left} ms`)
    await warmUp(ctx, left)
    more.warmUpMs = left
  }
  if (converged.convergeMs !== undefined) return { ...measured, ...more, convergeMs: converged.convergeMs, ...(lastChange === undefined ? {} : { lastChange }) }
  if (converged.nodes.length === 0) return { ...measured, ...more, divergence: [`state unreadable: ${converged.error ?? 'unknown error'}`] }
  const d = divergentNodes(converged.nodes, ctx.namespaces(), expiryWindow(ctx.maxSkewMs()))
  return { ...measured, ...more, divergent: d.count, divergence: d.details }
}

async function applyFault (f: FaultStep, ctx: RoundContext): Promise<void> {
  const { cluster, network } = ctx
  const all = Array.from({ length: cluster.size }, (_, i) => i)
  const cut = async (a: number[], b: number[]): Promise<void> => {
    for (const x of a) for (const y of b) { await network?.block(x, y); await network?.block(y, x) }
  }
  switch (f.kind) {
    case 'clean': return
    case 'latency':
      for (const i of all) await cluster.setFaults(i, { '*': { delayMs: f.delayMs, jitterMs: f.jitterMs } })
      return
    case 'lossy':
      for (const i of all) await cluster.setFaults(i, { '*': { loss: f.loss, duplicate: f.duplicate, reorder: f.reorder } })
      return
    case 'partition': return await cut(f.groups[0], f.groups[1])
    case 'one-way': return await network?.block(f.from, f.to)
    case 'bridge': return await cut(f.left, f.right)
    case 'bandwidth': return await network?.bandwidth(f.node, f.kbit)
    case 'packet-loss': return await network?.lossy(f.node, f.probability)
    case 'link-down': return await network?.linkDown(f.node)
    case 'pause': return cluster.pause(f.node)
    case 'skew':
      ctx.onSkew(f.seconds)
      return cluster.skew(f.node, f.seconds)
    case 'kill':
    case 'wipe': return
  }
}

function openNodeLogs (dir: string, nodes: number): WriteStream[] {
  mkdirSync(dir, { recursive: true })
  return Array.from({ length: nodes }, (_, i) => createWriteStream(join(dir, `node-${i}.log`)))
}

/**
 * Workload and probes without a fault, their samples labelled "warm-up": a fresh process spends
 * its first seconds compiling its hot paths (a node's optimising compiler took 13–16% of a core
 * in its first two rounds and 1–4% 30 s later), which would load the host during
 * whichever round came next.
 */
async function warmUp (ctx: Pick<RoundContext, 'workloads' | 'probe' | 'baseline'>, ms: number): Promise<void> {
  ctx.workloads.resume()
  ctx.probe.resume('warm-up')
  ctx.baseline.resume('warm-up')
  await delay(ms)
  await ctx.workloads.pause()
  await Promise.all([ctx.probe.pause(), ctx.baseline.pause()])
}

async function delay (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

/** Where nodes may disagree on an entry's expiry: clock skew plus a margin around now. */
const expiryWindow = (skewMs: number): ExpiryWindow => ({ nowMs: Date.now(), uncertaintyMs: skewMs + EXPIRY_MARGIN_MS })

/**
 * Waits until every node shows identical state or the bound passes. With a mirror, the time is
 * when the live copies agreed, confirmed by a whole read of every node (only a whole read is
 * trusted); without one, or when the copies never agree, whole reads are polled.
 */
async function waitConverged (cluster: ChaosCluster, namespaces: string[], boundMs: number, skewMs: number, mirror?: StateMirror): Promise<{ convergeMs?: number, nodes: NodeState[], error?: string, refuted: number }> {
  const start = performance.now()
  const deadline = start + boundMs
  let refuted = 0
  let since = start
  for (;;) {
    const agreedAt = await mirror?.agreement(since, deadline, () => expiryWindow(skewMs))
    let nodes: NodeState[] = []
    let error: string | undefined
    try {
      nodes = await Promise.all(Array.from({ length: cluster.size }, async (_, i) => {
        try {
          return await readNode(cluster.client(i), namespaces)
        } catch (err) {
          throw new Error(`node ${i}: ${(err as Error).message}`)
        }
      }))
      if (divergentNodes(nodes, namespaces, expiryWindow(skewMs)).count === 0) {
        return { convergeMs: Math.round((agreedAt ?? performance.now()) - start), nodes, refuted }
      }
      if (agreedAt !== undefined) refuted++
    } catch (err) {
      error = (err as Error).message
    }
    if (performance.now() > deadline) return { nodes, error, refuted }
    since = performance.now()
    await delay(20)
  }
}

async function waitMembership (cluster: ChaosCluster): Promise<void> {
  const deadline = Date.now() + MEMBERSHIP_TIMEOUT_MS
  for (;;) {
    const counts = await Promise.all(Array.from({ length: cluster.size }, async (_, i) => {
      try {
        const s = await cluster.client(i).call('ClusterStatus', {})
        return (s.members as Array<{ state: string }>).filter(m => m.state === 'MEMBER_STATE_ALIVE').length
      } catch { return 0 }
    }))
    if (counts.every(c => c === cluster.size)) return
    if (Date.now() > deadline) throw new Error(`cluster did not form within ${MEMBERSHIP_TIMEOUT_MS} ms (alive members per node: ${counts.join(', ')})`)
    await delay(100)
  }
}
