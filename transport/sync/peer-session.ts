/**
 * One sync session: the engine's side of one SyncChannel to one peer.
 *
 * - Outgoing frames go through one writer (`pump`), so chunks of a message are never interleaved
 *   and backpressure is honoured in one place: send() false → await drain().
 * - Replies (SyncStep2, digests) queue as encoded frames in `control`; live updates queue per
 *   document in `live` and are framed together (UPDATES) only when the writer is free, so a slow
 *   peer gets fewer, larger frames. When `live` exceeds its bound it is dropped and replaced by
 *   a digest asking the peer for its state: the state-vector exchange resends everything missed.
 * - Incoming frames are decoded (frame-codec.ts); anything malformed closes the channel and is
 *   counted against the peer before it can touch a document.
 */
import * as Y from 'yjs'
import { CamosError } from '../../kernel/errors.js'
import type { DocumentStore } from '../../crdt/document-store.js'
import type { Logger } from '../../crdt/types.js'
import type { SyncChannel } from './channel.js'
import { createChunkAssembler } from './chunk-assembler.js'
import type { Digest, DocDigest } from './digests.js'
import { createSentLedger } from './sent-ledger.js'
import { decodeFrame, isValidUpdate, encodeAck, encodeChunks, encodeStep1, encodeStep2, encodeUpdate, encodeUpdates, frameKindName, numberDigest, type DigestEntry, type SyncFrame } from './frame-codec.js'
import type { SyncMetrics } from './engine.js'

export interface PeerCounters {
  /** ms since the epoch. */
  connectedAt: number | undefined
  /** The last frame's arrival on the monotonic clock (performance.now), which ages are taken from. */
  lastFrameTime: number | undefined
  framesIn: number
  framesOut: number
  bytesIn: number
  bytesOut: number
  /** Channels closed for protocol violations, over the engine's lifetime. */
  errors: number
  resyncs: number
  /** Documents the peer lacked something of at the last anti-entropy exchange. */
  docsBehind: number
}

export interface SessionLimits {
  batchMs: number
  chunkBytes: number
  maxFrameBytes: number
  maxMessageBytes: number
  maxQueueBytes: number
  /** See DEFAULT_LOSS_PROBE_MS (engine.ts); 0: no probes. */
  lossProbeMs: number
}

/** What a session needs from the engine that owns it. */
export interface SessionHost {
  store: DocumentStore
  log: Logger
  metrics?: SyncMetrics
  counters: PeerCounters
  limits: SessionLimits
  /** A digest of every document this node holds, listing those on their way to it. */
  digest: (replyWanted: boolean) => Digest
  /**
   * Replies to a peer's digest: the SyncStep2 frames of what the peer lacks, except documents
   * it listed as incoming (their state is on its way to it). `seen`: the highest digest number
   * of this session's the peer had received (undefined from a peer that does not number them);
   * `next`: the number of the next digest this session sends, which follows the replies;
   * `seenDocs`: the documents as digest `seen` listed them (undefined when not known). The peer
   * wrote its digest after everything this session sent before that one had arrived.
   */
  answerDigest: (entries: DigestEntry[], incoming: string[], seen: number | undefined, next: number, seenDocs: ReadonlyMap<string, DocDigest> | undefined) => Uint8Array[]
  /**
   * Runs `send` (which sends this session's SyncStep1 of `doc`) now, or later when another
   * peer's answer to the same request has arrived or gone quiet.
   */
  requestState: (doc: string, send: () => void) => void
  /** The peer announced (PEERS) that its live updates no longer reach these peers directly. */
  peersDropped: (dropped: string[]) => void
  /** The peer holds at least this state of `doc` (from its SyncStep1). */
  peerHolds: (doc: string, stateVector: Uint8Array) => void
  /** A chunk of a large message arrived from this peer (e.g. an answer in transit). */
  chunkReceived: () => void
  /** This peer's SyncStep2 of `doc` has been applied. */
  stateReceived: (doc: string) => void
  /**
   * Applies updates from this peer, in order (synchronously in memory); resolves once they are
   * durable. `answer`: they answer this node's request (SyncStep2), as opposed to live updates.
   */
  apply: (session: PeerSession, doc: string, updates: readonly Uint8Array[], answer: boolean) => Promise<void>
  /** The peer acked `doc` at this state (client id → clock). */
  ack: (peer: string, doc: string, clocks: Map<number, number>) => void
  closed: (session: PeerSession) => void
}

