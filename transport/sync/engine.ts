/**
 * The document sync engine (protocol /camos/sync/1.0.0): replicates every kernel document of
 * the DocumentStore over one SyncChannel per peer. Contract for the transport (see channel.ts):
 * the transport calls addChannel() for each opened sync stream, the engine owns it from then on.
 */
import * as Y from 'yjs'
import { peerOrigin } from '../../crdt/origin.js'
import type { DocumentStore } from '../../crdt/document-store.js'
import type { Logger, Startable } from '../../crdt/types.js'
import type { SyncChannel } from './channel.js'
import { covers, raise } from './clocks.js'
import { createDigestAnswers } from './digest-answers.js'
import { createDigestCache, entryDigest, type Digest, type DocDigest } from './digests.js'
import { encodePeers, encodeStep1, type DigestEntry } from './frame-codec.js'
import { createPeerSession, type PeerCounters, type PeerSession } from './peer-session.js'
import { createStateRequests } from './state-requests.js'
import { createStuckLinks, type StuckLinksInit } from './stuck-links.js'

/**
 * Live updates are collected this long, then framed per document and sent; 0 = until the next
 * turn of the event loop (setImmediate), which batches a flood as well and measured ~1.4 ms
 * lower p50 and half the 5-node p99 propagation of 2 ms (npm run bench:sync).
 */
export const DEFAULT_SYNC_BATCH_MS = 0
/** Frames above this size are chunked: well under the transport's frame limit. */
export const DEFAULT_CHUNK_BYTES = 256 * 1024
/** Largest frame accepted from a peer (a chunk plus its header fits easily). */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024
/** Largest chunked message (e.g. a whole document's SyncStep2) accepted from a peer. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024
/** Live update bytes (and, separately, reply bytes) queued for one peer. */
export const DEFAULT_MAX_QUEUE_BYTES = 32 * 1024 * 1024
/** Period of the anti-entropy state-vector exchange. */
export const DEFAULT_ANTI_ENTROPY_MS = 2_000
/**
 * After a digest repair of a document was sent to a peer, further repairs of it wait until the
 * peer's digests show it had received the repair (they number the digests they answer: see
 * frame-codec.ts), or its ack of that document, or this many anti-entropy periods: a joiner
 * still receiving a large repair keeps announcing its old state, and answering each digest
 * again would bury it. A repair that arrived and still left the peer behind (it was lost, or the
 * document moved on) is sent again at the next digest.
 */
export const DEFAULT_REPAIR_HOLD_PERIODS = 5
/**
 * An update applied with gaps (its predecessors never arrived: a lost frame) makes the node ask
 * that peer for what it lacks at once, at most this often per peer and document, instead of
 * waiting for the next anti-entropy round.
 */
export const DEFAULT_GAP_REPAIR_MS = 250
/**
 * Tail-loss probe: when live updates sent to a peer are still unacked this long after the last
 * of them, the node sends that peer a digest asking for one back, and both repair what the
 * other lacks. A lost update followed by more writes is caught by the gap request; this catches
 * the last updates before a quiet spell (say, a partition healing after the writes stopped),
 * which otherwise waited for the next anti-entropy round.
 */
export const DEFAULT_LOSS_PROBE_MS = 300
/**
 * A peer whose live updates from this node have waited this long for an ack no longer counts as
 * reached directly: the node's PEERS announcement drops it, and the other peers relay this
 * node's updates to it (a one-way or non-transitive partition). Peers that ack are left out
 * of relaying, which in a full mesh would send every update to every node once per peer.
 */
export const DEFAULT_DIRECT_STALE_MS = 500
/** How often the directly reached peers are re-evaluated (and announced when they changed), and stuck links looked for, ms. */
const DIRECT_CHECK_MS = 100
/** Room a chunk frame needs beyond its part (kind, id, index, count, total, part length). */
const CHUNK_HEADER_BYTES = 64

/** Optional metrics hooks, implemented by node/ (e.g. with prom-client). */
export interface SyncMetrics {
  frameIn: (peer: string, kind: string, bytes: number) => void
  frameOut: (peer: string, kind: string, bytes: number) => void
  /** A channel closed for a protocol violation (malformed, oversized, unknown frame...). */
  peerError: (peer: string, reason: string) => void
  /** A peer's live queue overflowed and was replaced by a full state-vector exchange. */
  resync: (peer: string) => void
  /** A link was found stuck and its connection handed over for replacement (stuck-links.ts). */
  linkStuck: (peer: string) => void
}

