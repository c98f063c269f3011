/**
 * Joining a cluster and finding its members.
 *
 * - `--join` addresses are dialled at start and redialled whenever they are not connected.
 * - Every node provides the cluster key on the DHT (a CID of sha256 of the cluster name and the
 *   key id of its network key) and looks up the other providers. A round (provide and
 *   findProviders at once, dialling every provider found that is not yet connected) runs at
 *   start, then after `firstDelayMs` doubling up to every `intervalMs`, each delay jittered by
 *   ±25% (members starting together provide their records at about the same time, so early
 *   rounds find what the first one missed; the jitter keeps their rounds from staying in
 *   lockstep), and after a peer is identified for the first time, as soon as the DHT has taken it
 *   into its routing table (the lookup can now reach further) — that is how knowing one member
 *   is enough. A member reconnecting after a restart or a partition triggers no round: it is
 *   redialled, and the rounds would only find what is already known.
 * - With a peer identified for the first time that speaks member exchange, the node instead
 *   exchanges the lists of members each is connected to (member-exchange.ts) and dials the ones
 *   it lacks at once: a round trip after the connection, where the DHT first pings the new
 *   contact and then looks the providers up. That also spares every member of a forming mesh a
 *   DHT round per new peer (five nodes joining at once used 0.36–0.53 s of CPU each from all
 *   being up to a full mesh with those rounds, 0.14–0.31 s without, on a saturated 2-core host).
 *   The rounds at start and after still provide each member's record and find what no list
 *   named; a failed exchange falls back to the routing-table watch.
 * - Every member found or joined is redialled after a disconnect with exponential backoff and
 *   jitter, capped at `redialFastMaxMs` for the first `fastRedialForMs` of the outage (most
 *   outages are short partitions and restarts: the member is back within a second of the heal)
 *   and at `redialMaxMs` after. A redial of a member whose round-trip time is known gives up
 *   when the member has not answered (TCP and the private network's nonce exchange) within
 *   `redialRtts` of its smallest recent round trips (between `redialTimeoutMinMs` and
 *   `redialTimeoutMaxMs`): its SYN was lost to the partition, and a fresh dial beats waiting
 *   for the kernel's next SYN retry, 1, 2, 4… s later. A member that answered has until the
 *   query timeout to finish the handshake, however loaded the host.
 *   In the fast phase the next dial follows one that hung that long at once (it paced itself).
 *   Redials go to the member's addresses (see `dialable`); a member's address that answers
 *   under a new peer id (a wiped node) moves the target to that id. A discovered member that
 *   stayed unreachable for `forgetAfterMs` is dropped (its old provider record lingers in the
 *   DHT after a wipe).
 * - The node never dials itself.
 */
import { createHash } from 'node:crypto'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { backoffDelay } from './backoff.js'
import { createMembersHandler, exchangeMembers, memberExchangeProtocol, type MemberRecord } from './member-exchange.js'
import type { PeerId, IdentifyResult } from '@libp2p/interface'
import type { SingleKadDHT } from '@libp2p/kad-dht'
import type { Logger, Startable } from '../crdt/types.js'
import type { P2PLibp2p } from './host.js'

/** Delay of the second round after start, doubled for each next round up to the interval, ms. */
export const DEFAULT_DISCOVERY_FIRST_DELAY_MS = 250
/**
 * Period of the provide + findProviders round, ms. A round costs every member a burst of DHT
 * streams: measured on 5 nodes, 80–220 ms of work each, with event-loop stalls of 30–70 ms on
 * all of them at once (every other stall in steady state was under 35 ms). New members trigger
 * rounds of their own, and known ones are redialled, so the period only bounds how long a
 * member that joined elsewhere during a partition stays unknown here.
 */
export const DEFAULT_DISCOVERY_INTERVAL_MS = 60_000
/**
 * How long after a peer's first identify the DHT's routing table is watched for it, ms. The DHT
 * pings a new contact before adding it (50–250 ms on a loaded host); a round before that
 * queries no one, and its provide reaches no one.
 */
export const DEFAULT_ROUTING_WATCH_MS = 1_000
/** How often the routing table's size is looked at while watched, ms. */
const ROUTING_POLL_MS = 10
/** Bound on one provide or findProviders query, ms. */
export const DEFAULT_DISCOVERY_QUERY_TIMEOUT_MS = 5_000
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
/** Member-list requests one connection may have open at once. */
const MEMBERS_INBOUND_STREAMS = 2
/** A discovered member unreachable this long is forgotten (join addresses never are), ms. */
export const DEFAULT_FORGET_AFTER_MS = 15 * 60_000

