/**
 * Prometheus metrics of one node, on its own Registry (never prom-client's global one, so
 * several nodes can live in one process). Names are `camos_*`. Components receive only the
 * narrow sink they need (`kernel` for the dispatcher, `storage` for adapters, …); values that
 * are cheaper to read than to push (storage state, backlog, documents) are read at scrape time
 * from the sources given to `watch`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { KernelMetrics } from '../kernel/dispatcher.js'
import type { StorageHealth, StorageHealthState, StorageMetrics } from '../crdt/storage/adapter.js'
import type { DocumentStoreMetrics } from '../crdt/document-store.js'
import { MEMBER_STATES, type MemberState } from '../transport/membership.js'
import type { P2PMetrics } from '../transport/p2p.js'
import type { PeerSyncStats, SyncMetrics } from '../transport/sync/engine.js'

export const METRICS_PREFIX = 'camos_'
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** Syscall latency buckets, seconds: sub-millisecond reads up to bulk restores. */
export const SYSCALL_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
/** fsync latency buckets, seconds. */
export const FSYNC_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
/** Compaction and persist latency buckets, seconds. */
export const PERSIST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]
/** Group-commit batch size buckets, updates per fsync. */
export const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

const STORAGE_STATES: StorageHealthState[] = ['ok', 'degraded', 'down']

export interface GrpcMetrics {
  streamOpened: (method: string) => void
  streamClosed: (method: string) => void
  pipelineInFlight: (delta: number) => void
}

export interface HttpMetrics {
  connectionOpened: () => void
  connectionClosed: () => void
  request: (route: string, status: number) => void
}

export interface MetricSources {
  storageHealth?: () => StorageHealth
  documentCount?: () => number
  ready?: () => boolean
  memberCounts?: () => Record<MemberState, number>
  syncStats?: () => PeerSyncStats[]
}

export interface NodeMetrics {
  registry: Registry
  kernel: KernelMetrics
  storage: StorageMetrics
  documents: DocumentStoreMetrics
  grpc: GrpcMetrics
  http: HttpMetrics
  p2p: P2PMetrics
  sync: SyncMetrics
  /** Values read at scrape time. Later calls replace earlier sources of the same name. */
  watch: (sources: MetricSources) => void
  /** The exposition text for GET /metrics. */
  render: () => Promise<string>
}

export interface NodeMetricsInit {
  nodeId: string
  version: string
  /** Process/runtime metrics (CPU, memory, event loop lag); on by default. */
  defaultMetrics?: boolean
}

