/**
 * The membership view of a node: every peer of the cluster it has been connected to, with its
 * addresses, node id and version (from identify's agent version), and a liveness state.
 *
 * Liveness comes from evidence of life: a connection opening, an answered ping (sent every
 * `heartbeatIntervalMs` to every connected member not heard from since), or a sync frame
 * received. A member is ALIVE while connected and heard from within `suspectAfterMs`, SUSPECT
 * when not heard from since (or disconnected), DOWN when not heard from for `downAfterMs`.
 * Frame violations are counted per member.
 *
 * A member that turns suspect while its connection is still open loses that connection: the
 * node aborts it, and discovery redials. A connection silenced by a partition otherwise resumes
 * only at TCP's next retransmission, whose interval doubles with every loss — seconds after the
 * network healed — while a fresh dial answers within a round trip of the heal. When the node
 * itself was stopped or blocked (its heartbeat came late by more than half the suspect time), the
 * silence is its own: members get a fresh suspect period to answer before anything is closed.
 *
 * The members heard from within `forgetAfterMs` are kept in `stateFile` (peer id, node id,
 * addresses) and known again after a restart, as not yet heard from, with a fresh
 * `forgetAfterMs`: a node restarted into a partition still counts the members it cannot reach
 * (replication.ts), instead of being a cluster of one. A member whose listen address another
 * peer id identifies with while it is disconnected was replaced (a wiped node, a node
 * reinstalled) and is dropped.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import type { Connection, IdentifyResult, PeerId } from '@libp2p/interface'
import { DEFAULT_FORGET_AFTER_MS } from './member-dialer.js'
import type { Logger, Startable } from '../crdt/types.js'
import type { P2PLibp2p } from './host.js'

/** How often connected members are pinged, ms. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000
/**
 * How old a member's round-trip time may get before it is pinged anyway, ms. Members that send
 * sync frames need no pings to prove them alive, but their round-trip time times redials.
 */
export const DEFAULT_RTT_REFRESH_MS = 10_000
/** Answered pings whose smallest round-trip time is the member's (rttOf), count. */
export const RECENT_RTTS = 8
/** Silence after which a member is suspect, ms. */
export const DEFAULT_SUSPECT_AFTER_MS = 3_000
/** Silence after which a member is down, ms. */
export const DEFAULT_DOWN_AFTER_MS = 10_000

export type MemberState = 'alive' | 'suspect' | 'down'
export const MEMBER_STATES: readonly MemberState[] = ['alive', 'suspect', 'down']

/** The identify agent version of a node: `camos/<version> node/<node id>`. */
export function camosUserAgent (version: string, nodeId: string): string {
  return `camos/${version} node/${nodeId}`
}

export function parseUserAgent (agent: string): { version: string, nodeId: string } | undefined {
  const m = /^camos\/(\S+) node\/(\S+)$/.exec(agent)
  return m === null ? undefined : { version: m[1], nodeId: m[2] }
}

export interface MemberView {
  peerId: string
  nodeId: string
  version: string
  addresses: string[]
  state: MemberState
  connected: boolean
  /** ms since the epoch of the last sign of life (0 = never). */
  lastSeenMs: number
  /** Round-trip time of the last answered ping, ms. */
  rttMs: number | undefined
  violations: number
}

/** Each peer's sync activity: its last frame is a sign of life as good as a ping. */
export interface PeerSyncActivity {
  peer: string
  /** ms since the last frame received from the peer (undefined: none yet). */
  idleMs: number | undefined
  /** How long the oldest live update to the peer has waited to be sent or acked, ms. */
  lagMs: number
}

export interface MembershipComponents {
  libp2p: P2PLibp2p
  log: Logger
  syncActivity?: () => PeerSyncActivity[]
  /**
   * A monotonic clock, ms (performance.now; injectable for tests). Silence is elapsed time: a
   * step of the wall clock (NTP, or a clock set right after running ahead) must not stretch or
   * cut it. Timed by the wall clock, a node whose clock went back 112 s stopped hanging up on
   * silent members for as long.
   */
  now?: () => number
}

export interface MembershipInit {
  heartbeatIntervalMs?: number
  suspectAfterMs?: number
  downAfterMs?: number
  rttRefreshMs?: number
  /** A member silent this long is no longer kept in `stateFile`, ms. */
  forgetAfterMs?: number
  /** Where the known members are kept across restarts (none: forgotten at every stop). */
  stateFile?: string
}

/** The file of known members, `<dataDir>/members.json`. */
export const MEMBERS_FILE = 'members.json'