const RAW_CODEC = 0x55
const P2P_CODE = 421
const SHA2_256 = 0x12

/** The DHT key every member of a cluster provides. */
export function clusterKey (cluster: string, keyId: string): CID {
  const digest = createHash('sha256').update(`camos/cluster/v1/${cluster}/${keyId}`).digest()
  return CID.createV1(RAW_CODEC, Digest.create(SHA2_256, digest))
}

/** A short public fingerprint of the network key: tells keys apart without revealing them. */
export function keyIdOf (psk: Uint8Array): string {
  return createHash('sha256').update('camos/key-id/v1/').update(psk).digest('hex').slice(0, 16)
}

export interface DiscoveryComponents {
  libp2p: P2PLibp2p
  log: Logger
  random?: () => number
  /** The last measured round-trip time to a member, ms. */
  rttOf?: (peer: string) => number | undefined
}

export interface DiscoveryInit {
  cluster: string
  /** Key id of the network key (keyIdOf); start() waits for it while the key is being derived. */
  keyId: string | Promise<string>
  /** Multiaddrs of members to join (with or without /p2p/<peer id>). */
  join?: string[]
  intervalMs?: number
  firstDelayMs?: number
  routingWatchMs?: number
  queryTimeoutMs?: number
  redialMinMs?: number
  redialMaxMs?: number
  redialFastMaxMs?: number
  fastRedialForMs?: number
  redialRtts?: number
  redialTimeoutMinMs?: number
  redialTimeoutMaxMs?: number
  forgetAfterMs?: number
  /** Ask each member identified for the first time which members it knows (member-exchange.ts); default true. */
  memberExchange?: boolean
}

export interface Discovery extends Startable {
  /** Runs one round now; resolves when it finished. */
  discover: () => Promise<void>
  /** Peer ids of every member known (joined or found), connected or not. */
  known: () => string[]
}

interface Target {
  /** Peer id when known: always for discovered members, after the first dial for joins. */
  peer: PeerId | undefined
  addrs: Multiaddr[]
  join: boolean
  attempt: number
  timer: NodeJS.Timeout | undefined
  dialing: boolean
  /** ms since the epoch of the disconnect or first failed dial since the last success. */
  failingSince: number | undefined
}

