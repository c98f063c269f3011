/**
 * bench:sync's measurements on a running cluster: propagation latency, replicated throughput,
 * late-joiner catch-up and time to a full mesh. The client is this process, and every time is
 * taken on its clock: a write is timed from sending the syscall to its PUT arriving through an
 * Observe stream opened on each receiving node beforehand.
 *
 * "Fully replicated" is detected by a sentinel: every write goes through one node, so one Yjs
 * client writes them in order, and a Yjs document integrates one client's structs only in clock
 * order; a sentinel written after all others were acknowledged is visible on a node only once
 * all of them are. Counts are then checked exactly (untimed).
 */
import { runWindowed, nowMs, round } from './stats.js'
import { createArrivals, measurePropagation, medianThroughput, type PropagationResult, type SyncThroughput } from './tcp-baseline.js'
import {
  awaitMesh, countKeys, createBenchCluster, loopbackListen, observe, preparedIdentity,
  type BenchCluster, type BenchNode, type Observer
} from './cluster.js'

const VALUE = Buffer.alloc(100, 7)

export interface ClusterThroughput extends SyncThroughput {
  /** Writes acknowledged per second by the writing node during the flood. */
  acked_per_s: number
  /** Keys of the flood counted on every other node afterwards (exact check). */
  counted: number[]
}

export interface ClusterThroughputRounds extends ClusterThroughput {
  /** Updates/s of every flood, in order; the figures above are the median flood's. */
  rounds: number[]
}

async function observeAll (nodes: BenchNode[], request: { namespace: string, key?: string, changesOnly: boolean }, onPut: (peer: number, key: string) => void): Promise<Observer[]> {
  const observers = nodes.map((node, i) => observe(node, request, key => { onPut(i, key) }))
  await Promise.all(observers.map(async o => await o.synced))
  return observers
}

async function stopAll (observers: Observer[]): Promise<void> {
  await Promise.all(observers.map(async o => { await o.stop() }))
}

/** `n` sequential Remembers on `writer`, each timed until its PUT arrives on every other node. */
export async function clusterPropagation (writer: BenchNode, others: BenchNode[], n: number, warmup: number): Promise<PropagationResult> {
  const arrivals = createArrivals(others.length)
  const observers = await observeAll(others, { namespace: 'lat', changesOnly: true }, (peer, key) => { arrivals.arrived(peer, key) })
  try {
    const pids = { writer: writer.proc.process.pid ?? 0, receivers: others.map(o => o.proc.process.pid ?? 0) }
    return await measurePropagation(arrivals, n, warmup, async key =>
      await writer.client.call('Remember', { namespace: 'lat', key, value: VALUE }), pids)
  } finally {
    await stopAll(observers)
  }
}

/**
 * Writes `n` keys into `namespace` on `writer` (pipelined, `window` in flight) and a sentinel
 * after them; resolves when the sentinel is visible on every other node.
 */
export async function floodAndWait (writer: BenchNode, others: BenchNode[], namespace: string, n: number, window: number): Promise<{ ms: number, ackedMs: number }> {
  const sentinel = `${namespace}-end`
  const arrivals = createArrivals(others.length)
  const observers = await observeAll(others, { namespace, key: sentinel, changesOnly: true }, (peer, key) => { arrivals.arrived(peer, key) })
  try {
    const { sentAt, done } = arrivals.expect(sentinel)
    const pipe = writer.client.pipeline()
    const acked = await runWindowed(n, window, async i =>
      await pipe.call({ remember: { namespace, key: `${namespace}-${i}`, value: VALUE } }))
    pipe.end()
    await writer.client.call('Remember', { namespace, key: sentinel, value: VALUE })
    const times = await done
    return { ms: Math.max(...times) - sentAt, ackedMs: acked.wallMs }
  } finally {
    await stopAll(observers)
  }
}

/** `floods` floods of `n` fresh keys each (namespaces flood0, flood1, …); the median and all. */
export async function clusterThroughput (writer: BenchNode, others: BenchNode[], n: number, window: number, floods: number): Promise<ClusterThroughputRounds> {
  const results: ClusterThroughput[] = []
  for (let r = 0; r < floods; r++) {
    const namespace = `flood${r}`
    const { ms, ackedMs } = await floodAndWait(writer, others, namespace, n, window)
    const counted = await Promise.all(others.map(async node => await countKeys(node, namespace)))
    results.push({
      n,
      ms: round(ms, 1),
      updates_per_s: Math.round(n / (ms / 1000)),
      acked_per_s: Math.round(n / (ackedMs / 1000)),
      counted
    })
  }
  return { ...medianThroughput(results), rounds: results.map(f => f.updates_per_s) }
}

/**
 * The kernel's own ceiling: the same pipelined flood acknowledged by one node with no peers
 * (p2p on, nothing to replicate to), so replication's share of the cost can be told apart from
 * gRPC + Remember's.
 */
