/**
 * The link watch: a node whose cluster interfaces all lost carrier closes its connections and
 * holds its dials, and redials its members the moment the carrier is back. The rules are
 * checked against a directory laid out like /sys/class/net; as root, against a real veth pair.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, type NetworkInterfaceInfo } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { createLinkWatch, onLoopback, type LinkWatch } from '../../transport/link-watch.js'
import { sh } from '../../chaos/net.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'
import { createP2PTestbed, FAST, type TestP2P } from '../helpers/p2p.js'
import { waitFor } from '../helpers/wait-for.js'

const info = (address: string, internal = false): NetworkInterfaceInfo =>
  ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: `${address}/24` })

describe('link watch', () => {
  let sys: string
  let interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>
  let changes: Array<[boolean, string[]]>
  let watch: LinkWatch | undefined
  const setCarrier = (name: string, value: '0' | '1'): void => {
    mkdirSync(join(sys, name), { recursive: true })
    writeFileSync(join(sys, name, 'carrier'), `${value}\n`)
  }
  const start = async (addresses: string[]): Promise<LinkWatch> => {
    watch = createLinkWatch({
      log: createCaptureLogger(),
      addresses: () => addresses,
      onChange: (offline, names) => { changes.push([offline, names]) },
      interfaces: () => interfaces
    }, { pollMs: 5, resolveMs: 20, sysClassNet: sys })
    await watch.start()
    return watch
  }

  beforeEach(() => {
    sys = mkdtempSync(join(tmpdir(), 'camos-sysnet-'))
    changes = []
    setCarrier('lo', '1')
    setCarrier('eth0', '1')
    setCarrier('eth1', '1')
    setCarrier('wlan0', '1')
    interfaces = { lo: [info('127.0.0.1', true)], eth0: [info('10.0.0.5')], eth1: [info('10.1.0.5')], wlan0: [info('192.168.1.5')] }
  })
  afterEach(async () => {
    await watch?.stop()
    watch = undefined
    rmSync(sys, { recursive: true, force: true })
  })

  it('watches the interfaces of the listen addresses, and is offline once all of them lost carrier', async () => {
    const w = await start(['/ip4/10.0.0.5/tcp/4001/p2p/12D3KooWHSE21GAbJK3k1bDQqA7tYCLdrsn1Ftnjny94mcSmqm74', '/ip4/10.1.0.5/tcp/4001', '/ip4/127.0.0.1/tcp/4001'])
    expect(w.watched().sort()).toEqual(['eth0', 'eth1'])
    setCarrier('wlan0', '0')
    setCarrier('eth0', '0')
    setCarrier('eth1', '0')
    await waitFor(() => changes.length === 1, { what: 'offline reported' })
    expect(changes[0]).toEqual([true, expect.arrayContaining(['eth0', 'eth1'])])
    expect(w.offline()).toBe(true)
    // One watched interface with carrier is enough to reach the peers, whatever the others do.
    setCarrier('eth1', '1')
    await waitFor(() => changes.length === 2, { what: 'back reported while eth0 is still without carrier' })
    expect(changes[1][0]).toBe(false)
    expect(w.offline()).toBe(false)
  })

  it('counts an interface set down as without carrier, and judges by the others when one is gone', async () => {
    const w = await start(['/ip4/10.0.0.5/tcp/4001', '/ip4/10.1.0.5/tcp/4001'])
    // eth1 is gone: eth0 alone is left to judge by.
    rmSync(join(sys, 'eth1'), { recursive: true })
    // Reading the carrier of an interface set down fails (EINVAL there, EISDIR here).
    rmSync(join(sys, 'eth0'), { recursive: true })
    mkdirSync(join(sys, 'eth0', 'carrier'), { recursive: true })
    await waitFor(() => changes.length === 1, { what: 'offline reported' })
    expect(w.offline()).toBe(true)
    rmSync(join(sys, 'eth0'), { recursive: true })
    setCarrier('eth0', '1')
    await waitFor(() => changes.length === 2 && !w.offline(), { what: 'back reported' })
  })

  it('never watches loopback, so a node on loopback is never offline', async () => {
    const w = await start(['/ip4/127.0.0.1/tcp/4001'])
    expect(w.watched()).toEqual([])
  })

  it('takes up a listen address\'s interface that had no carrier at start once it shows', async () => {
    // An interface without carrier is not listed by the OS: nothing to watch yet.
    const listed = interfaces
    interfaces = { lo: listed.lo }
    const w = await start(['/ip4/10.0.0.5/tcp/4001'])
    expect(w.watched()).toEqual([])
    interfaces = listed
    await waitFor(() => w.watched().length === 1, { what: 'eth0 watched' })
    setCarrier('eth0', '0')
    await waitFor(() => w.offline(), { what: 'offline' })
  })
})

describe('peers on loopback', () => {
  it('are told by their address', () => {
    expect(onLoopback('/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWHSE21GAbJK3k1bDQqA7tYCLdrsn1Ftnjny94mcSmqm74')).toBe(true)
    expect(onLoopback('/ip4/127.3.0.9/tcp/4001')).toBe(true)
    expect(onLoopback('/ip6/::1/tcp/4001')).toBe(true)
    expect(onLoopback('/ip4/10.0.0.5/tcp/4001')).toBe(false)
    expect(onLoopback('/ip6/::1:5/tcp/4001')).toBe(false)
  })
})

/**
 * A real veth pair: A listens on one end's address; B listens on an address of the host's
 * (not loopback's 127/8), C on 127.0.0.1. Redials and discovery rounds are a minute apart, so
 * only the redial at the carrier's return can reconnect A to B within the test. Root only.
 */
