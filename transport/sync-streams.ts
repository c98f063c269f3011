/**
 * Opens and accepts the sync streams of a node: exactly one `/camos/sync/1.0.0` stream per
 * connected peer pair, each wrapped as a SyncChannel and handed to the sync engine.
 *
 * Who opens: the peer with the lower peer id (string order), as soon as it is connected to the
 * other; the higher one only accepts. Both sides know the rule, so they never open two streams
 * at once and there is nothing to dedupe in the common case. When a stream arrives while one
 * is still open for that peer (the opener saw the old one die first, e.g. after a reconnect),
 * the newer replaces the older. When a stream ends while the peers stay connected, the opener
 * reopens it with backoff and jitter (a peer whose frames keep getting rejected does not cause a
 * tight reopen loop).
 */
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { createStreamChannel, SYNC_PROTOCOL, type FrameViolation, type StreamChannel, type StreamChannelInit } from './framing.js'
import { backoffDelay } from './backoff.js'
import type { Logger, Startable } from '../crdt/types.js'
import type { P2PLibp2p } from './host.js'
import type { SyncChannel } from './sync/channel.js'

/** First delay before reopening a sync stream that ended while connected, ms (doubles). */
export const DEFAULT_REOPEN_MIN_MS = 200
export const DEFAULT_REOPEN_MAX_MS = 30_000
/** A stream that stayed open this long resets the reopen backoff, ms. */
export const DEFAULT_REOPEN_RESET_MS = 10_000
/** Inbound sync streams one connection may hold at once (one, plus room for a replacement). */
export const DEFAULT_MAX_INBOUND_SYNC_STREAMS = 4

export interface SyncStreamsComponents {
  libp2p: P2PLibp2p
  log: Logger
  /** Receives every opened channel; owns it until it ends (the engine's addChannel). */
  addChannel: (channel: SyncChannel) => void
  onViolation?: (peer: string, reason: FrameViolation, detail: string) => void
  random?: () => number
}

export interface SyncStreamsInit extends StreamChannelInit {
  reopenMinMs?: number
  reopenMaxMs?: number
  reopenResetMs?: number
}

export interface SyncStreams extends Startable {
  /** Peers with an open sync stream. */
  peers: () => string[]
}

interface PeerState {
  channel: StreamChannel | undefined
  opening: boolean
  attempt: number
  timer: NodeJS.Timeout | undefined
}

export function createSyncStreams (components: SyncStreamsComponents, init: SyncStreamsInit = {}): SyncStreams {
  const { libp2p, log, addChannel, onViolation } = components
  const random = components.random ?? Math.random
  const reopenMinMs = init.reopenMinMs ?? DEFAULT_REOPEN_MIN_MS
  const reopenMaxMs = init.reopenMaxMs ?? DEFAULT_REOPEN_MAX_MS
  const reopenResetMs = init.reopenResetMs ?? DEFAULT_REOPEN_RESET_MS
  const self = libp2p.peerId.toString()
  const peers = new Map<string, PeerState>()
  let running = false

  const stateOf = (peer: string): PeerState => {
    let s = peers.get(peer)
    if (s === undefined) {
      s = { channel: undefined, opening: false, attempt: 0, timer: undefined }
      peers.set(peer, s)
    }
    return s
  }
  const isOpener = (peer: string): boolean => self < peer
  const connected = (peer: PeerId): boolean => libp2p.getConnections(peer).some(c => c.status === 'open')

  function adopt (peer: string, stream: Stream): void {
    const state = stateOf(peer)
    const previous = state.channel
    const channel = createStreamChannel({ log, onViolation }, stream, peer, init)
    state.channel = channel
    if (previous !== undefined && !previous.isClosed()) {
      log.debug('sync stream replaced by a newer one', { peer })
      previous.close('replaced by a newer stream')
    }
    const openedAt = performance.now()
    void channel.closed.then(() => {
      if (state.channel === channel) state.channel = undefined
      if (performance.now() - openedAt >= reopenResetMs) state.attempt = 0
      if (running && isOpener(peer)) schedule(peer)
    })
    addChannel(channel)
  }

  function schedule (peer: string): void {
    const state = stateOf(peer)
    if (state.timer !== undefined || state.opening || state.channel !== undefined) return
    const delay = backoffDelay(state.attempt++, reopenMinMs, reopenMaxMs, random)
    state.timer = setTimeout(() => {
      state.timer = undefined
      void open(peer)
    }, delay)
    state.timer.unref()
  }

  async function open (peer: string): Promise<void> {
    const state = stateOf(peer)
    if (!running || state.opening || state.channel !== undefined || !isOpener(peer)) return
    const conn = libp2p.getConnections().find(c => c.remotePeer.toString() === peer && c.status === 'open')
    if (conn === undefined) return
    state.opening = true
    try {
      const stream = await conn.newStream(SYNC_PROTOCOL)
      if (!running) { stream.abort(new Error('node stopping')); return }
      adopt(peer, stream)
    } catch (err) {
      log.debug('cannot open sync stream; will retry', { peer, err: (err as Error).message })
      if (running && connected(conn.remotePeer)) schedule(peer)
    } finally {
      state.opening = false
    }
  }

  function handler (stream: Stream, connection: Connection): void {
    if (!running) { stream.abort(new Error('node stopping')); return }
    adopt(connection.remotePeer.toString(), stream)
  }

  function onConnect (evt: CustomEvent<PeerId>): void {
    const peer = evt.detail.toString()
    if (isOpener(peer)) void open(peer)
  }

  function onDisconnect (evt: CustomEvent<PeerId>): void {
    const state = peers.get(evt.detail.toString())
    if (state === undefined) return
    clearTimeout(state.timer)
    state.timer = undefined
    state.attempt = 0
  }

  return {
    async start () {
      if (running) return
      running = true
      await libp2p.handle(SYNC_PROTOCOL, handler, { maxInboundStreams: DEFAULT_MAX_INBOUND_SYNC_STREAMS })
      libp2p.addEventListener('peer:connect', onConnect)
      libp2p.addEventListener('peer:disconnect', onDisconnect)
      for (const peer of libp2p.getPeers()) if (isOpener(peer.toString())) void open(peer.toString())
    },
    async stop () {
      if (!running) return
      running = false
      libp2p.removeEventListener('peer:connect', onConnect)
      libp2p.removeEventListener('peer:disconnect', onDisconnect)
      await libp2p.unhandle(SYNC_PROTOCOL).catch(() => {})
      for (const state of peers.values()) {
        clearTimeout(state.timer)
        state.channel?.close('node stopping')
      }
      peers.clear()
    },
    peers: () => [...peers.entries()].filter(([, s]) => s.channel !== undefined && !s.channel.isClosed()).map(([p]) => p)
  }
}
