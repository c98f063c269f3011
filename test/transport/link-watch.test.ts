/**
 * The link watch: a node cuts off the peers whose traffic leaves through an interface that lost
 * carrier (connections closed, dials held) and redials its members the moment the carrier is
 * back. The rules are checked against directories laid out like /sys/class/net and /proc/net;
 * as root, against a real veth pair into a network namespace.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { endianness, tmpdir, type NetworkInterfaceInfo } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { createLinkWatch, parseRoutes4, parseRoutes6, routeOf, type LinkChange, type LinkWatch } from '../../transport/link-watch.js'
import { sh } from '../../chaos/net.js'
import { startNodeProcess, type NodeProcess } from '../../chaos/node-process.js'
import { createCaptureLogger, type CaptureLogger } from '../helpers/capture-logger.js'
import { createP2PTestbed, FAST } from '../helpers/p2p.js'
import { waitFor } from '../helpers/wait-for.js'

const info = (address: string, internal = false): NetworkInterfaceInfo =>
  ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: `${address}/24` })

/** An IPv4 address as /proc/net/route prints it: hex in host byte order. */
function hex4 (ip: string): string {
  const bytes = ip.split('.').map(b => Number(b).toString(16).padStart(2, '0').toUpperCase())
  return (endianness() === 'LE' ? bytes.reverse() : bytes).join('')
}

/** /proc/net/route's text for routes given as [interface, destination, mask, flags, metric]. */
function routeTable (routes: Array<[string, string, string, number, number]>): string {
  const head = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'
  return [head, ...routes.map(([iface, dest, mask, flags, metric]) =>
    [iface, hex4(dest), hex4('0.0.0.0'), flags.toString(16).padStart(4, '0'), '0', '0', String(metric), hex4(mask), '0', '0', '0'].join('\t'))].join('\n') + '\n'
}

const UP = 0x1
const GATEWAY = 0x2
const REJECT = 0x200
const ROUTES: Array<[string, string, string, number, number]> = [
  ['wlan0', '0.0.0.0', '0.0.0.0', UP | GATEWAY, 600],
  ['eth0', '10.0.0.0', '255.255.255.0', UP, 0],
  ['eth1', '10.1.0.0', '255.255.0.0', UP, 0],
  // A more specific route through eth0 inside eth1's network, and a second, costlier one.
  ['eth0', '10.1.7.0', '255.255.255.0', UP, 0],
  ['eth1', '10.1.7.0', '255.255.255.0', UP, 100],
  ['docker0', '172.17.0.0', '255.255.0.0', UP, 0],
  ['eth1', '203.0.113.0', '255.255.255.0', UP | REJECT, 0]
]
/** /proc/net/ipv6_route: fd00::/64 on eth0, a default through wlan0, ::1 on lo, an unreachable default. */
const ROUTES6 = [
  'fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0',
  '00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003    wlan0',
  '00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo',
  '00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo'
].join('\n') + '\n'

describe('routes', () => {
  it('are read from /proc/net and a peer\'s interface is the longest matching prefix, then the lowest metric', () => {
    const routes = [...parseRoutes4(routeTable(ROUTES)), ...parseRoutes6(ROUTES6)]
    expect(routeOf(routes, '10.0.0.9')).toBe('eth0')
    expect(routeOf(routes, '10.1.200.3')).toBe('eth1')
    expect(routeOf(routes, '10.1.7.3')).toBe('eth0')
    expect(routeOf(routes, '8.8.8.8')).toBe('wlan0')
    expect(routeOf(routes, '172.17.0.2')).toBe('docker0')
    // An unreachable route is no way out: the default is.
    expect(routeOf(routes, '203.0.113.5')).toBe('wlan0')
    expect(routeOf(routes, 'fd00::9')).toBe('eth0')
    expect(routeOf(routes, '2001:db8::1')).toBe('wlan0')
    expect(routeOf(routes.filter(r => r.iface !== 'wlan0'), '8.8.8.8')).toBeUndefined()
  })
})