describe('a node whose link loses carrier', () => {
  const bed = createP2PTestbed()
  const veth = `clw${process.pid % 100000}`
  const ADDR_A = '198.19.77.1'
  const ADDR_B = '198.19.77.2'
  const SLOW = { ...FAST.discovery, intervalMs: 60_000, redialMinMs: 60_000, redialFastMaxMs: 60_000, redialMaxMs: 60_000 }
  afterEach(async () => {
    await bed.stopAll()
    await sh('ip', ['link', 'del', `${veth}a`]).catch(() => {})
    await sh('ip', ['addr', 'del', `${ADDR_B}/32`, 'dev', 'lo']).catch(() => {})
  })

  it.skipIf(process.getuid?.() !== 0)('closes its connections, holds its dials and redials at once when the carrier returns; loopback peers stay', async () => {
    await sh('ip', ['link', 'add', `${veth}a`, 'type', 'veth', 'peer', 'name', `${veth}b`])
    await sh('ip', ['addr', 'add', `${ADDR_A}/32`, 'dev', `${veth}a`])
    await sh('ip', ['addr', 'add', `${ADDR_B}/32`, 'dev', 'lo'])
    await sh('ip', ['link', 'set', `${veth}b`, 'up'])
    await sh('ip', ['link', 'set', `${veth}a`, 'up'])
    const b = await bed.start({ listen: [`/ip4/${ADDR_B}/tcp/0`], discovery: SLOW })
    const c = await bed.start({ discovery: SLOW })
    const a = await bed.start({ listen: [`/ip4/${ADDR_A}/tcp/0`], join: [b.node.addresses()[0], c.node.addresses()[0]], discovery: SLOW })
    const connectedTo = (peer: TestP2P): boolean => a.node.host.libp2p.getConnections().some(x => x.remotePeer.toString() === peer.node.peerId && x.status === 'open')
    await waitFor(() => connectedTo(b) && connectedTo(c), { what: 'A connected to B and C' })
    const said = (msg: string): boolean => a.log.lines.some(l => l.msg.startsWith(msg))

    await sh('ip', ['link', 'set', `${veth}b`, 'down'])
    await waitFor(() => said('cluster link lost carrier') && !connectedTo(b), { what: 'A offline, its connection to B closed' })
    expect(connectedTo(c)).toBe(true)
    await expect(a.node.host.libp2p.dial(multiaddr(b.node.addresses()[0]))).rejects.toThrow(/gater/)

    await sh('ip', ['link', 'set', `${veth}b`, 'up'])
    await waitFor(() => said('cluster link has carrier again') && connectedTo(b), { timeout: 5_000, what: 'A redialled B at once' })
  })
})
