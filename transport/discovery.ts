/**
 * Joining a cluster and finding its members.
 *
 * - `--join` addresses, and every member found or met, are dialled and kept dialled by
 *   member-dialer.ts.
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
 */
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { createMemberDialer, type MemberDialerInit } from './member-dialer.js'
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
/** Member exchanges one connection may have open at once. */
const MEMBERS_INBOUND_STREAMS = 2

const RAW_CODEC = 0x55
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

/** Joining and redialling (member-dialer.ts), whose dials the query timeout bounds too. */
export interface DiscoveryInit extends Omit<MemberDialerInit, 'dialTimeoutMs'> {
  cluster: string
  /** Key id of the network key (keyIdOf); start() waits for it while the key is being derived. */
  keyId: string | Promise<string>
  intervalMs?: number
  firstDelayMs?: number
  routingWatchMs?: number
  queryTimeoutMs?: number
  /** Open an exchange of member lists with each member identified for the first time (member-exchange.ts); default true. Exchanges others open are answered either way. */
  memberExchange?: boolean
}

export interface Discovery extends Startable {
  /** Runs one round now; resolves when it finished. */
  discover: () => Promise<void>
  /** Peer ids of every member known (joined, found or met), connected or not. */
  known: () => string[]
  /** Dials every member still lost now (this node's link is back: link-watch.ts). */
  redialLost: () => void
}

export function createDiscovery (components: DiscoveryComponents, init: DiscoveryInit): Discovery {
  const { libp2p, log, rttOf } = components
  const random = components.random ?? Math.random
  const intervalMs = init.intervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS
  const firstDelayMs = Math.min(init.firstDelayMs ?? DEFAULT_DISCOVERY_FIRST_DELAY_MS, intervalMs)
  const routingWatchMs = init.routingWatchMs ?? DEFAULT_ROUTING_WATCH_MS
  const queryTimeoutMs = init.queryTimeoutMs ?? DEFAULT_DISCOVERY_QUERY_TIMEOUT_MS
  const memberExchange = init.memberExchange ?? true
  const membersProtocol = memberExchangeProtocol(init.cluster)
  const dialer = createMemberDialer({ libp2p, log, random, rttOf }, { ...init, dialTimeoutMs: queryTimeoutMs })
  let key: CID | undefined
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

  async function runRound (): Promise<void> {
    roundStartedAt = performance.now()
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
        dialer.found(event.providers.map(p => ({ peer: p.id, addrs: p.multiaddrs })), 'dht')
      }
    } catch (err) {
      if (running) log.debug('findProviders failed', { err: (err as Error).message })
    }
  }


  function foundMembers (members: MemberRecord[], from: PeerId): void {
    log.debug('exchanged members with a member', { peer: from.toString(), members: members.length })
    if (running) dialer.found(members, 'member')
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
    firstIdentifyAt = performance.now()
    if (watch !== undefined) return
    let watchedSize = routingTableSize()
    const check = (): void => {
      watch = undefined
      if (!running) return
      const size = routingTableSize()
      const grew = size > watchedSize
      watchedSize = size
      if (grew) void discover()
      if (performance.now() < firstIdentifyAt + routingWatchMs) {
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
    dialer.met(evt.detail.peerId, evt.detail.listenAddrs)
    if (identified.has(peer)) return
    identified.add(peer)
    if (memberExchange && evt.detail.protocols.includes(membersProtocol)) void exchangeWith(evt.detail.peerId)
    else watchRoutingTable()
  }

  return {
    async start () {
      if (running) return
      key ??= clusterKey(init.cluster, await init.keyId)
      running = true
      controller = new AbortController()
      identified.clear()
      await dialer.start()
      await libp2p.handle(membersProtocol, createMembersHandler(libp2p, log, foundMembers, queryTimeoutMs), { maxInboundStreams: MEMBERS_INBOUND_STREAMS })
      libp2p.addEventListener('peer:identify', onIdentify)
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
      await dialer.stop()
      await libp2p.unhandle(membersProtocol).catch(() => {})
      clearTimeout(interval)
      clearTimeout(watch)
      watch = undefined
      await round?.catch(() => {})
    },
    discover,
    known: dialer.known,
    redialLost: dialer.redialLost
  }
}