export async function singleNodeFlood (registry: Set<BenchCluster>, n: number, window: number): Promise<{ n: number, acked_per_s: number }> {
  const cluster = createBenchCluster(registry)
  try {
    const node = await cluster.add()
    const pipe = node.client.pipeline()
    const acked = await runWindowed(n, window, async i =>
      await pipe.call({ remember: { namespace: 'flood', key: `flood-${i}`, value: VALUE } }))
    pipe.end()
    return { n, acked_per_s: Math.round(n / (acked.wallMs / 1000)) }
  } finally {
    await cluster.stop()
  }
}

export interface CatchUpResult {
  keys: number
  /** Writing the keys into the cluster until visible on every member, ms. */
  load_ms: number
  /** From spawning the late joiner until it holds every key, ms (the target's figure). */
  from_spawn_ms: number
  /** From the joiner answering HealthCheck until it holds every key, ms. */
  from_ready_ms: number
  /** Keys counted on the joiner afterwards (exact check, sentinel included); -1 when it timed out. */
  counted: number
  /** The joiner did not hold every key within the deadline (the times are then the deadline). */
  timed_out: boolean
}

/** Loads `keys` keys into the cluster, then starts a node joining `cluster.nodes[joinIndex]`. */
export async function lateJoiner (cluster: BenchCluster, keys: number, window: number, joinIndex: number, timeoutMs: number): Promise<CatchUpResult> {
  const [writer, ...others] = cluster.nodes
  const load = await floodAndWait(writer, others, 'catchup', keys, window)
  const spawnAt = nowMs()
  const joiner = await cluster.add(cluster.nodes[joinIndex].multiaddr)
  const readyAt = nowMs()
  let caughtAt = 0
  let markCaught!: () => void
  const caught = new Promise<void>(resolve => { markCaught = resolve })
  // Not changesOnly: the sentinel may already be there (INITIAL) or arrive later (PUT).
  const observer = observe(joiner, { namespace: 'catchup', key: 'catchup-end', changesOnly: false }, () => { caughtAt = nowMs(); markCaught() })
  let timer: NodeJS.Timeout | undefined
  const timedOut = await Promise.race([
    caught.then(() => false),
    new Promise<boolean>(resolve => { timer = setTimeout(() => { resolve(true) }, timeoutMs) })
  ])
  clearTimeout(timer)
  await observer.stop()
  const end = timedOut ? nowMs() : caughtAt
  return {
    keys,
    load_ms: round(load.ms, 1),
    from_spawn_ms: round(end - spawnAt, 1),
    from_ready_ms: round(end - readyAt, 1),
    counted: timedOut ? -1 : await countKeys(joiner, 'catchup'),
    timed_out: timedOut
  }
}

export interface MeshResult {
  nodes: number
  /** From spawning all nodes until every one answers HealthCheck, ms. */
  all_ready_ms: number
  /** From spawning until every node sees all others alive, ms (the target's figure). */
  from_spawn_ms: number
  /** From every node answering HealthCheck until the full mesh, ms. */
  from_ready_ms: number
}

/**
 * Starts `n` nodes at once, each knowing only node 1 (whose identity and port are fixed up
 * front so all can spawn together); resolves with the cluster once all see each other alive.
 */
export async function startMesh (registry: Set<BenchCluster>, n: number, timeoutMs: number, options: { mallocHugePages?: boolean } = {}): Promise<{ cluster: BenchCluster, mesh: MeshResult }> {
  const cluster = createBenchCluster(registry, options)
  try {
    const identity = await preparedIdentity()
    const { listen } = await loopbackListen()
    const bootstrap = `${listen}/p2p/${identity.peerId}`
    const spawnAt = nowMs()
    await Promise.all([
      cluster.add(undefined, identity.dataDir, listen),
      ...Array.from({ length: n - 1 }, async () => await cluster.add(bootstrap))
    ])
    const readyAt = nowMs()
    await awaitMesh(cluster.nodes, timeoutMs)
    const meshAt = nowMs()
    // Node 1 first, so the caller's writer is the bootstrap node.
    cluster.nodes.sort((a, b) => Number(b.dataDir === identity.dataDir) - Number(a.dataDir === identity.dataDir))
    return {
      cluster,
      mesh: { nodes: n, all_ready_ms: round(readyAt - spawnAt, 1), from_spawn_ms: round(meshAt - spawnAt, 1), from_ready_ms: round(meshAt - readyAt, 1) }
    }
  } catch (err) {
    await cluster.stop()
    throw err
  }
}

/** Starts `n` nodes one after another, each joining the previous one; resolves at full mesh. */
export async function startChain (registry: Set<BenchCluster>, n: number, timeoutMs: number): Promise<BenchCluster> {
  const cluster = createBenchCluster(registry)
  try {
    for (let i = 0; i < n; i++) await cluster.add(cluster.nodes[i - 1]?.multiaddr)
    await awaitMesh(cluster.nodes, timeoutMs)
    return cluster
  } catch (err) {
    await cluster.stop()
    throw err
  }
}
