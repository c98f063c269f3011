/**
 * Dialling the members of a cluster and keeping them dialled; discovery.ts finds them.
 *
 * - `--join` addresses are dialled at start and redialled whenever they are not connected.
 * - Every member found or joined is redialled after a disconnect with exponential backoff and
 *   jitter, capped at `redialFastMaxMs` for the first `fastRedialForMs` of the outage (most
 *   outages are short partitions and restarts: the member is back within a second of the heal)
 *   and at `redialMaxMs` after. A redial of a member whose round-trip time is known gives up
 *   when the member has not answered (TCP and the private network's nonce exchange) within
 *   `redialRtts` of its smallest recent round trips (between `redialTimeoutMinMs` and
 *   `redialTimeoutMaxMs`): its SYN was lost to the partition, and a fresh dial beats waiting
 *   for the kernel's next SYN retry, 1, 2, 4… s later. A member that answered has until the
 *   dial timeout (discovery's query timeout) to finish the handshake, however loaded the host.
 *   In the fast phase the next dial follows one that hung that long at once (it paced itself),
 *   and one whose address did not resolve (EHOSTUNREACH) at a random moment of the next second.
 *   Redials go to the member's addresses (see `dialable`); a member's address that answers
 *   under a new peer id (a wiped node) moves the target to that id. A discovered member that
 *   stayed unreachable for `forgetAfterMs` is dropped (its old provider record lingers in the
 *   DHT after a wipe).
 * - The node never dials itself.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { backoffDelay } from './backoff.js'
import type { PeerId } from '@libp2p/interface'
import type { Logger, Startable } from '../crdt/types.js'
import type { P2PLibp2p } from './host.js'

/** Redial backoff: first delay, doubled per failure up to the max, ms. */
export const DEFAULT_REDIAL_MIN_MS = 100
export const DEFAULT_REDIAL_MAX_MS = 30_000
/** The lower backoff cap of an outage's first minute, ms. */
export const DEFAULT_REDIAL_FAST_MAX_MS = 250
export const DEFAULT_FAST_REDIAL_FOR_MS = 60_000
/** Redial timeout in round trips of the member (an answer takes two), and its floor, ms. */
export const DEFAULT_REDIAL_RTTS = 20
export const DEFAULT_REDIAL_TIMEOUT_MIN_MS = 250
/**
 * And its ceiling, ms: a ping measured on a loaded host can take ~100 ms, and 20 of those made
 * a redial after a lost SYN wait 2 s, where a handshake with an answering peer takes far less.
 */
export const DEFAULT_REDIAL_TIMEOUT_MAX_MS = 1_000
/**
 * A redial after the member's address did not resolve (EHOSTUNREACH: the kernel's neighbour
 * discovery gave up, as when the network beyond this node's interface is down; a lost carrier
 * of its own holds the dials instead, see link-watch.ts) waits a random part of this, ms. Linux
 * sends ARP requests once a second (`net.ipv4.neigh.<dev>.retrans_time_ms`). When the network
 * drops, traffic to every member fails at once, so their resolutions run in step, and after
 * it returns all of them wait for the same next request (up to 1.15 s in the chaos suite).
 * Redialled at random moments of the interval, members are resolved on schedules of their own,
 * and the first of them within a fraction of it.
 */
export const DEFAULT_UNRESOLVED_SPREAD_MS = 1_000
/** What a failed --join usually means when the address itself is right. */
export const JOIN_FAILURE_HINT = 'a handshake reset or timed out by a reachable member usually means its --cluster or --cluster-secret differs from this node\'s'
/** A discovered member unreachable this long is forgotten (join addresses never are), ms. */
export const DEFAULT_FORGET_AFTER_MS = 15 * 60_000

const P2P_CODE = 421

export interface MemberDialerComponents {
  libp2p: P2PLibp2p
  log: Logger
  random?: () => number
  /** The last measured round-trip time to a member, ms. */
  rttOf?: (peer: string) => number | undefined
}

export interface MemberDialerInit {
  /** Multiaddrs of members to join (with or without /p2p/<peer id>). */
  join?: string[]
  /** Bound on one dial, ms. */
  dialTimeoutMs: number
  redialMinMs?: number
  redialMaxMs?: number
  redialFastMaxMs?: number
  fastRedialForMs?: number
  redialRtts?: number
  redialTimeoutMinMs?: number
  redialTimeoutMaxMs?: number
  forgetAfterMs?: number
  unresolvedSpreadMs?: number
}

