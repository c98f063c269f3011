/**
 * The composition root: builds every component of a node from its configuration and starts
 * and stops them in order.
 *
 *   start: storage.open → store.start → sync engine → p2p (host, membership, sync streams,
 *          discovery) → gRPC + HTTP servers → "serving"
 *          (a failed step stops what already started, in reverse order)
 *   stop:  "stopping" (health NOT_SERVING) → dispatcher.drain → servers stop → p2p stop →
 *          sync engine stop → store.stop (flush) → storage.close; bounded by
 *          config.shutdownTimeoutMs, each step guarded, idempotent.
 */
import { join } from 'node:path'
import { createDispatcher, type Dispatcher } from '../kernel/dispatcher.js'
import { createHealthSyscalls, type HealthSyscalls } from '../kernel/health.js'
import { createContextSyscalls } from '../kernel/contexts.js'
import { createClusterSyscalls } from '../kernel/cluster.js'
import { createHlc } from '../crdt/hlc.js'
import { createDocumentStore, type DocumentStore } from '../crdt/document-store.js'
import { createEmbeddedLogStorage } from '../crdt/storage/embedded-log.js'
import { createWriteBehindStorage } from '../crdt/storage/write-behind.js'
import { loadKernelProto } from '../proto/load.js'
import { defaultClusterSecret } from '../transport/host.js'
import { camosUserAgent } from '../transport/membership.js'
import { createP2PNode, type P2PNode } from '../transport/p2p.js'
import { createReplication } from '../transport/replication.js'
import { createSyncEngine } from '../transport/sync/engine.js'
import { createFaultController } from '../transport/faults.js'
import { createGrpcServer, type GrpcServer } from './grpc-server.js'
import { createHttpServer, type HttpServer, type Readiness } from './http-server.js'
import { createJsonCodec } from './json.js'
import { createLogger } from './logger.js'
import { createNodeMetrics, type NodeMetrics } from './metrics.js'
import { loadNodeId } from './node-id.js'
import { packageVersion } from './version.js'
import type { NodeConfig } from './config.js'
import type { Logger, Startable } from '../crdt/types.js'
import type { StorageAdapter } from '../crdt/storage/adapter.js'
import type { SyscallHandler } from '../kernel/handler.js'
import type { SyscallName } from '../kernel/syscalls.js'

/** Sub-directory of the data dir holding the embedded log (one file per document). */
export const DOCS_DIR = 'docs'

export type StorageMode = 'embedded' | 'redis-behind' | 'redis-alone'
export type NodeState = 'created' | 'starting' | 'serving' | 'stopping' | 'stopped' | 'failed'

export interface NodeComponents {
  /** Defaults to a logger built from config.logLevel/logFormat, prefixed with the node id. */
  log?: Logger
}

export interface CamosNode extends Startable {
  readonly nodeId: string
  readonly version: string
  readonly config: NodeConfig
  readonly storageMode: StorageMode
  readonly dispatcher: Dispatcher
  readonly metrics: NodeMetrics
  state: () => NodeState
  /** Bound addresses (host:port), valid once started; port 0 in the config is resolved here. */
  addresses: () => { grpc: string, http: string }
  /** The libp2p peer id and listening multiaddrs (with /p2p/<peer id>, valid once started). */
  readonly p2p: Pick<P2PNode, 'peerId' | 'addresses' | 'members'>
  /** Read-only view of the node's documents (diagnostics; convergence checks in tests). */
  readonly documents: Pick<DocumentStore, 'names' | 'get'>
  /** True when no cluster secret was configured and the public development secret is in use. */
  readonly insecureClusterSecret: boolean
  readiness: () => Readiness
}

export function storageModeOf (config: NodeConfig): StorageMode {
  if (config.redis === undefined) return 'embedded'
  return config.redis.mode === 'alone' ? 'redis-alone' : 'redis-behind'
}