describe('link watch', () => {
  let sys: string
  let proc: string
  let interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>
  let changes: LinkChange[]
  let watch: LinkWatch | undefined
  let log: CaptureLogger
  const setCarrier = (name: string, value: '0' | '1'): void => {
    mkdirSync(join(sys, name), { recursive: true })
    writeFileSync(join(sys, name, 'carrier'), `${value}\n`)
  }
  /** Reading the carrier of an interface set down fails (EINVAL there, EISDIR here), and its routes go. */
  const setDown = (name: string): void => {
    rmSync(join(sys, name), { recursive: true })
    mkdirSync(join(sys, name, 'carrier'), { recursive: true })
    writeFileSync(join(proc, 'route'), routeTable(ROUTES.filter(r => r[0] !== name)))
  }
  const start = async (): Promise<LinkWatch> => {
    watch = createLinkWatch({
      log,
      onChange: change => { changes.push(change) },
      interfaces: () => interfaces
    }, { pollMs: 5, resolveMs: 20, sysClassNet: sys, procNet: proc })
    await watch.start()
    return watch
  }
  const peer = (ip: string): string => ip.includes(':') ? `/ip6/${ip}/tcp/4001` : `/ip4/${ip}/tcp/4001/p2p/12D3KooWHSE21GAbJK3k1bDQqA7tYCLdrsn1Ftnjny94mcSmqm74`

  beforeEach(() => {
    sys = mkdtempSync(join(tmpdir(), 'camos-sysnet-'))
    proc = mkdtempSync(join(tmpdir(), 'camos-procnet-'))
    writeFileSync(join(proc, 'route'), routeTable(ROUTES))
    writeFileSync(join(proc, 'ipv6_route'), ROUTES6)
    changes = []
    log = createCaptureLogger()
    for (const name of ['lo', 'eth0', 'eth1', 'wlan0']) setCarrier(name, '1')
    // An unused bridge has no carrier.
    setCarrier('docker0', '0')
    interfaces = { lo: [info('127.0.0.1', true)], eth0: [info('10.0.0.5')], eth1: [info('10.1.0.5')], wlan0: [info('192.168.1.5')] }
  })
  afterEach(async () => {
    await watch?.stop()
    watch = undefined
    rmSync(sys, { recursive: true, force: true })
    rmSync(proc, { recursive: true, force: true })
  })

  it('cuts off only the peers routed through the interface that lost carrier, until it is back', async () => {
    const w = await start()
    expect(w.watched().sort()).toEqual(['docker0', 'eth0', 'eth1', 'wlan0'])
    expect(w.cutOff(peer('10.0.0.9'))).toBe(false)
    setCarrier('eth0', '0')
    await waitFor(() => changes.length === 1, { what: 'eth0 reported lost' })
    expect(changes[0]).toEqual({ lost: ['eth0'], back: [] })
    expect(w.lost()).toEqual(['eth0'])
    expect(w.cutOff(peer('10.0.0.9'))).toBe(true)
    expect(w.cutOff(peer('10.1.7.3'))).toBe(true)
    expect(w.cutOff(peer('fd00::9'))).toBe(true)
    // Other links, the host's own addresses and loopback are unaffected; so is an address without an IP.
    expect(w.cutOff(peer('10.1.200.3'))).toBe(false)
    expect(w.cutOff(peer('8.8.8.8'))).toBe(false)
    expect(w.cutOff(peer('10.0.0.5'))).toBe(false)
    expect(w.cutOff(peer('127.0.0.1'))).toBe(false)
    expect(w.cutOff(peer('::1'))).toBe(false)
    expect(w.cutOff('/dns4/node.example/tcp/4001')).toBe(false)
    setCarrier('eth0', '1')
    await waitFor(() => changes.length === 2, { what: 'eth0 reported back' })
    expect(changes[1]).toEqual({ lost: [], back: ['eth0'] })
    expect(w.cutOff(peer('10.0.0.9'))).toBe(false)
  })

  it('counts an interface set down as without carrier, keeps its routes until it is back, and lets go of a gone one', async () => {
    const w = await start()
    setDown('eth1')
    await waitFor(() => changes.length === 1, { what: 'eth1 reported lost' })
    expect(changes[0]).toEqual({ lost: ['eth1'], back: [] })
    // Once the table has been read again (a route added meanwhile shows), its peers are still cut off.
    writeFileSync(join(proc, 'route'), routeTable([...ROUTES.filter(r => r[0] !== 'eth1'), ['eth2', '10.2.0.0', '255.255.255.0', UP, 0]]))
    await waitFor(() => w.watched().includes('eth2'), { what: 'the routes read again' })
    expect(w.cutOff(peer('10.1.200.3'))).toBe(true)
    rmSync(join(sys, 'eth1'), { recursive: true })
    await waitFor(() => changes.length === 2, { what: 'the gone eth1 let go' })
    expect(changes[1]).toEqual({ lost: [], back: ['eth1'] })
    await waitFor(() => !w.watched().includes('eth1'), { what: 'routes read again' })
    expect(w.cutOff(peer('10.1.200.3'))).toBe(false)
  })

  it('keeps the routes of a link set down while another lost link comes back', async () => {
    const w = await start()
    setDown('eth1')
    setCarrier('eth0', '0')
    await waitFor(() => w.lost().length === 2, { what: 'eth0 and eth1 lost' })
    setCarrier('eth0', '1')
    await waitFor(() => changes.some(c => c.back.includes('eth0')), { what: 'eth0 reported back' })
    expect(w.cutOff(peer('10.0.0.9'))).toBe(false)
    expect(w.cutOff(peer('10.1.200.3'))).toBe(true)
  })

  it('never takes an interface that had no carrier for a lost link, and takes it up once it has one', async () => {
    const w = await start()
    // eth0's loss is reported after polls that saw docker0 without carrier too: that one is not.
    setCarrier('eth0', '0')
    await waitFor(() => changes.length === 1, { what: 'eth0 reported lost' })
    expect(changes).toEqual([{ lost: ['eth0'], back: [] }])
    expect(w.cutOff(peer('172.17.0.2'))).toBe(false)
    setCarrier('docker0', '1')
    await waitFor(() => log.lines.some(l => l.msg.startsWith('watching the carrier') && l.fields?.interface === 'docker0'), { what: 'docker0 seen with carrier' })
    setCarrier('docker0', '0')
    await waitFor(() => changes.length === 2, { what: 'docker0 reported lost' })
    expect(w.cutOff(peer('172.17.0.2'))).toBe(true)
  })

  it('takes up routes added later', async () => {
    const w = await start()
    setCarrier('eth2', '1')
    writeFileSync(join(proc, 'route'), routeTable([...ROUTES, ['eth2', '10.2.0.0', '255.255.255.0', UP, 0]]))
    await waitFor(() => w.watched().includes('eth2'), { what: 'eth2 watched' })
    setCarrier('eth2', '0')
    await waitFor(() => w.cutOff(peer('10.2.0.7')), { what: 'a peer behind eth2 cut off' })
  })
})

