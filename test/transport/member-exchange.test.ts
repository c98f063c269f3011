/**
 * Member exchange: the codec against malformed input (seeded), and members on loopback telling
 * each other the members they are connected to.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import * as encoding from 'lib0/encoding'
import { decodeMembers, exchangeMembers, encodeMembers, MAX_MEMBERS, memberExchangeProtocol } from '../../transport/member-exchange.js'
import { createRng, testSeed } from '../helpers/seed.js'
import { createP2PTestbed, FAST, type TestP2P } from '../helpers/p2p.js'
import { waitFor } from '../helpers/wait-for.js'

const bed = createP2PTestbed()
afterEach(async () => { await bed.stopAll() })

const PEER = '12D3KooWHi1LdR72bDH5c1QQADTWFmBFyudvVWpezyGmCQx7quLv'

describe('member exchange codec', () => {
  it('round-trips members with their addresses', () => {
    const members = [{ peer: peerIdFromString(PEER), addrs: [multiaddr('/ip4/10.0.0.1/tcp/4001'), multiaddr('/ip6/::1/tcp/4002')] }]
    const decoded = decodeMembers(encodeMembers(members))
    expect(decoded.map(m => ({ peer: m.peer.toString(), addrs: m.addrs.map(a => a.toString()) })))
      .toEqual([{ peer: PEER, addrs: ['/ip4/10.0.0.1/tcp/4001', '/ip6/::1/tcp/4002'] }])
  })

  it('rejects malformed lists, naming what is wrong', () => {
    const list = (fn: (e: encoding.Encoder) => void): Uint8Array => {
      const e = encoding.createEncoder()
      fn(e)
      return encoding.toUint8Array(e)
    }
    expect(() => decodeMembers(list(e => { encoding.writeVarUint(e, MAX_MEMBERS + 1) }))).toThrow(/limit is 256/)
    expect(() => decodeMembers(list(e => { encoding.writeVarUint(e, 1); encoding.writeVarString(e, 'not-a-peer'); encoding.writeVarUint(e, 0) }))).toThrow(/not a peer id/)
    expect(() => decodeMembers(list(e => { encoding.writeVarUint(e, 1); encoding.writeVarString(e, PEER); encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, new Uint8Array([0xff, 0xff])) }))).toThrow(/not a multiaddr/)
    expect(() => decodeMembers(list(e => { encoding.writeVarUint(e, 2); encoding.writeVarString(e, PEER); encoding.writeVarUint(e, 0) }))).toThrow(/truncated/)
    expect(() => decodeMembers(list(e => { encoding.writeVarUint(e, 0); encoding.writeUint8(e, 7) }))).toThrow(/trailing/)
  })

  it('throws an Error (never anything else) on random and mutated input', () => {
    const seed = testSeed('member exchange fuzz')
    const rng = createRng(seed)
    const valid = encodeMembers([{ peer: peerIdFromString(PEER), addrs: [multiaddr('/ip4/10.0.0.1/tcp/4001')] }])
    for (let i = 0; i < 2_000; i++) {
      const bytes = i % 2 === 0
        ? Uint8Array.from({ length: Math.floor(rng() * 64) }, () => Math.floor(rng() * 256))
        : valid.map(b => rng() < 0.05 ? Math.floor(rng() * 256) : b).subarray(0, Math.floor(rng() * (valid.length + 1)))
      try {
        decodeMembers(bytes)
      } catch (err) {
        expect(err).toBeInstanceOf(Error)
      }
    }
  })
})

/** No DHT round after the one at start: what is found, member exchange found. */
const NO_ROUNDS = { discovery: { ...FAST.discovery, firstDelayMs: 600_000, intervalMs: 600_000 } }
const peersOf = (t: TestP2P): string[] => t.node.host.libp2p.getPeers().map(p => p.toString()).sort()
const foundVia = (t: TestP2P, peer: string): unknown => t.log.lines.find(l => l.msg === 'found a cluster member' && l.fields?.peer === peer)?.fields?.via

describe('member exchange between nodes', () => {
  it('answers with the other members it is connected to and their listen addresses', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    const c = await bed.start({ join: [b.node.addresses()[0]] })
    await waitFor(() => b.node.host.libp2p.getPeers().length === 2, { what: 'A and C connected to B' })
    const members = await exchangeMembers(c.node.host.libp2p, memberExchangeProtocol('test'), b.node.host.peerId, AbortSignal.timeout(5_000))
    const listed = members.map(m => m.peer.toString())
    expect(listed).toContain(a.node.peerId)
    expect(listed).not.toContain(c.node.peerId)
    expect(listed).not.toContain(b.node.peerId)
    const aAddrs = members.find(m => m.peer.toString() === a.node.peerId)?.addrs.map(x => x.toString()) ?? []
    expect(aAddrs).toContain(a.node.addresses()[0].replace(/\/p2p\/.*$/, ''))
  })

  it('two members that meet tell each other their members, and each dials the ones it lacks', async () => {
    // A opens no exchanges itself: it hears of D only from the list C opens its exchange with.
    const a = await bed.start({ discovery: { ...NO_ROUNDS.discovery, memberExchange: false } })
    const b = await bed.start({ ...NO_ROUNDS, join: [a.node.addresses()[0]] })
    const c = await bed.start(NO_ROUNDS)
    const d = await bed.start({ ...NO_ROUNDS, join: [c.node.addresses()[0]] })
    await waitFor(() => peersOf(a).length === 1 && peersOf(c).length === 1, { what: 'two pairs, A-B and C-D' })
    // C joins A: A hears of D from C, C of B from A.
    await c.node.host.libp2p.dial(a.node.host.libp2p.getMultiaddrs()[0])
    const all = [a, b, c, d]
    await waitFor(() => all.every(t => peersOf(t).length === 3), { timeout: 10_000, what: 'a full mesh of the four' })
    expect(foundVia(a, d.node.peerId)).toBe('member')
    expect(foundVia(c, b.node.peerId)).toBe('member')
  })

  it('drops a malformed list: the node that opened the exchange logs it and stays connected', async () => {
    const a = await bed.start()
    const protocol = memberExchangeProtocol('test')
    await a.node.host.libp2p.unhandle(protocol)
    await a.node.host.libp2p.handle(protocol, async stream => {
      const lp = lpStream(stream)
      await lp.read()
      await lp.write(Uint8Array.from([5, 1, 2, 3]))
      await stream.close()
    })
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    await waitFor(() => b.log.lines.some(l => l.msg === 'member exchange failed'), { what: 'B tried the exchange' })
    expect(b.log.lines.find(l => l.msg === 'member exchange failed')?.fields?.err).toMatch(/not a peer id/)
    expect(b.node.host.libp2p.getPeers().map(p => p.toString())).toEqual([a.node.peerId])
  })
})
