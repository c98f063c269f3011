/**
 * Join and discovery on loopback: a node that knows one member finds the others through the
 * DHT, reconnects after a member restarts, and membership tracks liveness.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Startable } from '@libp2p/interface'
import type { SingleKadDHT } from '@libp2p/kad-dht'
import { backoffDelay } from '../../transport/backoff.js'
import { clusterKey, type DiscoveryInit } from '../../transport/discovery.js'
import { unresolvedAddress } from '../../transport/member-dialer.js'
import { sh } from '../../chaos/net.js'
import { camosUserAgent } from '../../transport/membership.js'
import { PSK_NONCE_BYTES } from '../../transport/psk.js'
import { startBlackHole, type BlackHole } from '../helpers/black-hole.js'
import { startSlowLink } from '../helpers/slow-link.js'
import { createP2PTestbed, FAST, type TestP2P } from '../helpers/p2p.js'
import { waitFor } from '../helpers/wait-for.js'

const bed = createP2PTestbed()
afterEach(async () => { await bed.stopAll() })

const connectedTo = (t: TestP2P): string[] => t.node.host.libp2p.getPeers().map(p => p.toString()).sort()
/** The 'dial failed; retrying' log fields of `t`'s redials of `peer`. */
const redials = (t: TestP2P, peer: string): Array<Record<string, unknown>> => t.log.lines
  .filter(l => l.msg === 'dial failed; retrying' && l.fields?.peer === peer).map(l => l.fields ?? {})
const hungIn = (fields: Array<Record<string, unknown>>): Array<Record<string, unknown>> => fields.filter(r => /abort|time/i.test(String(r.err)))
const tcpPort = (t: TestP2P): number => Number(/tcp\/(\d+)/.exec(t.node.addresses()[0])![1])
/** Discovery without member exchange: what is found, the DHT found. */
const DHT_ONLY = { ...FAST.discovery, memberExchange: false }
const alive = (t: TestP2P): string[] => t.node.members().filter(m => m.state === 'alive').map(m => m.peerId).sort()