export function createDiscovery (components: DiscoveryComponents, init: DiscoveryInit): Discovery {
  const { libp2p, log, rttOf } = components
  const random = components.random ?? Math.random
  const intervalMs = init.intervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS
  const firstDelayMs = Math.min(init.firstDelayMs ?? DEFAULT_DISCOVERY_FIRST_DELAY_MS, intervalMs)
  const routingWatchMs = init.routingWatchMs ?? DEFAULT_ROUTING_WATCH_MS
  const queryTimeoutMs = init.queryTimeoutMs ?? DEFAULT_DISCOVERY_QUERY_TIMEOUT_MS
  const redialMinMs = init.redialMinMs ?? DEFAULT_REDIAL_MIN_MS
  const redialMaxMs = init.redialMaxMs ?? DEFAULT_REDIAL_MAX_MS
  const redialFastMaxMs = Math.min(init.redialFastMaxMs ?? DEFAULT_REDIAL_FAST_MAX_MS, redialMaxMs)
  const fastRedialForMs = init.fastRedialForMs ?? DEFAULT_FAST_REDIAL_FOR_MS
  const redialRtts = init.redialRtts ?? DEFAULT_REDIAL_RTTS
  const redialTimeoutMinMs = init.redialTimeoutMinMs ?? DEFAULT_REDIAL_TIMEOUT_MIN_MS
  const redialTimeoutMaxMs = Math.max(redialTimeoutMinMs, init.redialTimeoutMaxMs ?? DEFAULT_REDIAL_TIMEOUT_MAX_MS)
  const forgetAfterMs = init.forgetAfterMs ?? DEFAULT_FORGET_AFTER_MS
  const memberExchange = init.memberExchange ?? true
  const membersProtocol = memberExchangeProtocol(init.cluster)
  let key: CID | undefined
  const self = libp2p.peerId
  /** Keyed by peer id, or by the multiaddr for a join address whose peer id is not known yet. */
  const targets = new Map<string, Target>()
  /** Peer ids whose address now answers under another identity, with when that was seen. */
  const replaced = new Map<string, number>()
  const isReplaced = (id: string): boolean => {
    const at = replaced.get(id)
    if (at !== undefined && Date.now() - at >= forgetAfterMs) replaced.delete(id)
    return replaced.has(id)
  }
  let running = false
  let controller = new AbortController()
  let interval: NodeJS.Timeout | undefined
  let round: Promise<void> | undefined
  let again = false
  let roundStartedAt = 0
  /** Peers identified at least once since start: only a first identify triggers a round. */
  const identified = new Set<string>()
  let firstIdentifyAt = 0
  let watch: NodeJS.Timeout | undefined
  /** kadDHT() builds a single DHT (not the dual LAN/WAN one), which has one routing table. */
  const routingTableSize = (): number => (libp2p.services.dht as SingleKadDHT).routingTable.size

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
    return rtt === undefined ? queryTimeoutMs : Math.min(queryTimeoutMs, redialTimeoutMaxMs, Math.max(redialTimeoutMinMs, rtt * redialRtts))
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
    const started = Date.now()
    // The redial timeout bounds reaching the member: TCP's handshake and the private network's
    // nonce exchange. Once the upgrade begins the member answers, and the rest (Noise, the
    // muxer) may take what a loaded host needs, up to the query timeout.
    const unanswered = new AbortController()
    let answered = false
    const connectTimer = setTimeout(() => {
      if (!answered) unanswered.abort(new Error(`timed out: no answer within ${Date.now() - started} ms`))
    }, dialTimeout(target))
    try {
      const signal = AbortSignal.any([controller.signal, unanswered.signal, AbortSignal.timeout(queryTimeoutMs)])
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
          replaced.set(id, Date.now())
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
      const now = Date.now()
      target.failingSince ??= now
      if (!target.join && now - target.failingSince >= forgetAfterMs) {
        log.info('forgetting a member unreachable for too long', { peer: id })
        targets.delete(id)
        return
      }
      // A dial that hung until a timeout (its SYN or handshake was lost) already waited at least
      // the redial timeout: during an outage's fast phase the next one goes out at once, so the
      // first dial after the heal leaves within one timeout of it, not a timeout plus a backoff
      // step. A refused dial fails at once and backs off.
      const hung = now - started >= redialTimeoutMinMs
      const delay = hung && now - target.failingSince < fastRedialForMs ? 0 : redialIn(target, now)
      log.debug('dial failed; retrying', { peer: id, inMs: delay, err: (err as Error).message })
      retry(id, target, delay)
    } finally {
      clearTimeout(connectTimer)
      target.dialing = false
    }
  }

  async function runRound (): Promise<void> {
    roundStartedAt = Date.now()
    const signal = (): AbortSignal => AbortSignal.any([controller.signal, AbortSignal.timeout(queryTimeoutMs)])
    // Concurrently: the lookup does not need this node's own record, and members starting
    // together find each other a query round trip sooner.
    await Promise.all([provide(signal()), findProviders(signal())])
  }

  async function provide (signal: AbortSignal): Promise<void> {
    try {
      for await (const _ of libp2p.services.dht.provide(key as CID, { signal })) { /* drain the query */ }
    } catch (err) {
      if (running) log.debug('provide failed', { err: (err as Error).message })
    }
  }

  async function findProviders (signal: AbortSignal): Promise<void> {
    try {
      for await (const event of libp2p.services.dht.findProviders(key as CID, { signal })) {
        if (event.name !== 'PROVIDER') continue
        const own = ownAddresses()
        for (const provider of event.providers) found(provider.id, provider.multiaddrs, 'dht', own)
      }
    } catch (err) {
      if (running) log.debug('findProviders failed', { err: (err as Error).message })
    }
  }

  /** A member found by a lookup or named by another member: dialled unless connected. */
  function found (peer: PeerId, addrs: Multiaddr[], via: 'dht' | 'member', own: Set<string>): void {
    const id = peer.toString()
    if (peer.equals(self) || isReplaced(id)) return
    // This node's own address under another id: its identity before its data dir was wiped,
    // whose provider record outlives it. Dialling it would only reach this node.
    if (addrs.length > 0 && addrs.every(a => own.has(a.decapsulateCode(P2P_CODE).toString()))) return
    const isNew = !targets.has(id)
    const target = addTarget(id, { peer, addrs, join: false })
    if (isNew) log.info('found a cluster member', { peer: id, via, addresses: addrs.map(a => a.toString()) })
    void dial(id, target)
  }

  function foundMembers (members: MemberRecord[], from: PeerId): void {
    log.debug('exchanged members with a member', { peer: from.toString(), members: members.length })
    if (!running) return
    const own = ownAddresses()
    for (const m of members) found(m.peer, m.addrs, 'member', own)
  }

  async function exchangeWith (peer: PeerId): Promise<void> {
    try {
      foundMembers(await exchangeMembers(libp2p, membersProtocol, peer, AbortSignal.any([controller.signal, AbortSignal.timeout(queryTimeoutMs)])), peer)
    } catch (err) {
      if (!running) return
      log.debug('member exchange failed', { peer: peer.toString(), err: (err as Error).message })
      watchRoutingTable()
    }
  }

  /** One round at a time; a request during a round runs one more after it. */
  async function discover (): Promise<void> {
    if (!running) return
    if (round !== undefined) {
      again = true
      await round
      return
    }
    round = (async () => {
      do {
        again = false
        await runRound()
      } while (again && running)
    })()
    try {
      await round
    } finally {
      round = undefined
    }
  }

  /**
   * Watches the routing table until `routingWatchMs` after the last first identify: each time it
   * grew, a round (they coalesce); at the end, one more if none started since that identify
   * (the table never took the peer in).
   */
  function watchRoutingTable (): void {
    firstIdentifyAt = Date.now()
    if (watch !== undefined) return
    let watchedSize = routingTableSize()
    const check = (): void => {
      watch = undefined
      if (!running) return
      const size = routingTableSize()
      const grew = size > watchedSize
      watchedSize = size
      if (grew) void discover()
      if (Date.now() < firstIdentifyAt + routingWatchMs) {
        watch = setTimeout(check, ROUTING_POLL_MS)
        watch.unref()
      } else if (roundStartedAt < firstIdentifyAt) {
        void discover()
      }
    }
    watch = setTimeout(check, ROUTING_POLL_MS)
    watch.unref()
  }

  function onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const peer = evt.detail.peerId.toString()
    const known = targets.get(peer)
    if (known === undefined) {
      addTarget(peer, { peer: evt.detail.peerId, addrs: evt.detail.listenAddrs, join: false })
    }
    if (identified.has(peer)) return
    identified.add(peer)
    if (memberExchange && evt.detail.protocols.includes(membersProtocol)) void exchangeWith(evt.detail.peerId)
    else watchRoutingTable()
  }

  /**
   * Connected again, whichever side dialled: the next disconnect starts a fresh backoff. A
   * member back from an outage means the network that cut it off has likely healed for the
   * others too: every member still lost is dialled now rather than at its next backoff step.
   */
  function reconnected (target: Target): void {
    const wasLost = target.failingSince !== undefined
    if (wasLost && target.peer !== undefined) {
      log.info('member reconnected', { peer: target.peer.toString(), outageMs: Date.now() - (target.failingSince ?? 0) })
    }
    target.attempt = 0
    target.failingSince = undefined
    if (!wasLost) return
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
    const now = Date.now()
    target.failingSince ??= now
    retry(id, target, redialIn(target, now))
  }

  return {
    async start () {
      if (running) return
      key ??= clusterKey(init.cluster, await init.keyId)
      running = true
      controller = new AbortController()
      identified.clear()
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
      await libp2p.handle(membersProtocol, createMembersHandler(libp2p, log, foundMembers, queryTimeoutMs), { maxInboundStreams: MEMBERS_INBOUND_STREAMS })
      libp2p.addEventListener('peer:identify', onIdentify)
      libp2p.addEventListener('peer:disconnect', onDisconnect)
      libp2p.addEventListener('peer:connect', onConnect)
      const next = (delay: number): void => {
        interval = setTimeout(() => {
          void discover()
          next(Math.min(delay * 2, intervalMs))
        }, Math.round(delay * (0.75 + random() / 2)))
        interval.unref()
      }
      next(firstDelayMs)
      void discover()
    },
    async stop () {
      if (!running) return
      running = false
      controller.abort()
      libp2p.removeEventListener('peer:identify', onIdentify)
      libp2p.removeEventListener('peer:disconnect', onDisconnect)
      libp2p.removeEventListener('peer:connect', onConnect)
      await libp2p.unhandle(membersProtocol).catch(() => {})
      clearTimeout(interval)
      clearTimeout(watch)
      watch = undefined
      for (const t of targets.values()) { clearTimeout(t.timer); t.timer = undefined }
      await round?.catch(() => {})
    },
    discover,
    known: () => [...targets.values()].flatMap(t => t.peer === undefined ? [] : [t.peer.toString()])
  }
}