export async function createNode (config: NodeConfig, components: NodeComponents = {}): Promise<CamosNode> {
  const nodeId = await loadNodeId({ dataDir: config.dataDir, redis: config.redis })
  const log = components.log ?? createLogger({ level: config.logLevel, format: config.logFormat, nodeId })
  const version = packageVersion()
  const storageMode = storageModeOf(config)
  // The shutdown bound is split across its sequential steps: drain, servers, p2p, sync, store, storage.
  const stepMs = Math.max(100, Math.floor(config.shutdownTimeoutMs / 6))
  let state: NodeState = 'created'
  const startedAt = performance.now()

  const metrics = createNodeMetrics({ nodeId, version })
  const storage = await createStorage(config, storageMode, log, metrics, stepMs)
  const store = createDocumentStore({ storage, log: log.child('store'), metrics: metrics.documents }, { stopTimeoutMs: stepMs })
  const hlc = createHlc({}, { nodeId })

  const insecureClusterSecret = config.clusterSecret === undefined
  // Chaos mode only (config refuses it without CAMOS_CHAOS=1): every sync channel goes through the fault layer.
  const chaos = config.chaosControl === undefined ? undefined : createFaultController({ log: log.child('chaos') }, { path: config.chaosControl })
  const sync = createSyncEngine({
    store,
    log: log.child('sync'),
    metrics: metrics.sync,
    linkStuck: (peer, stuckMs) => { p2p.replaceConnections(peer, `sync link stuck for ${stuckMs} ms`) }
  }, {
    antiEntropyMs: chaos?.antiEntropyMs,
    onlyPeriodicRepair: chaos?.gapRepair === false
  })
  const p2p = await createP2PNode({
    log: log.child('p2p'),
    addChannel: channel => { sync.addChannel(chaos === undefined ? channel : chaos.wrap(channel)) },
    syncActivity: () => sync.stats().map(s => ({ peer: s.peer, idleMs: s.idleMs, lagMs: s.lagMs })),
    metrics: metrics.p2p
  }, {
    cluster: config.cluster,
    secret: config.clusterSecret ?? defaultClusterSecret(config.cluster),
    listen: [config.p2pListen],
    join: config.join,
    dataDir: config.dataDir,
    userAgent: camosUserAgent(version, nodeId),
    libp2pDebug: config.libp2pDebug,
    discovery: { memberExchange: config.memberExchange }
  })

  const health: HealthSyscalls = createHealthSyscalls({
    storageHealth: () => storage.health(),
    documentCount: () => store.names().length
  }, { nodeId, version, startedAt })

  // The syscall table: each subsystem contributes its handlers; the rest answer UNIMPLEMENTED.
  const replication = createReplication({ awaitAcks: sync.awaitAcks, members: p2p.members })
  const contexts = createContextSyscalls({ store, hlc, log: log.child('contexts'), replication }, {
    limits: { maxValueBytes: config.limits.maxValueBytes, maxKeys: config.limits.namespaceMaxKeys, maxBytes: config.limits.namespaceMaxBytes }
  })
  const handlers: Partial<Record<SyscallName, SyscallHandler>> = {
    ...contexts,
    HealthCheck: health.HealthCheck,
    ...createClusterSyscalls({ self: () => ({ peerId: p2p.peerId, addresses: p2p.addresses() }), members: p2p.members }, { cluster: config.cluster, nodeId, version })
  }

  const dispatcher = createDispatcher({ log: log.child('dispatcher'), metrics: metrics.kernel }, { handlers, deadlines: config.deadlines })
  const proto = loadKernelProto()

  function readiness (): Readiness {
    const report = health.report()
    const components = report.components.map(c => ({ name: c.name, state: c.state.replace('SERVING_STATE_', '').toLowerCase(), detail: c.detail }))
    if (state !== 'serving') return { ready: false, status: state, components }
    const status = report.state === 'SERVING_STATE_SERVING' ? 'serving' : report.state === 'SERVING_STATE_DEGRADED' ? 'degraded' : 'not_serving'
    return { ready: status !== 'not_serving', status, components }
  }

  const grpc: GrpcServer = createGrpcServer({ dispatcher, proto, log: log.child('grpc'), metrics: metrics.grpc }, { listen: config.grpcListen, shutdownMs: stepMs })
  const http: HttpServer = createHttpServer({
    dispatcher,
    codec: createJsonCodec(proto.root),
    log: log.child('http'),
    readiness,
    renderMetrics: metrics.render,
    metrics: metrics.http
  }, { listen: config.httpListen, shutdownMs: stepMs })

  metrics.watch({
    storageHealth: () => storage.health(),
    documentCount: () => store.names().length,
    ready: () => readiness().ready,
    memberCounts: p2p.counts,
    syncStats: sync.stats
  })

  const started = new Set<'storage' | 'store' | 'sync' | 'p2p' | 'grpc' | 'http'>()
  let starting: Promise<void> | undefined
  let stopping: Promise<void> | undefined

  /** Stops what has started: servers (in parallel), then the store (flush), then storage. */
  async function teardown (): Promise<void> {
    await Promise.all([
      started.has('grpc') ? guarded(log, 'gRPC server', stepMs, grpc.stop) : undefined,
      started.has('http') ? guarded(log, 'HTTP server', stepMs, http.stop) : undefined
    ])
    if (started.has('p2p')) await guarded(log, 'p2p host', stepMs, p2p.stop)
    if (started.has('sync')) await guarded(log, 'sync engine', stepMs, sync.stop)
    if (chaos !== undefined) await guarded(log, 'chaos faults', stepMs, chaos.stop)
    if (started.has('store')) await guarded(log, 'document store', stepMs, store.stop)
    if (started.has('storage')) await guarded(log, 'storage', stepMs, storage.close)
    started.clear()
  }

  async function doStart (): Promise<void> {
    state = 'starting'
    try {
      await storage.open()
      started.add('storage')
      await store.start()
      started.add('store')
      await sync.start()
      started.add('sync')
      await chaos?.start()
      await p2p.start()
      started.add('p2p')
      await grpc.start()
      started.add('grpc')
      await http.start()
      started.add('http')
    } catch (err) {
      state = 'failed'
      log.error('start failed; stopping what started', { err })
      await teardown()
      throw err
    }
    grpc.setServing(true)
    state = 'serving'
    if (insecureClusterSecret) log.warn(`NO CLUSTER SECRET: cluster "${config.cluster}" uses the development secret derived from its name, which anyone can compute; set --cluster-secret / CAMOS_CLUSTER_SECRET`)
    log.info('node serving', { nodeId, peerId: p2p.peerId, grpc: grpc.address(), http: http.address(), p2p: p2p.addresses(), storage: storageMode, dataDir: config.dataDir })
  }

  async function doStop (): Promise<void> {
    if (starting !== undefined) await starting.catch(() => {})
    if (state === 'serving') {
      state = 'stopping'
      grpc.setServing(false)
      await guarded(log, 'dispatcher drain', stepMs, async () => { await dispatcher.drain(stepMs) })
    }
    await teardown()
    state = 'stopped'
    log.info('node stopped')
  }

  return {
    nodeId,
    version,
    config,
    storageMode,
    dispatcher,
    metrics,
    state: () => state,
    addresses: () => ({ grpc: grpc.address(), http: http.address() }),
    p2p: { peerId: p2p.peerId, addresses: p2p.addresses, members: p2p.members },
    documents: { names: store.names, get: store.get },
    insecureClusterSecret,
    readiness,
    async start () {
      if (stopping !== undefined) throw new Error('node was stopped; create a new one')
      starting ??= doStart()
      await starting
    },
    async stop () {
      stopping ??= doStop()
      await stopping
    }
  }
}

