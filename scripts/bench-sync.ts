/**
 * bench:sync — replication of real `camos start` processes over libp2p, against Yjs sync over
 * plain TCP with the same framing measured in the same run (this machine is shared and noisy,
 * so ratios matter more than absolute figures).
 *
 * Baseline (scripts/bench/tcp-baseline.ts): one writer and N-1 reader processes, each holding a
 * Y.Doc; kernel-shaped version records written on the writer, every update framed like the sync
 * protocol and sent over a node:net socket.
 * Cluster (scripts/bench/cluster-sync.ts), with 3 nodes (each joining the previous one) and
 * with 5 (all started at once, each knowing only node 1):
 *   - propagation: sequential Remembers on node 1, each timed from sending the syscall until its
 *     PUT arrives through an Observe stream on each other node;
 *   - CPU per replicated write over those Remembers: the writer's, and each other node's mean
 *     (every thread, from /proc), beside the baseline's writer and readers over theirs;
 *   - replicated throughput: pipelined Remembers on node 1 until the last is visible everywhere,
 *     the median of FLOOD_ROUNDS floods (so is the baseline's: one flood of either swung the
 *     ratio between 0.34 and 0.55 from run to run);
 *   - late joiner (a 3-node cluster of its own, so it holds nothing but these keys): 100,000
 *     keys of 100 B loaded, then a new node joins node 2; timed from spawning it until it holds
 *     every key;
 *   - full mesh: from spawning 5 nodes until every ClusterStatus shows 4 alive members, also
 *     without the malloc huge-page tunable every node is otherwise started with
 *     (chaos/node-process.ts), for comparison;
 *   - RSS of every node (/proc/<pid>/status VmRSS).
 * Environment: BENCH_SCALE (default 1) multiplies every count.
 */
import '../node/polyfill.js'
import { printTable, round, writeResult, type LatencySummary } from './bench/stats.js'
import { measureTcpBaseline, type PropagationResult, type TcpBaselineResult } from './bench/tcp-baseline.js'
import { nodeRss, type BenchCluster } from './bench/cluster.js'
import {
  clusterPropagation, clusterThroughput, lateJoiner, singleNodeFlood, startChain, startMesh,
  type CatchUpResult, type ClusterThroughputRounds, type MeshResult
} from './bench/cluster-sync.js'

const SCALE = Number(process.env.BENCH_SCALE ?? '1')
const n = (x: number): number => Math.max(10, Math.round(x * SCALE))
const LATENCY_N = n(1_000)
/**
 * Writes before the measured ones, on the baseline and the cluster alike. Freshly spawned nodes
 * run their first few thousand writes through cold JIT: measured in rounds of 1,000 on 3 nodes,
 * p99 fell 10.8 → 10.1 → 8.7 → 7.2 ms before levelling off; the target is about steady state.
 */
const WARMUP = n(2_000)
const FLOOD_N = n(20_000)
const FLOOD_ROUNDS = 3
const CATCHUP_KEYS = n(100_000)
const WINDOW = 512
const MESH_TIMEOUT_MS = 30_000
const CATCHUP_TIMEOUT_MS = 60_000

interface ClusterFigures {
  nodes: number
  latency: PropagationResult
  throughput: ClusterThroughputRounds
  rss_mb: number[]
}

const active = new Set<BenchCluster>()

async function withCluster<T> (start: Promise<BenchCluster>, fn: (cluster: BenchCluster) => Promise<T>): Promise<T> {
  const cluster = await start
  try {
    return await fn(cluster)
  } finally {
    await cluster.stop()
  }
}

async function measureCluster (cluster: BenchCluster): Promise<ClusterFigures> {
  const [writer, ...others] = cluster.nodes
  progress(`${cluster.nodes.length} nodes: propagation`)
  const latency = await clusterPropagation(writer, others, LATENCY_N, WARMUP)
  progress(`${cluster.nodes.length} nodes: flood`)
  const throughput = await clusterThroughput(writer, others, FLOOD_N, WINDOW, FLOOD_ROUNDS)
  return { nodes: cluster.nodes.length, latency, throughput, rss_mb: nodeRss(cluster.nodes) }
}

const startedAt = Date.now()
/** Progress on stderr, so stdout ends with the JSON line. */
function progress (message: string): void {
  console.error(`[bench:sync +${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${message}`)
}

function ratio (a: number, b: number): number {
  return round(a / b, 3)
}

function cpuRatio (cluster: PropagationResult, baseline: PropagationResult, side: 'writer' | 'receiver'): number | undefined {
  const c = cluster.cpu_per_write_ms?.[side]
  const b = baseline.cpu_per_write_ms?.[side]
  return c === undefined || b === undefined || b === 0 ? undefined : ratio(c, b)
}

