/**
 * bench:sync's cluster of real `camos start` processes over libp2p (chaos/node-process.ts),
 * and the Observe streams through which this process sees writes arrive on each node.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, startNodeProcess, type NodeProcess } from '../../chaos/node-process.js'
import { loadPrivateKey } from '../../transport/host.js'
import type { KernelClient } from '../../node/client.js'
import type { ClusterStatusResponse__Output } from '../../proto/gen/camos/v1/ClusterStatusResponse.js'
import type { ObserveEvent__Output } from '../../proto/gen/camos/v1/ObserveEvent.js'
import { rssMb } from './stats.js'

export const BENCH_CLUSTER_SECRET = 'bench'
/** How long a node may take to stop gracefully before it is killed, ms. */
export const STOP_GRACE_MS = 15_000

export interface BenchNode {
  proc: NodeProcess
  client: KernelClient
  dataDir: string
  /** This node's first listen multiaddr, with /p2p/<peer id>. */
  multiaddr: string
}

export interface BenchCluster {
  nodes: BenchNode[]
  /** Starts one more node joining `via` (a multiaddr); resolves once it answers HealthCheck. */
  add: (via?: string, dataDir?: string, p2pListen?: string) => Promise<BenchNode>
  stop: () => Promise<void>
}


export function nodeRss (nodes: BenchNode[]): number[] {
  return nodes.map(n => rssMb(n.proc.process.pid ?? 0))
}

export async function clusterStatus (node: BenchNode): Promise<ClusterStatusResponse__Output> {
  return await node.client.call('ClusterStatus', {})
}

export function aliveOthers (s: ClusterStatusResponse__Output): number {
  return s.members.filter(m => m.nodeId !== s.nodeId && m.state === 'MEMBER_STATE_ALIVE').length
}

/**
 * `registry` holds every cluster not yet stopped, so a failing run can stop them all.
 * `mallocHugePages: false` starts the nodes without the harness's malloc tunable (startNodeProcess).
 */
export function createBenchCluster (registry: Set<BenchCluster>, options: { mallocHugePages?: boolean } = {}): BenchCluster {
  const nodes: BenchNode[] = []
  const dirs: string[] = []
  const cluster: BenchCluster = {
    nodes,
    async add (via, dataDir, p2pListen) {
      const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'camos-bench-sync-'))
      if (!dirs.includes(dir)) dirs.push(dir)
      const args = ['--log-level', 'warn', '--p2p', p2pListen ?? '/ip4/127.0.0.1/tcp/0', '--cluster-secret', BENCH_CLUSTER_SECRET]
      if (via !== undefined) args.push('--join', via)
      const proc = await startNodeProcess({ dataDir: dir, args, mallocHugePages: options.mallocHugePages, onOutput: line => { if (/error|fatal/i.test(line)) console.error(`[node] ${line}`) } })
      const node: BenchNode = { proc, client: proc.client(), dataDir: dir, multiaddr: '' }
      nodes.push(node)
      node.multiaddr = (await clusterStatus(node)).members[0].addresses[0]
      return node
    },
    async stop () {
      registry.delete(cluster)
      await Promise.all(nodes.map(async n => {
        const timer = setTimeout(() => { void n.proc.kill() }, STOP_GRACE_MS)
        await n.proc.stop()
        clearTimeout(timer)
      }))
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    }
  }
  registry.add(cluster)
  return cluster
}

/** A fresh data dir holding a libp2p identity, and the peer id it gives (known before start). */
export async function preparedIdentity (): Promise<{ dataDir: string, peerId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'camos-bench-sync-'))
  const key = await loadPrivateKey(dataDir)
  return { dataDir, peerId: key.publicKey.toString() }
}

export async function loopbackListen (): Promise<{ listen: string, port: number }> {
  const port = await freePort()
  return { listen: `/ip4/127.0.0.1/tcp/${port}`, port }
}

/**
 * How often awaitMesh asks every node for its members, ms. Asking every 10 ms was load enough
 * to slow what it measured: 5 nodes forming a mesh on 2 cores took a median 0.74 s after all
 * were up when polled every 10 ms, 0.47 s every 50 ms (6 runs each, alternated).
 */
const MESH_POLL_MS = 50

/** Polls until every node sees `n - 1` alive members; resolves with the time each got there. */
export async function awaitMesh (nodes: BenchNode[], timeoutMs: number, onEach?: (i: number) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const done = new Set<number>()
  while (done.size < nodes.length) {
    await Promise.all(nodes.map(async (node, i) => {
      if (done.has(i)) return
      if (aliveOthers(await clusterStatus(node)) >= nodes.length - 1) { done.add(i); onEach?.(i) }
    }))
    if (done.size === nodes.length) return
    if (Date.now() > deadline) throw new Error(`no full mesh of ${nodes.length} nodes after ${timeoutMs} ms (${done.size} complete)`)
    await new Promise(resolve => setTimeout(resolve, MESH_POLL_MS))
  }
}

export interface Observer {
  /** Resolves once the node has subscribed (SYNCED sent). */
  synced: Promise<void>
  stop: () => Promise<void>
}

/** Follows a namespace (or one key of it) on `node`; `onPut` sees the key of every PUT. */
export function observe (node: BenchNode, request: { namespace: string, key?: string, changesOnly: boolean }, onPut: (key: string) => void): Observer {
  const controller = new AbortController()
  let markSynced!: () => void
  const synced = new Promise<void>(resolve => { markSynced = resolve })
  const selector = request.key === undefined ? { prefixAll: true } : { key: request.key }
  const streaming = node.client.stream<ObserveEvent__Output>('Observe', { namespace: request.namespace, ...selector, follow: true, changesOnly: request.changesOnly }, event => {
    if (event.kind === 'KIND_SYNCED') markSynced()
    else if ((event.kind === 'KIND_PUT' || event.kind === 'KIND_INITIAL') && event.entry != null) onPut(event.entry.key)
  }, { signal: controller.signal })
  const failed = streaming.then(() => { throw new Error('Observe stream ended before SYNCED') })
  const syncedOrFailed = Promise.race([synced, failed])
  // Stopping the stream ends it: that is a failure only for a caller still awaiting `synced`.
  syncedOrFailed.catch(() => {})
  return {
    synced: syncedOrFailed,
    async stop () {
      controller.abort()
      await streaming.catch(() => {})
    }
  }
}

/**
 * Counts the live keys of a namespace on `node`: the initial entries of non-following Observes,
 * one per key prefix, since a stream must send its initial entries within the syscall deadline
 * (5 s). Keys are `<namespace>-<n>` and the sentinel `<namespace>-end`.
 */
export async function countKeys (node: BenchNode, namespace: string): Promise<number> {
  let count = 0
  for (const suffix of ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'e']) {
    await node.client.stream<ObserveEvent__Output>('Observe', { namespace, prefix: `${namespace}-${suffix}` }, event => {
      if (event.kind === 'KIND_INITIAL') count++
    })
  }
  return count
}