export function createNodeMetrics (init: NodeMetricsInit): NodeMetrics {
  const registry = new Registry()
  const sources: MetricSources = {}
  const registers = [registry]
  if (init.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX })
    // prom-client also names three gauges *_total, which promtool rejects (only counters may
    // end in _total); camos_nodejs_active_resources{type} carries the same information.
    for (const name of ['active_handles', 'active_requests', 'active_resources']) {
      registry.removeSingleMetric(`${METRICS_PREFIX}nodejs_${name}_total`)
    }
  }

  const info = new Gauge({ name: 'camos_node_info', help: 'Constant 1, labelled with the node id and version.', labelNames: ['node_id', 'version'], registers })
  info.set({ node_id: init.nodeId, version: init.version }, 1)

  // Scrape-time gauges: `registers` keeps them, collect() reads the sources.
  new Gauge({
    name: 'camos_ready',
    help: '1 when the node is serving syscalls, 0 otherwise.',
    registers,
    collect () { this.set(sources.ready?.() === true ? 1 : 0) }
  })

  const duration = new Histogram({
    name: 'camos_syscall_duration_seconds',
    help: 'Syscall latency from dispatch to answer, by syscall and outcome code.',
    labelNames: ['syscall', 'code'],
    buckets: SYSCALL_BUCKETS,
    registers
  })
  const total = new Counter({ name: 'camos_syscalls_total', help: 'Syscalls answered, by syscall and outcome code.', labelNames: ['syscall', 'code'], registers })

  const fsync = new Histogram({ name: 'camos_storage_fsync_duration_seconds', help: 'Duration of one group-commit fsync.', buckets: FSYNC_BUCKETS, registers })
  const batch = new Histogram({ name: 'camos_storage_fsync_batch_size', help: 'Updates made durable by one group-commit fsync.', buckets: BATCH_BUCKETS, registers })

  const compaction = new Histogram({ name: 'camos_storage_compaction_duration_seconds', help: 'Duration of one compaction of a document\'s stored updates.', buckets: PERSIST_BUCKETS, registers })
  const reclaimed = new Counter({ name: 'camos_storage_compaction_reclaimed_bytes_total', help: 'Bytes freed by compactions (size before minus after).', registers })

  const persist = new Histogram({ name: 'camos_document_persist_duration_seconds', help: 'Time to make one batch of document updates durable.', buckets: PERSIST_BUCKETS, registers })
  const persistedUpdates = new Counter({ name: 'camos_document_persisted_updates_total', help: 'Document updates made durable.', registers })
  const persistedBytes = new Counter({ name: 'camos_document_persisted_bytes_total', help: 'Bytes of document updates made durable.', registers })
  const persistFailures = new Counter({ name: 'camos_document_persist_failures_total', help: 'Failed attempts to persist document updates (retried).', registers })
  const compactions = new Counter({ name: 'camos_document_compactions_total', help: 'Document compactions to a snapshot.', registers })

  new Gauge({
    name: 'camos_storage_state',
    help: 'Storage health: 1 for the current state (ok, degraded, down), 0 for the others.',
    labelNames: ['state'],
    registers,
    collect () {
      const current = sources.storageHealth?.().state
      for (const state of STORAGE_STATES) this.set({ state }, current === state ? 1 : 0)
    }
  })
  new Gauge({
    name: 'camos_storage_backlog',
    help: 'Updates acknowledged by the primary store and not yet written to the secondary (write-behind).',
    registers,
    collect () { this.set(sources.storageHealth?.().backlog ?? 0) }
  })
  new Gauge({
    name: 'camos_documents',
    help: 'Yjs documents held by this node.',
    registers,
    collect () { this.set(sources.documentCount?.() ?? 0) }
  })

  const streams = new Gauge({ name: 'camos_grpc_active_streams', help: 'Open gRPC streaming calls, by method.', labelNames: ['method'], registers })
  const pipeline = new Gauge({ name: 'camos_grpc_pipeline_in_flight', help: 'Pipelined calls received and not yet answered, over all Pipeline streams.', registers })
  const httpConnections = new Gauge({ name: 'camos_http_open_connections', help: 'Open HTTP connections.', registers })
  const httpRequests = new Counter({ name: 'camos_http_requests_total', help: 'HTTP requests answered, by route and status.', labelNames: ['route', 'status'], registers })

  new Gauge({
    name: 'camos_cluster_members',
    help: 'Cluster members known to this node (itself excluded), by liveness state.',
    labelNames: ['state'],
    registers,
    collect () {
      const counts = sources.memberCounts?.()
      for (const state of MEMBER_STATES) this.set({ state }, counts?.[state] ?? 0)
    }
  })
  const violations = new Counter({ name: 'camos_p2p_frame_violations_total', help: 'Sync streams aborted for a framing violation by the peer (oversized or malformed frame).', labelNames: ['reason'], registers })
  const carrierLosses = new Counter({ name: 'camos_p2p_carrier_losses_total', help: 'Losses of carrier by an interface that cluster traffic routes through: connections through it were closed and dials held until the carrier returned.', registers })
  // Sync frames are counted in plain numbers and handed to prom-client at scrape time: its inc()
  // builds and hashes a label key on every call, and these count every frame to and from every peer.
  const frameCounts = { in: new Map<string, { frames: number, bytes: number }>(), out: new Map<string, { frames: number, bytes: number }>() }
  new Counter({
    name: 'camos_sync_frames_total',
    help: 'Sync frames sent and received, by direction and kind.',
    labelNames: ['direction', 'kind'],
    registers,
    collect () {
      this.reset()
      for (const direction of ['in', 'out'] as const) {
        for (const [kind, { frames }] of frameCounts[direction]) this.inc({ direction, kind }, frames)
      }
    }
  })
  new Counter({
    name: 'camos_sync_bytes_total',
    help: 'Sync frame bytes sent and received, by direction and kind (step2: state answers and repairs, update(s): live writes).',
    labelNames: ['direction', 'kind'],
    registers,
    collect () {
      this.reset()
      for (const direction of ['in', 'out'] as const) {
        for (const [kind, { bytes }] of frameCounts[direction]) this.inc({ direction, kind }, bytes)
      }
    }
  })
  const countFrame = (direction: 'in' | 'out', kind: string, bytes: number): void => {
    const counts = frameCounts[direction]
    const count = counts.get(kind)
    if (count === undefined) {
      counts.set(kind, { frames: 1, bytes })
    } else {
      count.frames++
      count.bytes += bytes
    }
  }
  const syncErrors = new Counter({ name: 'camos_sync_peer_errors_total', help: 'Sync channels closed for a protocol violation by the peer, by reason.', labelNames: ['reason'], registers })
  const syncResyncs = new Counter({ name: 'camos_sync_resyncs_total', help: 'Live update queues dropped for a full state-vector resync of a peer.', registers })
  const syncStuckLinks = new Counter({ name: 'camos_sync_stuck_links_total', help: 'Connections to a peer replaced because every ack on them came late while the other links kept up.', registers })
  new Gauge({
    name: 'camos_sync_lag_seconds',
    help: 'How long the oldest live update to a peer has waited to be sent or acknowledged, by peer (0: none waiting).',
    labelNames: ['peer'],
    registers,
    collect () {
      this.reset()
      for (const s of sources.syncStats?.() ?? []) this.set({ peer: s.peer }, s.lagMs / 1000)
    }
  })

  // Labelled children cached per (syscall, outcome), so a syscall's observation skips building
  // its label object (prom-client still checks and hashes the labels each time).
  const perSyscall = new Map<string, { duration: { observe: (v: number) => void }, total: { inc: () => void } }>()

  return {
    registry,
    kernel: {
      observeSyscall (syscall, outcome, seconds) {
        const id = `${syscall}\0${outcome}`
        let m = perSyscall.get(id)
        if (m === undefined) {
          m = { duration: duration.labels(syscall, outcome), total: total.labels(syscall, outcome) }
          perSyscall.set(id, m)
        }
        m.duration.observe(seconds)
        m.total.inc()
      }
    },
    storage: {
      observeFsync (seconds, batchSize) {
        fsync.observe(seconds)
        batch.observe(batchSize)
      },
      observeCompaction (seconds, bytesBefore, bytesAfter) {
        compaction.observe(seconds)
        reclaimed.inc(Math.max(0, bytesBefore - bytesAfter))
      }
    },
    documents: {
      persisted (_doc, updates, bytes, seconds) {
        persist.observe(seconds)
        persistedUpdates.inc(updates)
        persistedBytes.inc(bytes)
      },
      persistFailed: () => { persistFailures.inc() },
      compacted: () => { compactions.inc() }
    },
    grpc: {
      streamOpened: method => { streams.inc({ method }) },
      streamClosed: method => { streams.dec({ method }) },
      pipelineInFlight: delta => { pipeline.inc(delta) }
    },
    http: {
      connectionOpened: () => { httpConnections.inc() },
      connectionClosed: () => { httpConnections.dec() },
      request: (route, status) => { httpRequests.inc({ route, status: String(status) }) }
    },
    p2p: {
      frameViolation: reason => { violations.inc({ reason }) },
      carrierLost: interfaces => { carrierLosses.inc(interfaces) }
    },
    sync: {
      frameIn: (_peer, kind, bytes) => { countFrame('in', kind, bytes) },
      frameOut: (_peer, kind, bytes) => { countFrame('out', kind, bytes) },
      peerError: (_peer, reason) => { syncErrors.inc({ reason }) },
      resync: () => { syncResyncs.inc() },
      linkStuck: () => { syncStuckLinks.inc() }
    },
    watch (next) { Object.assign(sources, next) },
    render: async () => await registry.metrics()
  }
}