export interface SyncEngineComponents {
  store: DocumentStore
  log: Logger
  metrics?: SyncMetrics
  /** The link to `peer` is stuck on its own (stuck-links.ts): the transport replaces its connection. */
  linkStuck?: (peer: string, stuckMs: number) => void
}

export interface SyncEngineInit {
  /** Live updates are collected for this long before being framed and sent (0 = next tick). */
  batchMs?: number
  /** Encoded frames larger than this are split into chunk frames. */
  chunkBytes?: number
  /** Largest frame accepted from a peer; larger closes the channel. */
  maxFrameBytes?: number
  /** Largest reassembled chunked message accepted from a peer. */
  maxMessageBytes?: number
  /** Live update bytes queued for one peer before its queue is dropped for a full resync. */
  maxQueueBytes?: number
  /** Period of the state-vector anti-entropy exchange. */
  antiEntropyMs?: number
  /** Anti-entropy periods a sent repair holds back the next one (see DEFAULT_REPAIR_HOLD_PERIODS). */
  repairHoldPeriods?: number
  /** See DEFAULT_STATE_REQUEST_IDLE_MS (state-requests.ts). */
  stateRequestIdleMs?: number
  /** See DEFAULT_GAP_REPAIR_MS; 0 turns gap requests off (a chaos knob). */
  gapRepairMs?: number
  /** See DEFAULT_LOSS_PROBE_MS; 0 turns the probes off. */
  lossProbeMs?: number
  /**
   * The chaos suite's deliberately broken build: periodic anti-entropy is the only repair (no
   * gap requests, loss probes or digests to peers that stopped acking), so with anti-entropy
   * also disabled a lost frame stays lost and the suite must fail.
   */
  onlyPeriodicRepair?: boolean
  /** See DEFAULT_DIRECT_STALE_MS. */
  directStaleMs?: number
  /** When a link counts as stuck (stuck-links.ts). */
  stuckLinks?: StuckLinksInit
}

/** Per-peer counters (PeerCounters) plus live figures, e.g. for ClusterStatus and metrics. */
export interface PeerSyncStats extends Omit<PeerCounters, 'lastFrameTime'> {
  peer: string
  /** ms since the last frame from this peer (undefined: none yet). */
  idleMs: number | undefined
  /** When that frame arrived, ms since the epoch as the wall clock reads now. */
  lastFrameAt: number | undefined
  /** Open channels to this peer (normally 1). */
  channels: number
  /** Live update bytes waiting to be sent to this peer. */
  queuedBytes: number
  /** How long the oldest live update to this peer has waited to be sent or acked, ms (0: none waiting). */
  lagMs: number
}

export interface AckResult {
  /** Peers that confirmed the target state durable. */
  acked: string[]
  /** True when at least `count` peers acked before the signal aborted. */
  complete: boolean
}

export interface SyncEngine extends Startable {
  /** Takes ownership of an open channel; closes it at once when the engine is not started. */
  addChannel: (channel: SyncChannel) => void
  /** Peers with at least one open channel. */
  peers: () => string[]
  stats: () => PeerSyncStats[]
  /**
   * Resolves when `count` peers have acknowledged that `target` (client id → clock, normally the
   * writer's own entry: see ownState) of `doc` is durable on them, or when `signal` aborts; the
   * result says which peers acked either way.
   */
  awaitAcks: (doc: string, target: Map<number, number>, count: number, options?: { signal?: AbortSignal }) => Promise<AckResult>
}

/** The state of `doc` written by this node: what a QUORUM/ALL writer waits for (see awaitAcks). */
export function ownState (doc: Y.Doc): Map<number, number> {
  return new Map([[doc.clientID, Y.getState(doc.store, doc.clientID)]])
}

interface AckWaiter {
  doc: string
  target: Map<number, number>
  count: number
  acked: Set<string>
  done: (complete: boolean) => void
}