function printResults (base3: TcpBaselineResult, base5: TcpBaselineResult, c3: ClusterFigures, c5: ClusterFigures, catchUp: CatchUpResult, mesh: MeshResult, plainMesh: MeshResult): void {
  const rows: Array<[string, LatencySummary]> = [
    ['baseline TCP, 1→2 readers: per reader', base3.latency.per_peer],
    ['baseline TCP, 1→2 readers: all readers', base3.latency.everywhere],
    ['3 nodes libp2p: per node', c3.latency.per_peer],
    ['3 nodes libp2p: all nodes', c3.latency.everywhere],
    ['baseline TCP, 1→4 readers: per reader', base5.latency.per_peer],
    ['baseline TCP, 1→4 readers: all readers', base5.latency.everywhere],
    ['5 nodes libp2p: per node', c5.latency.per_peer],
    ['5 nodes libp2p: all nodes', c5.latency.everywhere]
  ]
  printTable(`bench:sync — propagation of ${LATENCY_N} sequential writes after ${WARMUP} warm-up writes, request → visible (scale ${SCALE})`, rows)
  const cpu = (r: PropagationResult): string => r.cpu_per_write_ms === undefined ? '| – | –' : `| ${r.cpu_per_write_ms.writer} | ${r.cpu_per_write_ms.receiver}`
  console.log(`\nCPU per replicated write, ms (the same ${LATENCY_N} writes; every thread of each process, user + system, from /proc; receivers: the mean)`)
  console.log('| measurement | writer | each receiver |')
  console.log('|---|---:|---:|')
  console.log(`| baseline TCP, 1→2 readers ${cpu(base3.latency)} |`)
  console.log(`| 3 nodes libp2p ${cpu(c3.latency)} |`)
  console.log(`| baseline TCP, 1→4 readers ${cpu(base5.latency)} |`)
  console.log(`| 5 nodes libp2p ${cpu(c5.latency)} |`)
  console.log(`\nreplicated throughput (floods of ${FLOOD_N} writes of 100 B, until the last is visible everywhere; the median of ${FLOOD_ROUNDS})`)
  console.log('| measurement | ms | updates/s | every flood, updates/s | writes acked/s on node 1 | keys counted on the others |')
  console.log('|---|---:|---:|---|---:|---|')
  console.log(`| baseline TCP, 1→2 readers | ${round(base3.throughput.ms, 1)} | ${base3.throughput.updates_per_s} | ${base3.throughput.rounds.join(', ')} | | |`)
  console.log(`| 3 nodes libp2p | ${c3.throughput.ms} | ${c3.throughput.updates_per_s} | ${c3.throughput.rounds.join(', ')} | ${c3.throughput.acked_per_s} | ${c3.throughput.counted.join(', ')} |`)
  console.log(`| baseline TCP, 1→4 readers | ${round(base5.throughput.ms, 1)} | ${base5.throughput.updates_per_s} | ${base5.throughput.rounds.join(', ')} | | |`)
  console.log(`| 5 nodes libp2p | ${c5.throughput.ms} | ${c5.throughput.updates_per_s} | ${c5.throughput.rounds.join(', ')} | ${c5.throughput.acked_per_s} | ${c5.throughput.counted.join(', ')} |`)
  if (catchUp.timed_out) console.log(`\nlate joiner: did NOT hold all ${catchUp.keys} keys within ${CATCHUP_TIMEOUT_MS} ms of spawning`)
  else console.log(`\nlate joiner: ${catchUp.keys} keys loaded into 3 nodes in ${catchUp.load_ms} ms; the 4th node (joining node 2) held all of them ` +
    `${catchUp.from_spawn_ms} ms after spawning (${catchUp.from_ready_ms} ms after answering HealthCheck); counted ${catchUp.counted} keys (sentinel included)`)
  console.log(`full mesh of ${mesh.nodes} (each knowing only node 1): ${mesh.from_spawn_ms} ms from spawning ` +
    `(all answered HealthCheck after ${mesh.all_ready_ms} ms, mesh ${mesh.from_ready_ms} ms later); ` +
    `without the malloc huge-page tunable ${plainMesh.from_spawn_ms} ms (${plainMesh.all_ready_ms} + ${plainMesh.from_ready_ms})`)
  console.log(`RSS MiB: 3 nodes ${c3.rss_mb.join(', ')} (4 after catch-up, see JSON); 5 nodes ${c5.rss_mb.join(', ')}`)
}