export interface Membership extends Startable {
  members: () => MemberView[]
  violation: (peer: string) => void
  /**
   * The smallest round-trip time of the member's last RECENT_RTTS answered pings, ms: a ping
   * answered on a loaded host measures both event loops as much as the path.
   */
  rttOf: (peer: string) => number | undefined
  /** Members by state. */
  counts: () => Record<MemberState, number>
}

interface Member {
  peerId: string
  nodeId: string
  version: string
  addresses: string[]
  connected: boolean
  /** When last heard from, on `now`'s clock (-Infinity: never). */
  lastSeen: number
  rttMs: number | undefined
  /** When rttMs was measured, on `now`'s clock (-Infinity: never). */
  rttAt: number
  /** The last RECENT_RTTS round-trip times, oldest first. */
  recentRtts: number[]
  violations: number
  pinging: boolean
}

export function createMembership (components: MembershipComponents, init: MembershipInit = {}): Membership {
  const { libp2p, log, syncActivity } = components
  const now = components.now ?? (() => performance.now())
  const heartbeatIntervalMs = init.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS
  const suspectAfterMs = init.suspectAfterMs ?? DEFAULT_SUSPECT_AFTER_MS
  const downAfterMs = init.downAfterMs ?? DEFAULT_DOWN_AFTER_MS
  const rttRefreshMs = init.rttRefreshMs ?? DEFAULT_RTT_REFRESH_MS
  const forgetAfterMs = init.forgetAfterMs ?? DEFAULT_FORGET_AFTER_MS
  const stateFile = init.stateFile
  const members = new Map<string, Member>()
  /** What stateFile holds (its JSON), to write it only when that changed. */
  let saved = ''
  let saving: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  let controller = new AbortController()
  let running = false
  let lastTick = 0
  /** No hang-ups before this time (on `now`'s clock): the node itself was silent. */
  let graceUntil = 0

  function memberOf (peer: string): Member {
    let m = members.get(peer)
    if (m === undefined) {
      m = { peerId: peer, nodeId: '', version: '', addresses: [], connected: false, lastSeen: -Infinity, rttMs: undefined, rttAt: -Infinity, recentRtts: [], violations: 0, pinging: false }
      members.set(peer, m)
    }
    return m
  }

  function stateOf (m: Member, at: number): MemberState {
    const silence = at - m.lastSeen
    if (silence >= downAfterMs) return 'down'
    if (m.connected && silence < suspectAfterMs) return 'alive'
    return 'suspect'
  }

  const onConnect = (evt: CustomEvent<PeerId>): void => {
    const m = memberOf(evt.detail.toString())
    m.connected = true
    m.lastSeen = now()
  }
  const onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const m = members.get(evt.detail.toString())
    if (m !== undefined) m.connected = false
  }
  const onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const m = memberOf(evt.detail.peerId.toString())
    const info = parseUserAgent(evt.detail.agentVersion ?? '')
    if (info !== undefined) { m.nodeId = info.nodeId; m.version = info.version }
    m.addresses = evt.detail.listenAddrs.map(a => a.toString())
    m.lastSeen = now()
    for (const other of members.values()) {
      if (other === m || other.connected || !other.addresses.some(a => m.addresses.includes(a))) continue
      members.delete(other.peerId)
      log.info('member replaced: its address now answers under a new peer id', { peer: other.peerId, by: m.peerId })
    }
  }

  async function load (file: string): Promise<void> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      return
    }
    try {
      const known: unknown = JSON.parse(text).members
      if (!Array.isArray(known)) throw new Error('no "members" list')
      const at = now()
      for (const k of known) {
        if (typeof k?.peerId !== 'string' || typeof k.nodeId !== 'string' || !Array.isArray(k.addresses) || !k.addresses.every((a: unknown) => typeof a === 'string')) continue
        const m = memberOf(k.peerId)
        if (m.nodeId === '') m.nodeId = k.nodeId
        if (m.addresses.length === 0) m.addresses = [...k.addresses]
        m.lastSeen = Math.max(m.lastSeen, at)
      }
    } catch (err) {
      log.warn('ignoring an unreadable members file', { file, err: err instanceof Error ? err.message : String(err) })
    }
  }

  /** Writes the members heard from within forgetAfterMs, when they changed (whole file, then renamed). */
  function save (file: string): Promise<void> {
    const at = now()
    const known = [...members.values()].filter(m => at - m.lastSeen < forgetAfterMs)
      .map(m => ({ peerId: m.peerId, nodeId: m.nodeId, addresses: m.addresses }))
      .sort((x, y) => x.peerId < y.peerId ? -1 : 1)
    const text = JSON.stringify({ members: known })
    if (text === saved) return saving
    saved = text
    saving = saving.then(async () => {
      try {
        await writeFile(`${file}.tmp`, text)
        await rename(`${file}.tmp`, file)
      } catch (err) {
        saved = ''
        log.warn('could not save the members file', { file, err: err instanceof Error ? err.message : String(err) })
      }
    })
    return saving
  }

  function absorbSyncActivity (): void {
    for (const a of syncActivity?.() ?? []) {
      const m = members.get(a.peer)
      if (m !== undefined && a.idleMs !== undefined) m.lastSeen = Math.max(m.lastSeen, now() - a.idleMs)
    }
  }

  const openConnections = (m: Member): Connection[] => libp2p.getConnections().filter(c => c.remotePeer.toString() === m.peerId && c.status === 'open')

  /** One ping per member at a time: a member that does not answer does not delay the others. */
  async function ping (m: Member): Promise<void> {
    const conn = openConnections(m)[0]
    if (conn === undefined || m.pinging) return
    m.pinging = true
    try {
      const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(suspectAfterMs)])
      m.rttMs = await libp2p.services.ping.ping(conn.remotePeer, { signal })
      m.lastSeen = now()
      m.rttAt = m.lastSeen
      m.recentRtts.push(m.rttMs)
      if (m.recentRtts.length > RECENT_RTTS) m.recentRtts.shift()
    } catch {
      // No answer: the silence itself moves the member to suspect, then down.
    } finally {
      m.pinging = false
    }
  }

  function hangUpSilent (at: number): void {
    for (const m of members.values()) {
      if (!m.connected || at - m.lastSeen < suspectAfterMs || at < graceUntil) continue
      const conns = openConnections(m)
      if (conns.length === 0) continue
      log.info('member silent; closing its connection to redial', { peer: m.peerId, silentMs: Math.round(at - m.lastSeen) })
      for (const c of conns) c.abort(new Error(`member silent for ${Math.round(at - m.lastSeen)} ms`))
    }
  }

  function tick (): void {
    const at = now()
    if (at - lastTick > heartbeatIntervalMs + suspectAfterMs / 2) graceUntil = at + suspectAfterMs
    lastTick = at
    absorbSyncActivity()
    hangUpSilent(at)
    // A member heard from within the interval (sync frames) needs no ping to prove it alive:
    // each one opens a stream, which costs both nodes more than the frames did. It still gets
    // one when its round-trip time is stale, since that times the redials after an outage.
    for (const m of members.values()) {
      if (m.connected && (at - m.lastSeen >= heartbeatIntervalMs || at - m.rttAt >= rttRefreshMs)) void ping(m)
    }
    if (stateFile !== undefined) void save(stateFile)
  }

  return {
    async start () {
      if (running) return
      running = true
      controller = new AbortController()
      if (stateFile !== undefined) await load(stateFile)
      libp2p.addEventListener('peer:connect', onConnect)
      libp2p.addEventListener('peer:disconnect', onDisconnect)
      libp2p.addEventListener('peer:identify', onIdentify)
      for (const peer of libp2p.getPeers()) onConnect(new CustomEvent('peer:connect', { detail: peer }))
      lastTick = now()
      timer = setInterval(tick, heartbeatIntervalMs)
      timer.unref()
    },
    async stop () {
      if (!running) return
      running = false
      controller.abort()
      clearInterval(timer)
      libp2p.removeEventListener('peer:connect', onConnect)
      libp2p.removeEventListener('peer:disconnect', onDisconnect)
      libp2p.removeEventListener('peer:identify', onIdentify)
      if (stateFile !== undefined) await save(stateFile)
    },
    members () {
      absorbSyncActivity()
      const at = now()
      const wall = Date.now()
      return [...members.values()].map(m => ({
        peerId: m.peerId,
        nodeId: m.nodeId,
        version: m.version,
        addresses: [...m.addresses],
        state: stateOf(m, at),
        connected: m.connected,
        lastSeenMs: m.lastSeen === -Infinity ? 0 : Math.round(wall - (at - m.lastSeen)),
        rttMs: m.rttMs,
        violations: m.violations
      }))
    },
    violation (peer) { memberOf(peer).violations++ },
    rttOf (peer) {
      const rtts = members.get(peer)?.recentRtts
      return rtts === undefined || rtts.length === 0 ? undefined : Math.min(...rtts)
    },
    counts () {
      absorbSyncActivity()
      const at = now()
      const out: Record<MemberState, number> = { alive: 0, suspect: 0, down: 0 }
      for (const m of members.values()) out[stateOf(m, at)]++
      return out
    }
  }
}
