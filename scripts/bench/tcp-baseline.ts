/**
 * bench:sync's baseline: one writer and `readers` reader processes (scripts/bench/yjs-tcp-peer.ts)
 * syncing a Y.Doc over plain TCP with the sync protocol's framing. Measured like the cluster:
 * the write is requested from this process and its arrival on each reader reported back to it
 * (IPC instead of gRPC), all times on this process's clock.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { packageRoot } from '../../chaos/node-process.js'
import { cpuMs, nowMs, round, summarize, type LatencySummary } from './stats.js'

export interface TcpBaselineInit {
  readers: number
  latencyN: number
  warmup: number
  floodN: number
  /** Floods measured one after another; `throughput` is the median one. */
  floods: number
}

export interface SyncThroughput {
  n: number
  /** Time until the last update was visible on every other peer, ms. */
  ms: number
  /** Updates per second fully replicated. */
  updates_per_s: number
}

export interface PropagationResult {
  /** One sample per (write, receiving peer). */
  per_peer: LatencySummary
  /** One sample per write: until visible on every receiving peer. */
  everywhere: LatencySummary
  /**
   * CPU time per measured write (all threads, user + system, over the measured writes, so with
   * whatever else the process did meanwhile), ms: the writing process's, and the receiving
   * processes' mean. Absent where /proc is not readable.
   */
  cpu_per_write_ms?: { writer: number, receiver: number }
}

/** The processes whose CPU time a propagation measurement divides among its writes. */
export interface PropagationPids {
  writer: number
  receivers: number[]
}

function cpuOf (pids: PropagationPids): { writer: number, receivers: number[] } | undefined {
  try {
    return { writer: cpuMs(pids.writer), receivers: pids.receivers.map(cpuMs) }
  } catch {
    return undefined
  }
}

export interface TcpBaselineResult {
  latency: PropagationResult
  /** The median flood (by updates/s), and updates/s of every flood in order (as the clusters report them). */
  throughput: SyncThroughput & { rounds: number[] }
}

/** The median of several measurements by updates/s (the lower middle one of an even count). */
export function medianThroughput<T extends SyncThroughput> (rounds: T[]): T {
  const sorted = [...rounds].sort((a, b) => a.updates_per_s - b.updates_per_s)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}

interface PeerMessage { op: string, port?: number, key?: string, ms?: number }

/** One scripts/bench/yjs-tcp-peer.ts process: `next(op)` resolves with its next message of that op. */
export interface BaselinePeer {
  child: ChildProcess
  /** The process's pid (0 before it started). */
  pid: number
  next: (op: string) => Promise<PeerMessage>
}

/** The compiled peer (`npm run build`), also when this module runs from source, as in tests. */
const PEER_SCRIPT = join(packageRoot(), 'dist', 'scripts', 'bench', 'yjs-tcp-peer.js')

function startBaselinePeer (role: 'writer' | 'reader', onPut: (key: string) => void): BaselinePeer {
  const child = fork(PEER_SCRIPT, [role], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const waiters = new Map<string, Array<(m: PeerMessage) => void>>()
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', code => { reject(new Error(`baseline ${role} exited with code ${String(code)}`)) })
  })
  exited.catch(() => {})
  child.on('message', (m: PeerMessage) => {
    if (m.op === 'put') { onPut(m.key ?? ''); return }
    waiters.get(m.op)?.shift()?.(m)
  })
  return {
    child,
    pid: child.pid ?? 0,
    async next (op) {
      const message = new Promise<PeerMessage>(resolve => {
        const list = waiters.get(op) ?? []
        list.push(resolve)
        waiters.set(op, list)
      })
      return await Promise.race([message, exited])
    }
  }
}

/** Records, per watched key, the arrival time on each reader; resolves waits on full arrival. */
export function createArrivals (peers: number): {
  expect: (key: string) => { sentAt: number, done: Promise<number[]> }
  arrived: (peer: number, key: string) => void
} {
  const pending = new Map<string, { times: number[], left: number, resolve: (t: number[]) => void }>()
  return {
    expect (key) {
      let resolve!: (t: number[]) => void
      const done = new Promise<number[]>(r => { resolve = r })
      pending.set(key, { times: new Array<number>(peers).fill(NaN), left: peers, resolve })
      return { sentAt: nowMs(), done }
    },
    arrived (peer, key) {
      const p = pending.get(key)
      if (p === undefined || !Number.isNaN(p.times[peer])) return
      p.times[peer] = nowMs()
      if (--p.left === 0) { pending.delete(key); p.resolve(p.times) }
    }
  }
}