export interface PeerSession {
  readonly peer: string
  /** Sends SyncStep1 for every document and starts reading. */
  open: () => void
  /** Queues a live update of `doc` (batched, sent when the writer is free). */
  enqueue: (doc: string, update: Uint8Array) => void
  /**
   * Sends SyncStep1 of `doc` unless this session already has: the peer answers with what this
   * node lacks and asks for what it lacks itself, so only the difference travels.
   */
  offer: (doc: string) => void
  /** Queues a ready frame (chunked if needed), unless replies already exceed the queue bound. */
  sendControl: (frame: Uint8Array) => boolean
  /** Numbers a digest for this channel and queues it like sendControl, after the live updates queued. */
  sendDigest: (digest: Digest) => boolean
  queueAck: (doc: string, stateVector: Uint8Array) => void
  /**
   * True while the live updates sent to this peer are acked: none has waited for an ack for
   * `staleMs` or longer.
   */
  acking: (now: number, staleMs: number) => boolean
  /**
   * True while every ack comes `lateMs` or more later than the quickest this session has seen
   * (the path's own round trip: a peer across a WAN is not late): the oldest live update not
   * acked has waited that long, and the last ack that confirmed any came as late after its
   * frame (or none came for as long). A lost frame leaves the other documents' acks prompt.
   */
  ackingLate: (now: number, lateMs: number) => boolean
  /** The peers this peer's live updates reach directly, as it last announced; undefined before. */
  readonly direct: ReadonlySet<string> | undefined
  queuedBytes: () => number
  /** How long the oldest live update to this peer has waited to be sent or, once sent, for an ack, ms (0: none waiting). */
  lagMs: () => number
  close: (reason: string) => void
}

/** An encoded update with no structs and no deletions (what an empty document encodes to). */
function isEmptyUpdate (update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0
}

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())
/** The tail-loss probe's longest wait between two digests, in multiples of its first wait. */
const MAX_PROBE_BACKOFF = 8