export function createSyncEngine (components: SyncEngineComponents, init: SyncEngineInit = {}): SyncEngine {
  const { store, log, metrics, linkStuck } = components
  const limits = {
    batchMs: init.batchMs ?? DEFAULT_SYNC_BATCH_MS,
    chunkBytes: init.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    maxFrameBytes: init.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    maxMessageBytes: init.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    maxQueueBytes: init.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES,
    lossProbeMs: init.onlyPeriodicRepair === true ? 0 : init.lossProbeMs ?? DEFAULT_LOSS_PROBE_MS
  }
  const antiEntropyMs = init.antiEntropyMs ?? DEFAULT_ANTI_ENTROPY_MS
  const gapRepairMs = init.onlyPeriodicRepair === true ? 0 : init.gapRepairMs ?? DEFAULT_GAP_REPAIR_MS
  const directStaleMs = init.directStaleMs ?? DEFAULT_DIRECT_STALE_MS
  if (limits.chunkBytes + CHUNK_HEADER_BYTES > limits.maxFrameBytes) {
    throw new RangeError(`chunkBytes ${limits.chunkBytes} does not fit in maxFrameBytes ${limits.maxFrameBytes}`)
  }
  const sessions = new Set<PeerSession>()
  const counters = new Map<string, PeerCounters>()
  /** Per document: updates seen (to tell whether an apply changed it) and the last peer apply. */
  const updateSeq = new Map<string, number>()
  const lastApply = new Map<string, Promise<void>>()
  const digests = createDigestCache(store)
  const answers = createDigestAnswers({ store, digests }, { repairHoldMs: antiEntropyMs * (init.repairHoldPeriods ?? DEFAULT_REPAIR_HOLD_PERIODS) })
  const stateRequests = createStateRequests({ idleMs: init.stateRequestIdleMs })
  const stuckLinks = createStuckLinks(init.stuckLinks)
  /** Every digest lists the documents whose state is on its way, so no peer sends them again. */
  const digest = (replyWanted: boolean): Digest => digests.frame(replyWanted, stateRequests.docs())
  /** `${peer}\0${doc}` → when that peer was last asked to fill a gap in that document. */
  const gapAsked = new Map<string, { at: number, timer: NodeJS.Timeout | undefined }>()
  /** Per peer, per document: the state the peer confirmed durable. */
  const durable = new Map<string, Map<string, Map<number, number>>>()
  /** Per peer, per document: the state the peer is known to hold (acks, SyncStep1, digests). */
  const held = new Map<string, Map<string, Map<number, number>>>()
  const waiters = new Set<AckWaiter>()
  let stopUpdates: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  let directTimer: NodeJS.Timeout | undefined
  /** The directly reached peers last announced, sorted and joined. */
  let announcedDirect: string | undefined
  let started = false

  function countersOf (peer: string): PeerCounters {
    let c = counters.get(peer)
    if (c === undefined) {
      c = { connectedAt: undefined, lastFrameTime: undefined, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, errors: 0, resyncs: 0, docsBehind: 0 }
      counters.set(peer, c)
    }
    return c
  }

  function onUpdate (name: string, update: Uint8Array, origin: unknown): void {
    const doc = store.get(name)
    if (doc === undefined) return
    updateSeq.set(name, (updateSeq.get(name) ?? 0) + 1)
    digests.invalidate(name)
    const peer = typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'peer'
      ? origin as { peer: string, answer?: true }
      : undefined
    const from = peer?.peer
    // An answer to this node's own request (SyncStep2, repair) is relayed only to peers known
    // (from their acks, SyncStep1 and digests) to lack part of what this node now holds: a joiner
    // must not pass every document it receives on to peers that have it, while the writes of a
    // node back from isolation still reach the peers that have not reconnected to it yet. A peer
    // that has said nothing of the document yet is offered a SyncStep1 instead, and asks for
    // what it lacks: a joiner that received a whole document from one member, while another's
    // SyncStep1 still waited in its queue, sent that member the whole document back.
    const state = peer?.answer === true ? Y.decodeStateVector(Y.encodeStateVector(doc)) : undefined
    // Never echo an update to the peer it came from. Relay a live update to the peers its
    // source did not announce it reaches directly (so it gets around a one-way or
    // non-transitive partition), and an answer to the peers that may lack it.
    const source = from === undefined || state !== undefined ? undefined : sessionOf(from)?.direct
    for (const session of sessions) {
      if (session.peer === from || source?.has(session.peer) === true) continue
      if (state !== undefined) {
        const known = held.get(session.peer)?.get(name)
        if (known === undefined) {
          session.offer(name)
          continue
        }
        if (covers(known, state)) continue
      }
      session.enqueue(name, update)
    }
  }

  function answerDigest (peer: string, entries: DigestEntry[], incoming: string[], seen: number | undefined, next: number, seenDocs: ReadonlyMap<string, DocDigest> | undefined): Uint8Array[] {
    const theirs = new Map(entries.map(e => [e.doc, entryDigest(e)]))
    for (const [doc, d] of theirs) raise(held, peer, doc, d.clocks)
    const { replies, behind } = answers.answer(peer, theirs, incoming, seen, next, seenDocs)
    countersOf(peer).docsBehind = behind
    return replies
  }

  function onAck (peer: string, doc: string, clocks: Map<number, number>): void {
    answers.acked(peer, doc)
    raise(held, peer, doc, clocks)
    const known = raise(durable, peer, doc, clocks)
    for (const waiter of waiters) {
      if (waiter.doc === doc && covers(known, waiter.target)) {
        waiter.acked.add(peer)
        if (waiter.acked.size >= waiter.count) waiter.done(true)
      }
    }
  }

  function apply (session: PeerSession, doc: string, updates: readonly Uint8Array[], answer: boolean): Promise<void> {
    const before = updateSeq.get(doc) ?? 0
    const applied = store.applyUpdate(doc, updates, peerOrigin(session.peer, answer))
    const ydoc = store.get(doc)
    if (ydoc !== undefined) {
      // Everything of `doc` in memory now is durable once the last apply that changed it is
      // (appends are serialised per document); the ack then confirms this state vector.
      const changed = (updateSeq.get(doc) ?? 0) !== before
      const covering = changed ? applied : lastApply.get(doc) ?? Promise.resolve()
      if (changed) lastApply.set(doc, applied)
      const stateVector = Y.encodeStateVector(ydoc)
      covering.then(() => { session.queueAck(doc, stateVector) }, () => {})
      if (!answer && gapRepairMs > 0 && hasGaps(ydoc)) askForGap(session, doc)
    }
    return applied
  }

  /**
   * Asks the peer whose update left gaps for everything this node lacks of the document; within
   * DEFAULT_GAP_REPAIR_MS of the last ask, once that period is over if the gaps are still there.
   */
  function askForGap (session: PeerSession, doc: string): void {
    const key = `${session.peer}\0${doc}`
    const gap = gapAsked.get(key) ?? { at: -Infinity, timer: undefined }
    gapAsked.set(key, gap)
    if (gap.timer !== undefined) return
    const ask = (): void => {
      gap.timer = undefined
      const ydoc = store.get(doc)
      if (ydoc === undefined || !sessions.has(session) || !hasGaps(ydoc)) return
      gap.at = performance.now()
      session.sendControl(encodeStep1(doc, Y.encodeStateVector(ydoc)))
    }
    const wait = gap.at + gapRepairMs - performance.now()
    if (wait <= 0) {
      ask()
      return
    }
    gap.timer = setTimeout(ask, wait)
    gap.timer.unref()
  }

  function sessionOf (peer: string): PeerSession | undefined {
    for (const session of sessions) if (session.peer === peer) return session
    return undefined
  }

  /** Announces (PEERS) the peers this node's live updates reach directly, when that changed. */
  function announceDirect (): void {
    const now = performance.now()
    const peers = [...new Set([...sessions].filter(s => s.acking(now, directStaleMs)).map(s => s.peer))].sort()
    const key = peers.join(' ')
    if (key === announcedDirect) return
    announcedDirect = key
    const frame = encodePeers(peers)
    for (const session of sessions) session.sendControl(frame)
  }

  function checkLinks (): void {
    announceDirect()
    if (linkStuck === undefined) return
    stuckLinks.check(performance.now(), sessions, (peer, stuckMs) => {
      log.info('link stuck: every ack from the peer comes late while the other links keep up; replacing its connection', { peer, stuckMs })
      metrics?.linkStuck(peer)
      linkStuck(peer, stuckMs)
    })
  }

  /**
   * A peer's updates no longer reach `dropped` directly: what they missed meanwhile is repaired
   * by a digest exchange with each of them (this node has those updates).
   */
  function peersDropped (dropped: string[]): void {
    if (init.onlyPeriodicRepair === true) return
    const d = digest(true)
    for (const peer of dropped) sessionOf(peer)?.sendDigest(d)
  }

  function antiEntropy (): void {
    if (sessions.size === 0) return
    const d = digest(false)
    for (const session of sessions) session.sendDigest(d)
  }

  return {
    async start () {
      if (started) return
      started = true
      stopUpdates = store.onUpdate(onUpdate)
      timer = setInterval(antiEntropy, antiEntropyMs)
      timer.unref()
      directTimer = setInterval(checkLinks, DIRECT_CHECK_MS)
      directTimer.unref()
    },

    async stop () {
      if (!started) return
      started = false
      clearInterval(timer)
      timer = undefined
      clearInterval(directTimer)
      directTimer = undefined
      announcedDirect = undefined
      stuckLinks.clear()
      stopUpdates?.()
      stopUpdates = undefined
      for (const session of [...sessions]) session.close('sync engine stopping')
      digests.clear()
      held.clear()
      for (const gap of gapAsked.values()) clearTimeout(gap.timer)
      gapAsked.clear()
      stateRequests.clear()
      updateSeq.clear()
      lastApply.clear()
      for (const waiter of [...waiters]) waiter.done(false)
    },

    addChannel (channel) {
      if (!started) {
        channel.close('sync engine not running')
        return
      }
      const peer = channel.peer
      const session = createPeerSession(channel, {
        store,
        log,
        metrics,
        counters: countersOf(peer),
        limits,
        digest,
        answerDigest: (entries, incoming, seen, next, seenDocs) => answerDigest(peer, entries, incoming, seen, next, seenDocs),
        requestState: (doc, send) => { stateRequests.request(peer, doc, send) },
        stateReceived: doc => { stateRequests.answered(peer, doc) },
        chunkReceived: () => { stateRequests.chunkReceived(peer) },
        peerHolds: (doc, stateVector) => { raise(held, peer, doc, Y.decodeStateVector(stateVector)) },
        peersDropped,
        apply,
        ack: onAck,
        closed: s => {
          sessions.delete(s)
          stateRequests.peerClosed(s.peer)
          announceDirect()
          answers.peerClosed(s.peer)
          for (const [key, gap] of gapAsked) {
            if (!key.startsWith(`${s.peer}\0`)) continue
            clearTimeout(gap.timer)
            gapAsked.delete(key)
          }
        }
      })
      sessions.add(session)
      session.open()
      // Every peer, the new one included, hears which peers this node now reaches directly.
      announcedDirect = undefined
      announceDirect()
    },

    peers: () => [...new Set([...sessions].map(s => s.peer))],

    stats () {
      const wall = Date.now()
      const at = performance.now()
      return [...counters].map(([peer, c]) => {
        const open = [...sessions].filter(s => s.peer === peer)
        const idleMs = c.lastFrameTime === undefined ? undefined : at - c.lastFrameTime
        return {
          peer,
          channels: open.length,
          connectedAt: c.connectedAt,
          lastFrameAt: idleMs === undefined ? undefined : Math.round(wall - idleMs),
          idleMs,
          framesIn: c.framesIn,
          framesOut: c.framesOut,
          bytesIn: c.bytesIn,
          bytesOut: c.bytesOut,
          errors: c.errors,
          resyncs: c.resyncs,
          queuedBytes: open.reduce((n, s) => n + s.queuedBytes(), 0),
          lagMs: open.reduce((n, s) => Math.max(n, s.lagMs()), 0),
          docsBehind: c.docsBehind
        }
      })
    },

    async awaitAcks (doc, target, count, options = {}) {
      const acked = new Set<string>()
      for (const [peer, docs] of durable) {
        const known = docs.get(doc)
        if (known !== undefined && covers(known, target)) acked.add(peer)
      }
      if (acked.size >= count) return { acked: [...acked], complete: true }
      const signal = options.signal
      if (signal?.aborted === true || !started) return { acked: [...acked], complete: false }
      return await new Promise<AckResult>(resolve => {
        const onAbort = (): void => { waiter.done(false) }
        const waiter: AckWaiter = {
          doc,
          target,
          count,
          acked,
          done: complete => {
            waiters.delete(waiter)
            signal?.removeEventListener('abort', onAbort)
            resolve({ acked: [...acked], complete })
          }
        }
        waiters.add(waiter)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    }
  }
}

/** Updates of `doc` applied without their predecessors (a lost frame), waiting in Yjs. */
function hasGaps (doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}