/** Whether a dial failed because the member's address did not resolve on the local link. */
export function unresolvedAddress (err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EHOSTUNREACH') return true
  return err instanceof AggregateError && err.errors.some(unresolvedAddress)
}

/** A member as a lookup or another member names it. */
export interface FoundMember {
  peer: PeerId
  addrs: Multiaddr[]
}

export interface MemberDialer extends Startable {
  /** Members found by a lookup or named by another member: dialled unless connected. */
  found: (members: Iterable<FoundMember>, via: 'dht' | 'member') => void
  /** A peer identified: redialled by its listen addresses whenever it is lost. */
  met: (peer: PeerId, listenAddrs: Multiaddr[]) => void
  /** Peer ids of every member known (joined, found or met), connected or not. */
  known: () => string[]
  /** Dials every member still lost now (this node's link is back: link-watch.ts). */
  redialLost: () => void
}

interface Target {
  /** Peer id when known: always for discovered members, after the first dial for joins. */
  peer: PeerId | undefined
  addrs: Multiaddr[]
  join: boolean
  attempt: number
  timer: NodeJS.Timeout | undefined
  dialing: boolean
  /** When the disconnect or first failed dial since the last success was (performance.now). */
  failingSince: number | undefined
}

export function createMemberDialer (components: MemberDialerComponents, init: MemberDialerInit): MemberDialer {
  const { libp2p, log, rttOf } = components
  const random = components.random ?? Math.random
  const dialTimeoutMs = init.dialTimeoutMs
  const redialMinMs = init.redialMinMs ?? DEFAULT_REDIAL_MIN_MS
  const redialMaxMs = init.redialMaxMs ?? DEFAULT_REDIAL_MAX_MS
  const redialFastMaxMs = Math.min(init.redialFastMaxMs ?? DEFAULT_REDIAL_FAST_MAX_MS, redialMaxMs)
  const fastRedialForMs = init.fastRedialForMs ?? DEFAULT_FAST_REDIAL_FOR_MS
  const redialRtts = init.redialRtts ?? DEFAULT_REDIAL_RTTS
  const redialTimeoutMinMs = init.redialTimeoutMinMs ?? DEFAULT_REDIAL_TIMEOUT_MIN_MS
  const redialTimeoutMaxMs = Math.max(redialTimeoutMinMs, init.redialTimeoutMaxMs ?? DEFAULT_REDIAL_TIMEOUT_MAX_MS)
  const forgetAfterMs = init.forgetAfterMs ?? DEFAULT_FORGET_AFTER_MS
  const unresolvedSpreadMs = init.unresolvedSpreadMs ?? DEFAULT_UNRESOLVED_SPREAD_MS
  const self = libp2p.peerId
  /** Keyed by peer id, or by the multiaddr for a join address whose peer id is not known yet. */
  const targets = new Map<string, Target>()
  /** Peer ids whose address now answers under another identity, with when that was seen. */
  const replaced = new Map<string, number>()
  const isReplaced = (id: string): boolean => {
    const at = replaced.get(id)
    if (at !== undefined && performance.now() - at >= forgetAfterMs) replaced.delete(id)
    return replaced.has(id)
  }
  let running = false
  let controller = new AbortController()

  const isConnected = (peer: PeerId): boolean => libp2p.getConnections(peer).some(c => c.status === 'open')

  function addTarget (id: string, target: Omit<Target, 'attempt' | 'timer' | 'dialing' | 'failingSince'>): Target {
    const existing = targets.get(id)
    if (existing !== undefined) {
      if (target.addrs.length > 0) existing.addrs = target.addrs
      return existing
    }
    const t: Target = { ...target, attempt: 0, timer: undefined, dialing: false, failingSince: undefined }
    targets.set(id, t)
    return t
  }

  /**
   * What to dial: a known member by its addresses without its peer id. libp2p joins a dial to
   * a peer id that is already under way, and one started before a heal (by the DHT, say) waits
   * for its SYN's retransmission, 1, 3, 7… s after it was sent; a dial by address starts afresh.
   * Noise still authenticates whoever answers.
   */
  function dialable (target: Target): PeerId | Multiaddr[] {
    if (target.peer === undefined) return target.addrs
    const own = ownAddresses()
    const addrs = target.addrs.map(a => a.decapsulateCode(P2P_CODE)).filter(a => !own.has(a.toString()))
    return addrs.length > 0 ? addrs : target.peer
  }

  function ownAddresses (): Set<string> {
    return new Set(libp2p.getMultiaddrs().map(a => a.decapsulateCode(P2P_CODE).toString()))
  }

  function dialTimeout (target: Target): number {
    const rtt = target.peer === undefined ? undefined : rttOf?.(target.peer.toString())
    return rtt === undefined ? dialTimeoutMs : Math.min(dialTimeoutMs, redialTimeoutMaxMs, Math.max(redialTimeoutMinMs, rtt * redialRtts))
  }

  function redialIn (target: Target, now: number): number {
    const cap = now - (target.failingSince ?? now) < fastRedialForMs ? redialFastMaxMs : redialMaxMs
    return backoffDelay(target.attempt++, redialMinMs, cap, random)
  }

  function retry (id: string, target: Target, delay: number): void {
    clearTimeout(target.timer)
    target.timer = setTimeout(() => {
      target.timer = undefined
      void dial(id, target)
    }, delay)
    target.timer.unref()
  }

  async function dial (id: string, target: Target): Promise<void> {
    if (!running || target.dialing || target.timer !== undefined) return
    if (target.peer !== undefined && (target.peer.equals(self) || isConnected(target.peer))) return
    target.dialing = true
    const started = performance.now()
    // The redial timeout bounds reaching the member: TCP's handshake and the private network's
    // nonce exchange. Once the upgrade begins the member answers, and the rest (Noise, the
    // muxer) may take what a loaded host needs, up to the dial timeout.
    const unanswered = new AbortController()
    let answered = false
    const connectTimer = setTimeout(() => {
      if (!answered) unanswered.abort(new Error(`timed out: no answer within ${Math.round(performance.now() - started)} ms`))
    }, dialTimeout(target))
    try {
      const signal = AbortSignal.any([controller.signal, unanswered.signal, AbortSignal.timeout(dialTimeoutMs)])
      if (target.peer !== undefined && target.addrs.length > 0) await libp2p.peerStore.merge(target.peer, { multiaddrs: target.addrs })
      const conn = await libp2p.dial(dialable(target), {
        signal,
        onProgress: (evt: { type: string }) => { if (evt.type.startsWith('upgrader:')) answered = true }
      })
      if (conn.remotePeer.equals(self)) {
        // One of the member's addresses leads back here (a shared loopback address, say).
        await conn.close().catch(() => {})
        if (target.peer === undefined) { targets.delete(id); return }
        throw new Error('a member address leads to this node')
      }
      if (target.peer === undefined || !conn.remotePeer.equals(target.peer)) {
        // A join address learned its peer id, or a member's address answers under a new
        // identity (its data dir was wiped): key the target by that peer id from now on, and
        // ignore the old id's provider record, which outlives it in the DHT.
        if (target.peer !== undefined) {
          log.info('a new identity answers at a member address', { was: id, now: conn.remotePeer.toString() })
          replaced.set(id, performance.now())
          if (libp2p.getConnections(conn.remotePeer).some(c => c !== conn && c.status === 'open')) await conn.close().catch(() => {})
        }
        target.peer = conn.remotePeer
        targets.delete(id)
        const other = targets.get(conn.remotePeer.toString())
        if (other === undefined) targets.set(conn.remotePeer.toString(), target)
        else other.join ||= target.join
      }
      reconnected(target)
    } catch (err) {
      if (!running) return
      // The member dialled us meanwhile (a dial of ours still waiting on a SYN lost before the
      // heal fails after it): no outage, and no stale one to time the next outage's backoff by.
      if (target.peer !== undefined && isConnected(target.peer)) {
        log.debug('dial failed with the member connected anyway; no outage', { peer: id, err: (err as Error).message })
        return
      }
      const now = performance.now()
      if (target.join && target.failingSince === undefined) {
        // Once per outage, at the default level: a node that cannot join is otherwise silent.
        log.warn('cannot reach a --join address; retrying with backoff', { join: id, err: (err as Error).message, hint: JOIN_FAILURE_HINT })
      }
      target.failingSince ??= now
      if (!target.join && now - target.failingSince >= forgetAfterMs) {
        log.info('forgetting a member unreachable for too long', { peer: id })
        targets.delete(id)
        return
      }
      // A dial that hung until a timeout (its SYN or handshake was lost) already waited at least
      // the redial timeout: during an outage's fast phase the next one goes out at once, so the
      // first dial after the heal leaves within one timeout of it, not a timeout plus a backoff
      // step. A refused dial fails at once and backs off. One whose address did not resolve
      // goes out at a random moment of the spread (DEFAULT_UNRESOLVED_SPREAD_MS).
      const fast = now - target.failingSince < fastRedialForMs
      const hung = now - started >= redialTimeoutMinMs
      const delay = fast && unresolvedAddress(err)
        ? Math.floor(random() * unresolvedSpreadMs)
        : hung && fast ? 0 : redialIn(target, now)
      log.debug('dial failed; retrying', { peer: id, inMs: delay, err: (err as Error).message })
      retry(id, target, delay)
    } finally {
      clearTimeout(connectTimer)
      target.dialing = false
    }
  }

  /**
   * Connected again, whichever side dialled: the next disconnect starts a fresh backoff. A
   * member back from an outage means the network that cut it off has likely healed for the
   * others too: every member still lost is dialled now rather than at its next backoff step.
   */
  function reconnected (target: Target): void {
    const wasLost = target.failingSince !== undefined
    if (wasLost && target.peer !== undefined) {
      log.info('member reconnected', { peer: target.peer.toString(), outageMs: Math.round(performance.now() - (target.failingSince ?? 0)) })
    }
    target.attempt = 0
    target.failingSince = undefined
    if (wasLost) redialLost()
  }

  /** Dials every member still lost now rather than at its next backoff step. */
  function redialLost (): void {
    for (const [id, other] of targets) {
      if (other.failingSince === undefined || other.timer === undefined) continue
      clearTimeout(other.timer)
      other.timer = undefined
      void dial(id, other)
    }
  }

  function onConnect (evt: CustomEvent<PeerId>): void {
    const target = targets.get(evt.detail.toString())
    if (target !== undefined) reconnected(target)
  }

  function onDisconnect (evt: CustomEvent<PeerId>): void {
    const id = evt.detail.toString()
    const target = targets.get(id)
    if (target === undefined || !running) return
    log.info('member disconnected; redialling with backoff', { peer: id })
    const now = performance.now()
    target.failingSince ??= now
    retry(id, target, redialIn(target, now))
  }

  return {
    async start () {
      if (running) return
      running = true
      controller = new AbortController()
      const own = ownAddresses()
      for (const addr of init.join ?? []) {
        const ma = multiaddr(addr)
        const peer = ma.getComponents().find(c => c.name === 'p2p')?.value
        if (peer === self.toString() || own.has(ma.decapsulateCode(P2P_CODE).toString())) {
          log.warn('ignoring a --join address of this node itself', { join: addr })
          continue
        }
        void dial(addr, addTarget(addr, { peer: undefined, addrs: [ma], join: true }))
      }
      libp2p.addEventListener('peer:disconnect', onDisconnect)
      libp2p.addEventListener('peer:connect', onConnect)
    },
    async stop () {
      if (!running) return
      running = false
      controller.abort()
      libp2p.removeEventListener('peer:disconnect', onDisconnect)
      libp2p.removeEventListener('peer:connect', onConnect)
      for (const t of targets.values()) { clearTimeout(t.timer); t.timer = undefined }
    },
    found (members, via) {
      const own = ownAddresses()
      for (const { peer, addrs } of members) {
        const id = peer.toString()
        if (peer.equals(self) || isReplaced(id)) continue
        // This node's own address under another id: its identity before its data dir was
        // wiped, whose provider record outlives it. Dialling it would only reach this node.
        if (addrs.length > 0 && addrs.every(a => own.has(a.decapsulateCode(P2P_CODE).toString()))) continue
        const isNew = !targets.has(id)
        const target = addTarget(id, { peer, addrs, join: false })
        if (isNew) log.info('found a cluster member', { peer: id, via, addresses: addrs.map(a => a.toString()) })
        void dial(id, target)
      }
    },
    met (peer, listenAddrs) {
      const id = peer.toString()
      if (!targets.has(id)) addTarget(id, { peer, addrs: listenAddrs, join: false })
    },
    known: () => [...targets.values()].flatMap(t => t.peer === undefined ? [] : [t.peer.toString()]),
    redialLost
  }
}