export function createPeerSession (channel: SyncChannel, host: SessionHost): PeerSession {
  const { store, log, metrics, counters, limits } = host
  const peer = channel.peer
  const assembler = createChunkAssembler({ maxMessageBytes: limits.maxMessageBytes })
  const control: Uint8Array[] = []
  let controlBytes = 0
  const live = new Map<string, Uint8Array[]>()
  let liveBytes = 0
  let liveSince = 0
  const acks = new Map<string, Uint8Array>()
  const sentStep1 = new Set<string>()
  let flushTimer: NodeJS.Timeout | undefined
  let liveDue = false
  let resyncDue = false
  let pumping = false
  let nextChunkId = 0
  let closed = false
  const sent = createSentLedger()
  /**
   * Documents with live updates sent and no ack of that document since: the tail-loss probe
   * waits for these, so an ack of one document does not hide the lost tail of another.
   */
  const unackedDocs = new Set<string>()
  let probeTimer: NodeJS.Timeout | undefined
  let direct: Set<string> | undefined
  /** The last ack that confirmed a live frame: when it came, how long after that frame; the quickest such. */
  let lastAckAt = -Infinity
  let lastAckDelay = 0
  let quickestAck = Infinity
  /** Digests sent on this channel, and the highest digest number received from the peer. */
  let digestsSent = 0
  let digestsSeen = 0

  function push (frame: Uint8Array): void {
    const frames = frame.byteLength > limits.chunkBytes ? encodeChunks(nextChunkId++, frame, limits.chunkBytes) : [frame]
    for (const f of frames) {
      control.push(f)
      controlBytes += f.byteLength
    }
  }

  /** Turns queued live updates and acks into frames: when `control` is empty, and before a digest. */
  function flushLive (): void {
    liveDue = false
    const at = performance.now()
    for (const [doc, updates] of live) {
      push(updates.length === 1 ? encodeUpdate(doc, updates[0]) : encodeUpdates(doc, updates))
      sent.framed(doc, updates, at)
      unackedDocs.add(doc)
    }
    if (live.size > 0) armLossProbe(limits.lossProbeMs)
    live.clear()
    liveBytes = 0
    for (const [doc, sv] of acks) push(encodeAck(doc, sv))
    acks.clear()
  }

  /**
   * After the last live update of a burst: a digest if the peer has not acked by then, and
   * again, each time after twice as long (up to MAX_PROBE_BACKOFF times the first wait), while
   * it still has not: the probe or its answer may be lost too.
   */
  function armLossProbe (delayMs: number): void {
    if (limits.lossProbeMs <= 0) return
    clearTimeout(probeTimer)
    probeTimer = setTimeout(() => {
      probeTimer = undefined
      if (closed || unackedDocs.size === 0) return
      sendDigest(host.digest(true))
      armLossProbe(Math.min(delayMs * 2, limits.lossProbeMs * MAX_PROBE_BACKOFF))
    }, delayMs)
    probeTimer.unref()
  }

  function schedule (): void {
    if (flushTimer !== undefined || closed) return
    const fire = (): void => {
      flushTimer = undefined
      liveDue = true
      void pump()
    }
    flushTimer = limits.batchMs > 0 ? setTimeout(fire, limits.batchMs) : setImmediate(fire) as unknown as NodeJS.Timeout
  }

  async function pump (): Promise<void> {
    if (pumping) return
    pumping = true
    try {
      while (!closed) {
        if (control.length === 0) {
          if (resyncDue) {
            resyncDue = false
            queueDigest(host.digest(true))
          } else if (liveDue && (live.size > 0 || acks.size > 0)) {
            flushLive()
          } else {
            break
          }
        }
        const frame = control.shift() as Uint8Array
        controlBytes -= frame.byteLength
        counters.framesOut++
        counters.bytesOut += frame.byteLength
        metrics?.frameOut(peer, frameKindName(frame), frame.byteLength)
        if (!channel.send(frame)) await channel.drain()
      }
    } catch (err) {
      close(`send failed: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      pumping = false
    }
  }

  function violation (reason: string, message: string): void {
    counters.errors++
    metrics?.peerError(peer, reason)
    log.warn('closing sync channel: protocol violation', { peer, reason, detail: message })
    close(`protocol violation: ${reason}`)
  }

  function apply (doc: string, received: readonly Uint8Array[], answer: boolean): boolean {
    let updates = received
    if (store.get(doc) === undefined) {
      // The store builds a document it does not hold from the updates alone, in one parse;
      // updates that fail to apply there leave nothing behind and close the channel below.
      updates = received.filter(u => !isEmptyUpdate(u))
      if (updates.length === 0) return true
    } else if (!received.every(isValidUpdate)) {
      violation('bad-payload', `invalid Yjs update for ${doc}`)
      return false
    }
    // A Yjs failure rejects within a microtask and closes the channel before the next frame is
    // read; a storage failure is not the peer's fault (the change stays in memory and is retried).
    host.apply(session, doc, updates, answer).catch(err => { applyFailed(doc, err) })
    return !closed
  }

  function applyFailed (doc: string, err: unknown): boolean {
    if (err instanceof CamosError) {
      log.debug('update from peer not applied', { peer, doc, code: err.code })
      return true
    }
    violation('bad-update', `update for ${doc} failed to apply: ${err instanceof Error ? err.message : String(err)}`)
    return false
  }

  function handle (frame: SyncFrame): boolean {
    switch (frame.kind) {
      case 'step1': {
        host.peerHolds(frame.doc, frame.stateVector)
        const doc = store.get(frame.doc)
        // Always answered, with an empty update when this node lacks the document, so the
        // asking node knows its request is done.
        sendControl(encodeStep2(frame.doc, doc === undefined ? EMPTY_UPDATE : Y.encodeStateAsUpdate(doc, frame.stateVector)))
        if (!sentStep1.has(frame.doc)) requestStep1(frame.doc)
        return true
      }
      case 'step2': {
        const ok = apply(frame.doc, [frame.update], true)
        host.stateReceived(frame.doc)
        return ok
      }
      case 'update':
        return apply(frame.doc, [frame.update], false)
      case 'updates':
        return apply(frame.doc, frame.updates, false)
      case 'chunk': {
        host.chunkReceived()
        const result = assembler.add(frame)
        if (!result.ok) {
          violation(result.reason, result.message)
          return false
        }
        if (result.message === undefined) return true
        const inner = decodeFrame(result.message, limits.maxMessageBytes, { allowChunk: false, checkUpdates: false })
        if (!inner.ok) {
          violation(inner.error.reason, inner.error.message)
          return false
        }
        return handle(inner.frame)
      }
      case 'digest': {
        if (frame.seq !== undefined) digestsSeen = Math.max(digestsSeen, frame.seq)
        const seenDocs = frame.seen === undefined ? undefined : sent.digestSeen(frame.seen)
        for (const reply of host.answerDigest(frame.entries, frame.incoming, frame.seen, digestsSent + 1, seenDocs)) sendControl(reply)
        if (frame.replyWanted) sendDigest(host.digest(false))
        return true
      }
      case 'ack': {
        const clocks = Y.decodeStateVector(frame.stateVector)
        const framedAt = sent.acked(frame.doc, clocks)
        if (framedAt !== undefined) {
          lastAckAt = performance.now()
          lastAckDelay = lastAckAt - framedAt
          quickestAck = Math.min(quickestAck, lastAckDelay)
        }
        unackedDocs.delete(frame.doc)
        host.ack(peer, frame.doc, clocks)
        return true
      }
      case 'peers': {
        const before = direct
        direct = new Set(frame.peers)
        const dropped = before === undefined ? [] : [...before].filter(p => !(direct as Set<string>).has(p))
        if (dropped.length > 0) host.peersDropped(dropped)
        return true
      }
    }
  }

  async function read (): Promise<void> {
    try {
      for await (const bytes of channel.frames) {
        if (closed) return
        counters.framesIn++
        counters.bytesIn += bytes.byteLength
        counters.lastFrameTime = performance.now()
        const decoded = decodeFrame(bytes, limits.maxFrameBytes, { checkUpdates: false })
        if (!decoded.ok) {
          violation(decoded.error.reason, decoded.error.message)
          return
        }
        metrics?.frameIn(peer, decoded.frame.kind, bytes.byteLength)
        if (!handle(decoded.frame)) return
      }
      close('stream ended')
    } catch (err) {
      close(`receive failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  /**
   * Asks the peer for what this node lacks of `name`, with the state vector of when it is sent.
   * A document this node does not hold at all is asked of one peer at a time (the engine holds
   * the other requests back): its whole state is on the way. One it holds is asked of every
   * peer at once, as a node back from an outage wants its few missed updates from whoever
   * answers first.
   */
  function requestStep1 (name: string): void {
    sentStep1.add(name)
    const send = (): void => {
      const doc = store.get(name)
      sendControl(encodeStep1(name, doc === undefined ? EMPTY_STATE_VECTOR : Y.encodeStateVector(doc)))
    }
    if (store.get(name) === undefined) host.requestState(name, send)
    else send()
  }

  /** Replies beyond the queue bound are dropped: the peer reads too slowly, and anti-entropy resends. */
  function accepting (): boolean {
    return !closed && controlBytes <= limits.maxQueueBytes
  }

  function sendControl (frame: Uint8Array): boolean {
    if (!accepting()) return false
    push(frame)
    void pump()
    return true
  }

  /**
   * Frames the live updates queued first, so that what a digest lists of a document and the peer
   * still lacks once it has seen that digest was lost on the way, not still in the queue.
   */
  function queueDigest (digest: Digest): void {
    if (live.size > 0 || acks.size > 0) flushLive()
    push(numberDigest(digest.frame, ++digestsSent, digestsSeen))
    sent.digestSent(digestsSent, digest.docs)
  }

  function sendDigest (digest: Digest): boolean {
    if (!accepting()) return false
    queueDigest(digest)
    void pump()
    return true
  }

  function close (reason: string): void {
    if (closed) return
    closed = true
    clearTimeout(probeTimer)
    if (flushTimer !== undefined) {
      clearTimeout(flushTimer)
      clearImmediate(flushTimer as unknown as NodeJS.Immediate)
    }
    control.length = 0
    live.clear()
    acks.clear()
    log.debug('sync channel closed', { peer, reason })
    try {
      channel.close(reason)
    } catch (err) {
      log.debug('closing sync channel failed', { peer, err: String(err) })
    }
    host.closed(session)
  }

  const session: PeerSession = {
    peer,

    open () {
      counters.connectedAt = Date.now()
      for (const name of store.names()) requestStep1(name)
      void read()
    },

    enqueue (doc, update) {
      if (closed) return
      if (liveBytes + update.byteLength > limits.maxQueueBytes) {
        // Too far behind: forget the queue, the digest exchange resends what the peer lacks.
        live.clear()
        liveBytes = 0
        resyncDue = true
        counters.resyncs++
        metrics?.resync(peer)
        log.info('sync queue overflow: falling back to a state-vector exchange', { peer })
        void pump()
        return
      }
      if (liveBytes === 0) liveSince = performance.now()
      const list = live.get(doc)
      if (list === undefined) live.set(doc, [update])
      else list.push(update)
      liveBytes += update.byteLength
      schedule()
    },

    offer (doc) {
      if (!closed && !sentStep1.has(doc)) requestStep1(doc)
    },

    sendControl,
    sendDigest,

    acking: (now, staleMs) => {
      const oldest = sent.oldestFramed()
      return oldest === undefined || now - oldest < staleMs
    },
    ackingLate: (now, lateMs) => {
      const oldest = sent.oldestFramed()
      const late = lateMs + (Number.isFinite(quickestAck) ? quickestAck : 0)
      return oldest !== undefined && now - oldest >= late && (lastAckDelay >= late || now - lastAckAt >= late)
    },
    get direct () { return direct },

    queueAck (doc, stateVector) {
      if (closed) return
      acks.set(doc, stateVector)
      schedule()
    },

    queuedBytes: () => liveBytes + controlBytes,
    lagMs: () => {
      const now = performance.now()
      const oldest = sent.oldestFramed()
      return Math.max(liveBytes === 0 ? 0 : now - liveSince, oldest === undefined ? 0 : now - oldest)
    },
    close
  }
  return session
}