describe('discovery', () => {
  it('connects a node that knows only B to A as well, through the DHT', async () => {
    const a = await bed.start()
    // B opens no exchange either: an exchange B opened with C would name A to C.
    const b = await bed.start({ join: [a.node.addresses()[0]], discovery: DHT_ONLY })
    await waitFor(() => connectedTo(a).length === 1, { what: 'B joined A' })
    const c = await bed.start({ join: [b.node.addresses()[0]], discovery: DHT_ONLY })
    await waitFor(() => connectedTo(c).includes(a.node.peerId), { timeout: 15_000, what: 'C found and dialled A' })
    // Through the DHT either way: C's provider lookup names A (found via 'dht'), or the lookup's
    // own query dials A first and A is then met, not found (about one run in six here).
    const found = c.log.lines.find(l => l.msg === 'found a cluster member' && l.fields?.peer === a.node.peerId)?.fields?.via
    expect(found === undefined || found === 'dht', `C found A via ${String(found)}`).toBe(true)
    expect(connectedTo(c)).toEqual([a.node.peerId, b.node.peerId].sort())
    await waitFor(() => alive(a).length === 2 && alive(b).length === 2 && alive(c).length === 2, { what: 'everyone alive to everyone' })
    // A full mesh: a sync stream with both others on every node.
    const streamPeers = (t: TestP2P): number => new Set(t.channels.map(ch => ch.peer)).size
    await waitFor(() => [a, b, c].every(t => streamPeers(t) === 2), { what: 'sync streams between every pair' })
    await waitFor(() => c.node.members().find(m => m.peerId === a.node.peerId)?.addresses.some(addr => addr.startsWith('/ip4/127.0.0.1/tcp/')) === true, { what: 'A\'s listen address known to C' })
  })

  it('never dials itself, even when told to join its own address', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    await b.node.stop()
    const again = await bed.start({ join: [a.node.addresses()[0], b.node.addresses()[0]] }, b.dataDir)
    expect(again.node.peerId).toBe(b.node.peerId)
    await waitFor(() => connectedTo(again).includes(a.node.peerId), { what: 'rejoined A' })
    await again.node.discovery.discover()
    expect(connectedTo(again)).toEqual([a.node.peerId])
    expect(again.node.discovery.known()).not.toContain(again.node.peerId)
  })

  it('ignores the provider record of its own former identity (data dir wiped, same address)', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    // C knows only A: it finds B through B's provider record.
    const c = await bed.start({ join: [a.node.addresses()[0]], discovery: DHT_ONLY })
    await waitFor(() => connectedTo(c).includes(b.node.peerId), { timeout: 15_000, what: 'C found B through the DHT' })
    const port = tcpPort(b)
    await b.node.stop()
    const wiped = await bed.start({ join: [a.node.addresses()[0]], listen: [`/ip4/127.0.0.1/tcp/${port}`], discovery: DHT_ONLY })
    expect(wiped.node.peerId).not.toBe(b.node.peerId)
    await waitFor(() => connectedTo(wiped).includes(c.node.peerId), { timeout: 15_000, what: 'the wiped node found C' })
    await wiped.node.discovery.discover()
    expect(wiped.node.discovery.known()).not.toContain(b.node.peerId)
    expect(redials(wiped, b.node.peerId)).toEqual([])
  })

  it('redials a member that restarts on the same data dir and tracks it alive, suspect, down, alive', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]], userAgent: camosUserAgent('9.9.9', 'test-b') })
    // Identified: A knows B's node id and listen addresses, which it redials later.
    await waitFor(() => a.node.members().find(m => m.peerId === b.node.peerId)?.nodeId === 'test-b', { what: 'B identified by A' })
    expect(a.node.members().find(m => m.peerId === b.node.peerId)).toMatchObject({ state: 'alive', version: '9.9.9', connected: true })
    const addr = b.node.addresses()[0]
    await b.node.stop()
    await waitFor(() => a.node.members().find(m => m.peerId === b.node.peerId)?.state === 'suspect', { what: 'B suspect on A' })
    await waitFor(() => a.node.members().find(m => m.peerId === b.node.peerId)?.state === 'down', { what: 'B down on A' })
    expect(a.node.counts()).toEqual({ alive: 0, suspect: 0, down: 1 })
    // Same identity and port: A's redial (with backoff) finds it without B knowing anyone.
    const port = /tcp\/(\d+)/.exec(addr)![1]
    const back = await bed.start({ listen: [`/ip4/127.0.0.1/tcp/${port}`] }, b.dataDir)
    await waitFor(() => alive(a).includes(back.node.peerId), { timeout: 15_000, what: 'A redialled B' })
  })

  it('runs a round when a peer is first identified, and none when a known member reconnects', async () => {
    // No scheduled rounds within the test: only the one at start and the triggered ones.
    const discovery = { ...DHT_ONLY, firstDelayMs: 600_000, intervalMs: 600_000, routingWatchMs: 200 }
    const a = await bed.start({ discovery })
    const dht = a.node.host.libp2p.services.dht
    const lookup = dht.findProviders.bind(dht)
    let rounds = 0
    dht.findProviders = (...args) => { rounds++; return lookup(...args) }
    let identifies = 0
    const b = await bed.start({ discovery, join: [a.node.addresses()[0]] })
    a.node.host.libp2p.addEventListener('peer:identify', evt => { if (evt.detail.peerId.toString() === b.node.peerId) identifies++ })
    await waitFor(() => rounds >= 1, { what: 'A ran a round for B, a new member' })
    // Let any round still running finish (this runs one more after it).
    await a.node.discovery.discover()
    const settled = rounds
    const before = identifies
    await a.node.host.libp2p.hangUp(b.node.host.libp2p.peerId)
    await waitFor(() => identifies > before && connectedTo(a).includes(b.node.peerId), { timeout: 15_000, what: 'B reconnected and identified again' })
    // An absence can only be watched for: twice the routing-table watch with no round.
    await new Promise(resolve => setTimeout(resolve, 2 * discovery.routingWatchMs))
    expect(rounds).toBe(settled)
  })

  it('asks a newly identified member which members it knows, instead of running a DHT round', async () => {
    const discovery = { ...FAST.discovery, firstDelayMs: 600_000, intervalMs: 600_000, routingWatchMs: 200 }
    const a = await bed.start({ discovery })
    await a.node.discovery.discover()
    const dht = a.node.host.libp2p.services.dht
    const lookup = dht.findProviders.bind(dht)
    let rounds = 0
    dht.findProviders = (...args) => { rounds++; return lookup(...args) }
    const b = await bed.start({ discovery, join: [a.node.addresses()[0]] })
    await waitFor(() => a.log.lines.some(l => l.msg === 'exchanged members with a member' && l.fields?.peer === b.node.peerId), { what: 'A asked B' })
    // An absence can only be watched for: twice the routing-table watch with no round.
    await new Promise(resolve => setTimeout(resolve, 2 * discovery.routingWatchMs))
    expect(rounds).toBe(0)
  })

  it('runs the round for a new peer once the DHT holds it in its routing table', async () => {
    const discovery = { ...DHT_ONLY, firstDelayMs: 600_000, intervalMs: 600_000 }
    const a = await bed.start({ discovery })
    const dht = a.node.host.libp2p.services.dht as SingleKadDHT
    const lookup = dht.findProviders.bind(dht)
    const tableSizes: number[] = []
    dht.findProviders = (...args) => { tableSizes.push(dht.routingTable.size); return lookup(...args) }
    // 40 ms each way: the DHT's ping of B (a new stream, then a request), before it adds B,
    // takes a few 80 ms round trips after B was identified — and fails outright if it has to
    // wait for a membership heartbeat's ping stream to B.
    const link = await startSlowLink(tcpPort(a), 40)
    try {
      await bed.start({ discovery, join: [`/ip4/127.0.0.1/tcp/${link.port}/p2p/${a.node.peerId}`] })
      await waitFor(() => tableSizes.length >= 1, { what: 'A ran a round for B, a new member' })
      // A lookup before the DHT added B would have asked no one.
      expect(tableSizes[0]).toBeGreaterThanOrEqual(1)
    } finally {
      link.close()
    }
  })

  it('hangs up a connected member that stops answering and redials it once it answers again', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    await waitFor(() => alive(a).includes(b.node.peerId), { what: 'B alive on A' })
    let hangUps = 0
    a.node.host.libp2p.addEventListener('peer:disconnect', evt => { if (evt.detail.toString() === b.node.peerId) hangUps++ })
    // B's connection stays open but its pings go unanswered, as through a partition.
    const bPing = b.node.host.libp2p.services.ping as unknown as Startable
    await bPing.stop()
    await waitFor(() => hangUps >= 1, { what: 'A closed its connection to the silent B' })
    expect(a.node.members().find(m => m.peerId === b.node.peerId)?.state).not.toBe('alive')
    await bPing.start()
    await waitFor(() => alive(a).includes(b.node.peerId), { what: 'A redialled B and hears it again' })
  })

  it('replaces its connection to a member on request: the old one closes and a new one opens', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    await waitFor(() => connectedTo(a).includes(b.node.peerId), { what: 'A connected to B' })
    const conns = (t: TestP2P, peer: string): string[] => t.node.host.libp2p.getConnections().filter(c => c.remotePeer.toString() === peer && c.status === 'open').map(c => c.id)
    const old = conns(a, b.node.peerId)
    a.node.replaceConnections(b.node.peerId, 'sync link stuck for 1000 ms')
    await waitFor(() => conns(a, b.node.peerId).length > 0 && conns(a, b.node.peerId).every(id => !old.includes(id)), { what: 'A holds only a new connection to B' })
    expect(old.length).toBeGreaterThan(0)
  })
})

