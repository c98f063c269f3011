/**
 * The federation side of a node, assembled: libp2p host, membership, sync streams and
 * discovery. The node's composition root builds one and hands every sync stream to the sync
 * engine through `addChannel`.
 *
 *   start: host → link watch → membership → sync streams → discovery (a failed step stops what started)
 *   stop:  reverse order
 */
import { join } from 'node:path'
import { createP2PHost, type P2PHost, type P2PHostInit } from './host.js'
import { createDiscovery, keyIdOf, type Discovery, type DiscoveryInit } from './discovery.js'
import { createMembership, MEMBERS_FILE, type MemberState, type MemberView, type Membership, type MembershipInit, type PeerSyncActivity } from './membership.js'
import { createSyncStreams, type SyncStreams, type SyncStreamsInit } from './sync-streams.js'
import { createLinkWatch, type LinkWatchInit } from './link-watch.js'
import type { FrameViolation } from './framing.js'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger, Startable } from '../crdt/types.js'
import type { SyncChannel } from './sync/channel.js'

export interface P2PMetrics {
  frameViolation: (reason: FrameViolation) => void
  /** This many interfaces that cluster traffic routes through lost carrier (link-watch.ts). */
  carrierLost: (interfaces: number) => void
}

export interface P2PComponents {
  log: Logger
  addChannel: (channel: SyncChannel) => void
  syncActivity?: () => PeerSyncActivity[]
  metrics?: P2PMetrics
  /** Discovery's jitter (redials, rounds); injectable for tests. */
  random?: () => number
}

export interface P2PInit extends Omit<P2PHostInit, 'listen'> {
  listen: string[]
  join: string[]
  discovery?: Omit<DiscoveryInit, 'cluster' | 'keyId' | 'join'>
  membership?: MembershipInit
  streams?: SyncStreamsInit
  link?: LinkWatchInit
}

export interface ClusterMember extends MemberView {
  /** How long the oldest live update to the member has waited to be sent or acked, ms (undefined: no sync stream). */
  syncLagMs: number | undefined
}

export interface P2PNode extends Startable {
  readonly peerId: string
  readonly host: P2PHost
  readonly discovery: Discovery
  addresses: () => string[]
  members: () => ClusterMember[]
  counts: () => Record<MemberState, number>
  /**
   * Aborts every connection to `peer`; both sides redial it at once, and a fresh connection
   * starts with fresh congestion state (the sync engine's stuck links).
   */
  replaceConnections: (peer: string, reason: string) => void
}

export async function createP2PNode (components: P2PComponents, init: P2PInit): Promise<P2PNode> {
  const { log, addChannel, syncActivity, metrics, random } = components
  // The node sends nothing to peers behind a link without carrier, and redials them once it
  // is back (link-watch.ts says why).
  const links = createLinkWatch({
    log: log.child('link'),
    onChange ({ lost, back }) {
      if (lost.length > 0) {
        log.warn('cluster link lost carrier: connections through it closed and dials held until it returns', { interfaces: lost })
        metrics?.carrierLost(lost.length)
        abortWhere(c => cutOff(c.remoteAddr), `no carrier on ${lost.join(', ')}`)
      }
      if (back.length > 0) {
        log.info('cluster link has carrier again; redialling every member', { interfaces: back })
        discovery.redialLost()
      }
    }
  }, init.link)
  const cutOff = (addr: Multiaddr): boolean => links.cutOff(addr.toString())
  const host = await createP2PHost({ log: log.child('host'), dialHeld: cutOff }, init)
  const libp2p = host.libp2p
  const abortWhere = (which: (c: Connection) => boolean, reason: string): void => {
    for (const c of libp2p.getConnections()) if (which(c)) c.abort(new Error(reason))
  }
  const stateFile = init.dataDir === undefined ? undefined : join(init.dataDir, MEMBERS_FILE)
  const membership: Membership = createMembership({ libp2p, log: log.child('membership'), syncActivity }, { stateFile, ...init.membership })
  const streams: SyncStreams = createSyncStreams({
    libp2p,
    log: log.child('streams'),
    addChannel,
    onViolation: (peer, reason) => {
      membership.violation(peer)
      metrics?.frameViolation(reason)
    }
  }, init.streams)
  const discovery = createDiscovery({ libp2p, log: log.child('discovery'), rttOf: membership.rttOf, random }, {
    ...init.discovery,
    cluster: init.cluster,
    keyId: host.networkKey.then(keyIdOf),
    join: init.join
  })
  const parts: Array<[string, Startable]> = [['host', host], ['link watch', links], ['membership', membership], ['sync streams', streams], ['discovery', discovery]]
  const started: Startable[] = []

  return {
    peerId: host.peerId.toString(),
    host,
    discovery,
    addresses: host.addresses,
    members () {
      const lag = new Map((syncActivity?.() ?? []).map(a => [a.peer, a.lagMs]))
      return membership.members().map(m => ({ ...m, syncLagMs: lag.get(m.peerId) }))
    },
    counts: () => membership.counts(),
    replaceConnections (peer, reason) {
      abortWhere(c => c.remotePeer.toString() === peer, reason)
    },
    async start () {
      if (started.length > 0) return
      for (const [name, part] of parts) {
        try {
          await part.start()
          started.push(part)
        } catch (err) {
          log.error(`p2p ${name} failed to start`, { err: (err as Error).message })
          while (started.length > 0) await started.pop()?.stop().catch(() => {})
          throw err
        }
      }
    },
    async stop () {
      for (let part = started.pop(); part !== undefined; part = started.pop()) {
        await part.stop().catch((err: Error) => { log.warn('p2p part failed to stop cleanly', { err: err.message }) })
      }
    }
  }
}