async function createStorage (config: NodeConfig, mode: StorageMode, log: Logger, metrics: NodeMetrics, closeMs: number): Promise<StorageAdapter> {
  const embedded = (): StorageAdapter => {
    if (config.dataDir === undefined) throw new Error('the embedded log needs a data directory')
    return createEmbeddedLogStorage({ log: log.child('storage'), metrics: metrics.storage }, { dir: join(config.dataDir, DOCS_DIR), closeTimeoutMs: closeMs })
  }
  if (config.redis === undefined) return embedded()
  // Loaded only here: a node on the embedded log never pays for ioredis at start-up.
  const { createRedisStorage } = await import('../crdt/storage/redis.js')
  const redis = createRedisStorage({ log: log.child('redis') }, { url: config.redis.url, prefix: config.redis.prefix })
  if (mode === 'redis-alone') return redis
  return createWriteBehindStorage({ log: log.child('storage') }, { primary: embedded(), secondary: redis })
}

/** Runs one shutdown step: never throws, never waits past `ms`. */
async function guarded (log: Logger, name: string, ms: number, fn: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      fn(),
      new Promise<void>(resolve => { timer = setTimeout(() => { log.warn(`${name} did not stop within ${ms} ms; moving on`); resolve() }, ms) })
    ])
  } catch (err) {
    log.warn(`${name} failed to stop cleanly`, { err })
  } finally {
    clearTimeout(timer)
  }
}