describe('dial races', () => {
  it('a redial that fails after the member came back on its own starts no new outage', async () => {
    let blackHole: BlackHole | undefined
    try {
      const slowDial = { discovery: { ...FAST.discovery, redialTimeoutMinMs: 2_000 } }
      const a = await bed.start(slowDial)
      const b = await bed.start({ join: [a.node.addresses()[0]] })
      await waitFor(() => alive(a).includes(b.node.peerId), { what: 'B alive on A' })
      await waitFor(() => a.node.discovery.known().includes(b.node.peerId), { what: 'B a known member of A' })
      const port = tcpPort(b)
      await b.node.stop()
      // B's old address now accepts and never answers: A's redial there hangs like one whose
      // SYN was lost, until its dial timeout.
      const hole = blackHole = await startBlackHole(port)
      await waitFor(() => hole.accepted() > 0, { what: 'A redialling B into the black hole' })
      const back = await bed.start({ join: [a.node.addresses()[0]] }, b.dataDir)
      await waitFor(() => a.log.lines.some(l => l.msg === 'member reconnected' && l.fields?.peer === back.node.peerId), { what: 'B back on A' })
      const reconnectedAt = a.log.lines.length
      const hanging = hole.accepted()
      // A's hanging redial times out with B connected: that is no failure of B. Its end shows in
      // A's log, or as the hole's sockets closing (libp2p may hold a socket a little longer).
      const ended = (): boolean => a.log.lines.slice(reconnectedAt).some(l => l.msg === 'dial failed with the member connected anyway; no outage' && l.fields?.peer === back.node.peerId)
      await waitFor(() => ended() || hole.firstClosed(hanging), { timeout: 15_000, what: 'A gave up its redial into the black hole' })
      const after = a.log.lines.slice(reconnectedAt).filter(l => l.fields?.peer === back.node.peerId)
      expect(after.map(l => l.msg)).not.toContain('dial failed; retrying')
      // The next outage is timed from its own start, not from that failed dial.
      // Taken before the hang-up: A may see the connection close before hangUp() resolves here.
      const hungUp = Date.now()
      await back.node.host.libp2p.hangUp(a.node.host.peerId)
      await waitFor(() => a.log.lines.slice(reconnectedAt).some(l => l.msg === 'member reconnected'), { timeout: 10_000, what: 'A and B connected again' })
      const outage = a.log.lines.slice(reconnectedAt).find(l => l.msg === 'member reconnected')?.fields?.outageMs as number
      expect(outage).toBeLessThanOrEqual(Date.now() - hungUp)
    } finally {
      blackHole?.close()
    }
  })
})