async function main (): Promise<void> {
  progress('baseline: plain TCP')
  const base3 = await measureTcpBaseline({ readers: 2, latencyN: LATENCY_N, warmup: WARMUP, floodN: FLOOD_N, floods: FLOOD_ROUNDS })
  const base5 = await measureTcpBaseline({ readers: 4, latencyN: LATENCY_N, warmup: WARMUP, floodN: FLOOD_N, floods: FLOOD_ROUNDS })

  progress('1 node, no peers: flood (kernel ceiling)')
  const single = await singleNodeFlood(active, FLOOD_N, WINDOW)

  progress('3 nodes: starting')
  const c3 = await withCluster(startChain(active, 3, MESH_TIMEOUT_MS), measureCluster)
  progress(`3 new nodes: loading ${CATCHUP_KEYS} keys, then a late joiner`)
  const { catchUp, rssAfterCatchUp } = await withCluster(startChain(active, 3, MESH_TIMEOUT_MS), async cluster => {
    const catchUp = await lateJoiner(cluster, CATCHUP_KEYS, WINDOW, 1, CATCHUP_TIMEOUT_MS)
    return { catchUp, rssAfterCatchUp: nodeRss(cluster.nodes) }
  })

  progress('5 nodes: starting at once without the malloc huge-page tunable')
  const plain = await startMesh(active, 5, MESH_TIMEOUT_MS, { mallocHugePages: false })
  await plain.cluster.stop()
  progress('5 nodes: starting at once')
  const started = await startMesh(active, 5, MESH_TIMEOUT_MS)
  const mesh = started.mesh
  const c5 = await withCluster(Promise.resolve(started.cluster), measureCluster)

  printResults(base3, base5, c3, c5, catchUp, mesh, plain.mesh)
  console.log(`kernel ceiling: one node without peers acknowledged the same flood at ${single.acked_per_s} writes/s ` +
    `(replicated/ceiling: 3 nodes ${ratio(c3.throughput.updates_per_s, single.acked_per_s)}, 5 nodes ${ratio(c5.throughput.updates_per_s, single.acked_per_s)})`)
  const ratios = {
    throughput_3_vs_tcp: ratio(c3.throughput.updates_per_s, base3.throughput.updates_per_s),
    throughput_5_vs_tcp: ratio(c5.throughput.updates_per_s, base5.throughput.updates_per_s),
    throughput_3_vs_single_node: ratio(c3.throughput.updates_per_s, single.acked_per_s),
    throughput_5_vs_single_node: ratio(c5.throughput.updates_per_s, single.acked_per_s),
    latency_3_p50_vs_tcp: ratio(c3.latency.per_peer.p50_ms, base3.latency.per_peer.p50_ms),
    latency_3_p99_vs_tcp: ratio(c3.latency.per_peer.p99_ms, base3.latency.per_peer.p99_ms),
    latency_5_p50_vs_tcp: ratio(c5.latency.per_peer.p50_ms, base5.latency.per_peer.p50_ms),
    latency_5_p99_vs_tcp: ratio(c5.latency.per_peer.p99_ms, base5.latency.per_peer.p99_ms),
    cpu_writer_5_vs_tcp: cpuRatio(c5.latency, base5.latency, 'writer'),
    cpu_receiver_5_vs_tcp: cpuRatio(c5.latency, base5.latency, 'receiver')
  }
  const targets = {
    propagation_3_p99_le_10ms: c3.latency.per_peer.p99_ms <= 10,
    propagation_5_p99_le_25ms: c5.latency.per_peer.p99_ms <= 25,
    throughput_3_ge_half_tcp: ratios.throughput_3_vs_tcp >= 0.5,
    throughput_5_ge_half_tcp: ratios.throughput_5_vs_tcp >= 0.5,
    catch_up_100k_le_3s: !catchUp.timed_out && catchUp.from_spawn_ms <= 3_000 && catchUp.counted === CATCHUP_KEYS + 1,
    full_mesh_5_le_3s: mesh.from_spawn_ms <= 3_000
  }
  console.log(`\nratios libp2p/TCP: throughput 3 nodes ${ratios.throughput_3_vs_tcp}, 5 nodes ${ratios.throughput_5_vs_tcp}; ` +
    `latency p50/p99 3 nodes ${ratios.latency_3_p50_vs_tcp}/${ratios.latency_3_p99_vs_tcp}, 5 nodes ${ratios.latency_5_p50_vs_tcp}/${ratios.latency_5_p99_vs_tcp}; ` +
    `CPU per write 5 nodes: writer ${ratios.cpu_writer_5_vs_tcp ?? '–'}, receiver ${ratios.cpu_receiver_5_vs_tcp ?? '–'}`)
  console.log(`targets${SCALE === 1 ? '' : ` (scale ${SCALE}: counts reduced, not comparable)`}: ` +
    Object.entries(targets).map(([k, v]) => `${k}=${v ? 'met' : 'MISSED'}`).join(', '))
  writeResult('sync', {
    bench: 'sync',
    scale: SCALE,
    baseline_tcp_3: base3,
    baseline_tcp_5: base5,
    single_node_flood: single,
    cluster_3: c3,
    cluster_5: c5,
    catch_up: { ...catchUp, rss_mb_after: rssAfterCatchUp },
    mesh_5: mesh,
    mesh_5_without_malloc_huge_pages: plain.mesh,
    ratios,
    targets
  })
}

async function stopActive (): Promise<void> {
  await Promise.all([...active].map(async c => { await c.stop() }))
}

function fail (err: unknown): void {
  console.error(err)
  void stopActive().finally(() => process.exit(1))
}

process.once('SIGINT', () => { void stopActive().finally(() => process.exit(130)) })
process.once('SIGTERM', () => { void stopActive().finally(() => process.exit(143)) })
process.once('uncaughtException', fail)
process.once('unhandledRejection', fail)
main().catch(fail)