/** Sequential propagation: `send(key)` starts a write; arrivals are fed to `arrivals`. */
export async function measurePropagation (
  arrivals: ReturnType<typeof createArrivals>, n: number, warmup: number, send: (key: string) => Promise<unknown>, pids?: PropagationPids
): Promise<PropagationResult> {
  const perPeer: number[] = []
  const everywhere: number[] = []
  let start = nowMs()
  let cpuBefore: ReturnType<typeof cpuOf>
  for (let i = 0; i < warmup + n; i++) {
    if (i === warmup) {
      start = nowMs()
      cpuBefore = pids === undefined ? undefined : cpuOf(pids)
    }
    const key = `lat-${i}`
    const { sentAt, done } = arrivals.expect(key)
    await send(key)
    const times = await done
    if (i < warmup) continue
    for (const t of times) perPeer.push(t - sentAt)
    everywhere.push(Math.max(...times) - sentAt)
  }
  const wall = nowMs() - start
  const result: PropagationResult = { per_peer: summarize(perPeer, wall), everywhere: summarize(everywhere, wall) }
  const cpuAfter = pids === undefined ? undefined : cpuOf(pids)
  if (cpuBefore !== undefined && cpuAfter !== undefined && n > 0) {
    const spent = cpuAfter.receivers.reduce((sum, ms, r) => sum + ms - cpuBefore.receivers[r], 0)
    result.cpu_per_write_ms = {
      writer: round((cpuAfter.writer - cpuBefore.writer) / n, 3),
      receiver: round(spent / cpuAfter.receivers.length / n, 3)
    }
  }
  return result
}

/** How long the baseline's processes may take to start and connect, ms. */
const START_TIMEOUT_MS = 20_000

/** A baseline writer connected to its reader processes. */
export interface BaselineGroup {
  writer: BaselinePeer
  readers: BaselinePeer[]
  /** Stops every process of the group. */
  stop: () => Promise<void>
}

/**
 * Starts `readers` reader processes and a writer connected to all of them; `onPut(reader, key)`
 * reports each watched key a reader sees. Whatever started is stopped when this fails.
 */
export async function startBaselineGroup (readers: number, onPut: (reader: number, key: string) => void): Promise<BaselineGroup> {
  const peers: BaselinePeer[] = []
  const stop = async (): Promise<void> => { await Promise.all(peers.map(stopBaselinePeer)) }
  let timedOut = false
  // Stopping the processes rejects whatever start-up step is still waiting on them.
  const timer = setTimeout(() => { timedOut = true; void stop() }, START_TIMEOUT_MS)
  try {
    for (let r = 0; r < readers; r++) peers.push(startBaselinePeer('reader', key => { onPut(r, key) }))
    const ports = await Promise.all(peers.map(async p => (await p.next('listening')).port ?? 0))
    const writer = startBaselinePeer('writer', () => {})
    peers.push(writer)
    await writer.next('ready')
    const connected = writer.next('connected')
    writer.child.send({ op: 'connect', ports })
    await connected
    return { writer, readers: peers.slice(0, readers), stop }
  } catch (err) {
    await stop()
    throw timedOut ? new Error(`baseline peers did not start and connect within ${START_TIMEOUT_MS} ms`) : err
  } finally {
    clearTimeout(timer)
  }
}

export async function measureTcpBaseline (init: TcpBaselineInit): Promise<TcpBaselineResult> {
  const arrivals = createArrivals(init.readers)
  const group = await startBaselineGroup(init.readers, (r, key) => { arrivals.arrived(r, key) })
  const w = group.writer
  try {
    const pids = { writer: w.pid, receivers: group.readers.map(r => r.pid) }
    const latency = await measurePropagation(arrivals, init.latencyN, init.warmup, async key => { w.child.send({ op: 'set', key }) }, pids)

    const floods: SyncThroughput[] = []
    for (let r = 0; r < init.floods; r++) {
      const { sentAt, done } = arrivals.expect(`flood${r}-end`)
      w.child.send({ op: 'flood', prefix: `flood${r}`, n: init.floodN })
      const times = await done
      const ms = Math.max(...times) - sentAt
      floods.push({ n: init.floodN, ms, updates_per_s: Math.round(init.floodN / (ms / 1000)) })
    }
    return { latency, throughput: { ...medianThroughput(floods), rounds: floods.map(f => f.updates_per_s) } }
  } finally {
    await group.stop()
  }
}

async function stopBaselinePeer (peer: BaselinePeer): Promise<void> {
  if (peer.child.exitCode !== null || peer.child.signalCode !== null) return
  const exit = once(peer.child, 'exit')
  peer.child.kill('SIGTERM')
  await exit
}