/**
 * A real veth pair into a network namespace, where B runs as a `camos start` process. A listens
 * on loopback only and reaches B through the veth, the way a node listening on one network
 * reaches peers on another; C is on 127.0.0.1. B cannot dial A back (A's listen address is
 * loopback), and A's own redials and discovery rounds are a minute apart, so only A's redial at
 * the carrier's return can reconnect A to B within the test. Root only.
 */
describe('a node whose link to a peer loses carrier', () => {
  const bed = createP2PTestbed()
  const tag = `clw${process.pid % 100000}`
  const ADDR_A = '198.19.77.1'
  const ADDR_B = '198.19.77.2'
  const SLOW = { ...FAST.discovery, intervalMs: 60_000, redialMinMs: 60_000, redialFastMaxMs: 60_000, redialMaxMs: 60_000 }
  let b: NodeProcess | undefined
  let dataDir: string | undefined
  afterEach(async () => {
    await b?.kill()
    b = undefined
    await bed.stopAll()
    await sh('ip', ['link', 'del', `${tag}a`]).catch(() => {})
    await sh('ip', ['netns', 'del', tag]).catch(() => {})
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
  })

  it.skipIf(process.getuid?.() !== 0)('closes the connections through it, holds dials through it and redials at once when the carrier returns; others stay', async () => {
    await sh('ip', ['netns', 'add', tag])
    await sh('ip', ['link', 'add', `${tag}a`, 'type', 'veth', 'peer', 'name', `${tag}b`, 'netns', tag])
    await sh('ip', ['addr', 'add', `${ADDR_A}/24`, 'dev', `${tag}a`])
    await sh('ip', ['-n', tag, 'addr', 'add', `${ADDR_B}/24`, 'dev', `${tag}b`])
    await sh('ip', ['-n', tag, 'link', 'set', `${tag}b`, 'up'])
    await sh('ip', ['link', 'set', `${tag}a`, 'up'])
    dataDir = mkdtempSync(join(tmpdir(), 'camos-lw-'))
    const nodeB = b = await startNodeProcess({
      dataDir,
      wrapper: ['ip', 'netns', 'exec', tag],
      grpcAddress: `${ADDR_B}:50051`,
      httpAddress: `${ADDR_B}:8080`,
      args: ['--cluster', 'test', '--cluster-secret', 'test-secret', '--p2p', `/ip4/${ADDR_B}/tcp/4001`, '--log-level', 'warn']
    })
    const c = await bed.start({ discovery: SLOW })
    const a = await bed.start({ join: [nodeB.p2pAddresses[0], c.node.addresses()[0]], discovery: SLOW })
    const connected = (peer: string): boolean => a.node.host.libp2p.getConnections().some(x => x.remotePeer.toString() === peer && x.status === 'open')
    await waitFor(() => connected(nodeB.peerId) && connected(c.node.peerId), { what: 'A connected to B and C' })
    const said = (msg: string): boolean => a.log.lines.some(l => l.msg.startsWith(msg))

    await sh('ip', ['-n', tag, 'link', 'set', `${tag}b`, 'down'])
    await waitFor(() => said('cluster link lost carrier') && !connected(nodeB.peerId), { what: 'A\'s connection to B closed' })
    expect(connected(c.node.peerId)).toBe(true)
    await expect(a.node.host.libp2p.dial(multiaddr(nodeB.p2pAddresses[0]))).rejects.toThrow(/gater/)

    await sh('ip', ['-n', tag, 'link', 'set', `${tag}b`, 'up'])
    await waitFor(() => said('cluster link has carrier again') && connected(nodeB.peerId), { timeout: 5_000, what: 'A redialled B at once' })
  })
})