describe('redial pacing', () => {
  it('redials at once after a dial that timed out, and backs off after one that was refused', async () => {
    let blackHole: BlackHole | undefined
    try {
      // Backoff steps of 200-400 ms and up, dial timeout 300 ms: the two are told apart by inMs.
      const a = await bed.start({ discovery: { ...FAST.discovery, redialMinMs: 400, redialMaxMs: 2_000, redialFastMaxMs: 2_000, redialTimeoutMinMs: 300 } })
      const b = await bed.start({ join: [a.node.addresses()[0]] })
      await waitFor(() => a.node.discovery.known().includes(b.node.peerId), { what: 'B a known member of A' })
      const port = tcpPort(b)
      await b.node.stop()
      const retries = (): Array<Record<string, unknown>> => redials(a, b.node.peerId)
      await waitFor(() => retries().length >= 1, { what: 'a refused redial' })
      expect(retries()[0].inMs as number).toBeGreaterThanOrEqual(200)
      // The port now accepts and never answers: every redial hangs until a timeout.
      const hole = blackHole = await startBlackHole(port)
      const before = retries().length
      const hung = (): Array<Record<string, unknown>> => hungIn(retries().slice(before))
      await waitFor(() => hole.accepted() > 0 && hung().length >= 2, { timeout: 10_000, what: 'two redials hung in the black hole' })
      expect(hung().map(r => r.inMs)).toEqual(hung().map(() => 0))
    } finally {
      blackHole?.close()
    }
  })
})

describe('redials of an address that does not resolve', () => {
  // An `unreachable` route makes connect() fail with EHOSTUNREACH, as a neighbour whose ARP
  // resolution failed does (a link down); TEST-NET-2 is never a real host. Root only.
  const ADDR = '198.51.100.7'
  it.skipIf(process.getuid?.() !== 0)('go out at a random moment of the spread, not at the backoff step', async () => {
    await sh('ip', ['route', 'add', 'unreachable', `${ADDR}/32`])
    try {
      const random = (): number => 0.9
      const discovery = { ...FAST.discovery, redialMinMs: 50, redialFastMaxMs: 100, unresolvedSpreadMs: 1_000 }
      const a = await bed.start({ discovery, join: [`/ip4/${ADDR}/tcp/4001`] }, undefined, { random })
      const retries = (): Array<Record<string, unknown>> => a.log.lines.filter(l => l.msg === 'dial failed; retrying').map(l => l.fields ?? {})
      await waitFor(() => retries().length >= 2, { what: 'two redials of the unresolved address' })
      for (const r of retries().slice(0, 2)) expect(String(r.err)).toMatch(/EHOSTUNREACH/)
      // Backoff would have said 95 ms (0.9 of its step of 50-100 ms); the spread says 900.
      expect(retries().slice(0, 2).map(r => r.inMs)).toEqual([900, 900])
    } finally {
      await sh('ip', ['route', 'del', 'unreachable', `${ADDR}/32`])
    }
  })

  it('are told by the error code, also inside an AggregateError', () => {
    const unreach = Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' })
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    expect(unresolvedAddress(unreach)).toBe(true)
    expect(unresolvedAddress(refused)).toBe(false)
    expect(unresolvedAddress(new AggregateError([refused, unreach]))).toBe(true)
    expect(unresolvedAddress(new AggregateError([refused]))).toBe(false)
    expect(unresolvedAddress(new Error('timed out'))).toBe(false)
  })
})

/** A (with these discovery options) knew B's round trip, then B stopped: A redials B's port. */
async function memberGoneAfterItsRoundTrip (discovery: Partial<DiscoveryInit>): Promise<{ a: TestP2P, b: TestP2P, port: number }> {
  const a = await bed.start({ discovery: { ...FAST.discovery, ...discovery } })
  const b = await bed.start({ join: [a.node.addresses()[0]] })
  await waitFor(() => a.node.members().find(m => m.peerId === b.node.peerId)?.rttMs !== undefined, { what: 'B\'s round trip known on A' })
  const port = tcpPort(b)
  await b.node.stop()
  return { a, b, port }
}

describe('redial timeout', () => {
  it('is capped however slow the member\'s pings were', async () => {
    let blackHole: BlackHole | undefined
    try {
      // 100,000 round trips would be minutes: only the cap can end a hung redial early.
      const { a, b, port } = await memberGoneAfterItsRoundTrip({ redialRtts: 100_000, redialTimeoutMaxMs: 400 })
      const hole = blackHole = await startBlackHole(port)
      const hung = (): number => hungIn(redials(a, b.node.peerId)).length
      const before = hung()
      const started = Date.now()
      await waitFor(() => hole.accepted() > 0 && hung() >= before + 3, { timeout: 4_000, what: 'three redials given up on within the cap' })
      expect(Date.now() - started).toBeLessThan(4_000)
    } finally {
      blackHole?.close()
    }
  })

  it('bounds reaching the member, not a handshake the member answered', async () => {
    let blackHole: BlackHole | undefined
    try {
      // Redial timeout 300 ms, query timeout 2 s: a dial the member answers may take the latter.
      const { a, b, port } = await memberGoneAfterItsRoundTrip({ redialTimeoutMinMs: 300, redialTimeoutMaxMs: 300, queryTimeoutMs: 2_000 })
      const before = redials(a, b.node.peerId).length
      // B's port answers the private network's nonce exchange, then stalls Noise.
      const hole = blackHole = await startBlackHole(port, new Uint8Array(PSK_NONCE_BYTES))
      await waitFor(() => hole.accepted() > 0, { what: 'A redialling B' })
      const opened = Date.now()
      await waitFor(() => hungIn(redials(a, b.node.peerId).slice(before)).length >= 2, { timeout: 10_000, what: 'two redials given up on' })
      // Each waited for the query timeout, not the 300 ms redial timeout.
      expect(Date.now() - opened).toBeGreaterThanOrEqual(2_000)
    } finally {
      blackHole?.close()
    }
  })
})

describe('round-trip times', () => {
  it('measures a member\'s round trip while its sync frames keep it from needing pings', async () => {
    let a: TestP2P | undefined
    // Every connected peer was "heard from" just now, as under steady sync traffic.
    const heardNow = (): Array<{ peer: string, idleMs: number, lagMs: number }> =>
      (a?.node.host.libp2p.getPeers() ?? []).map(p => ({ peer: p.toString(), idleMs: 0, lagMs: 0 }))
    a = await bed.start({ membership: { ...FAST.membership, rttRefreshMs: 300 } }, undefined, { syncActivity: heardNow })
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    await waitFor(() => a?.node.members().find(m => m.peerId === b.node.peerId)?.rttMs !== undefined, { what: 'B\'s round trip measured on A' })
  })
})

describe('backoff and keys', () => {
  it('doubles up to the cap with jitter in [base/2, base]', () => {
    expect(backoffDelay(0, 100, 1000, () => 0)).toBe(50)
    expect(backoffDelay(0, 100, 1000, () => 1)).toBe(100)
    expect(backoffDelay(3, 100, 1000, () => 1)).toBe(800)
    expect(backoffDelay(10, 100, 1000, () => 0.5)).toBe(750)
  })

  it('gives each cluster and key its own DHT key', () => {
    const k = (c: string, id: string): string => clusterKey(c, id).toString()
    expect(k('a', '1')).toBe(k('a', '1'))
    expect(new Set([k('a', '1'), k('b', '1'), k('a', '2')]).size).toBe(3)
  })
})
