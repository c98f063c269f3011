/**
 * Which of the host's links have lost carrier, and so which peers a node cannot reach.
 *
 * When an interface loses carrier, Linux drops its neighbour (ARP) entries. The next packet to a
 * peer (a TCP retransmission, a redial) starts resolving the peer's address again: a request
 * once a second (`net.ipv4.neigh.<dev>.retrans_time_ms`), three of them, then the entry fails.
 * A node that keeps sending keeps its entries resolving, so when the carrier returns, its dials
 * and its answers to the peers' dials wait for the kernel's next request, up to a second
 * (docs/chaos-timing.md, "Link-down heals and the kernel's ARP"). An entry that failed, or none,
 * is resolved at once by the next packet. So the node sends nothing to a peer whose traffic
 * leaves through an interface without carrier: p2p.ts aborts those connections (one reset each,
 * after which a socket retransmits nothing) and holds dials to them, and redials every member
 * the moment the carrier is back.
 *
 * A peer's interface is the one its address routes through, by longest prefix in the main
 * routing table (`/proc/net/route`, `/proc/net/ipv6_route`), so a node with several links cuts
 * off only the peers behind the one that lost carrier. The host's own addresses (loopback among
 * them) route through no link. Watched are the interfaces of those routes; one counts as without
 * carrier only after it was seen with carrier, so an interface that never had one (an unused
 * bridge) is never taken for a lost link, and one set down counts as without carrier. Setting an
 * interface down removes its routes, so a lost interface keeps the routes it had until it is
 * back: its peers stay cut off. Without `/sys/class/net` and `/proc/net` (not Linux) nothing is
 * watched.
 */
import { readFileSync } from 'node:fs'
import { BlockList, isIP } from 'node:net'
import { endianness, networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import { join } from 'node:path'
import type { Logger, Startable } from '../crdt/types.js'

/** How often carrier is read, ms: the delay from a carrier's return to the redials. */
export const DEFAULT_LINK_POLL_MS = 50
/** How often the routing table and the host's addresses are read again, ms. */
export const DEFAULT_LINK_RESOLVE_MS = 5_000
export const SYS_CLASS_NET = '/sys/class/net'
export const PROC_NET = '/proc/net'

/** Route flags (linux/route.h): usable, and an unreachable/prohibit route. */
const RTF_UP = 0x1
const RTF_REJECT = 0x200

export interface Route {
  iface: string
  bits: number
  metric: number
  /** Holds just the route's destination prefix. */
  prefix: BlockList
  family: 'ipv4' | 'ipv6'
}

export interface LinkChange {
  /** Interfaces that lost carrier, or were set down, since the last change. */
  lost: string[]
  /** Interfaces that have carrier again, or are gone. */
  back: string[]
}

export interface LinkWatchComponents {
  log: Logger
  onChange: (change: LinkChange) => void
  /** The host's interfaces; injectable for tests. */
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>
}

export interface LinkWatchInit {
  pollMs?: number
  resolveMs?: number
  /** Where interfaces' `carrier` files are; injectable for tests. */
  sysClassNet?: string
  /** Where `route` and `ipv6_route` are; injectable for tests. */
  procNet?: string
}

export interface LinkWatch extends Startable {
  /** Whether traffic to the multiaddr `addr` leaves through an interface without carrier. */
  cutOff: (addr: string) => boolean
  /** The interfaces without carrier now. */
  lost: () => string[]
  /** The interfaces watched: those of the routing table's routes. */
  watched: () => string[]
}

/** The IP address of a multiaddr such as /ip4/10.0.0.5/tcp/4001/p2p/…, if it has one. */
function ipOf (addr: string): string | undefined {
  return /^\/ip[46]\/([^/]+)\//.exec(addr)?.[1]
}

function route (iface: string, address: string, bits: number, metric: number, family: 'ipv4' | 'ipv6'): Route {
  const prefix = new BlockList()
  prefix.addSubnet(address, bits, family)
  return { iface, bits, metric, prefix, family }
}

/** Hex digits of a 4-byte /proc/net/route field (host byte order) as its bytes in network order. */
function bytesOf (hex: string): number[] {
  const bytes = [0, 2, 4, 6].map(i => parseInt(hex.slice(i, i + 2), 16))
  return endianness() === 'LE' ? bytes.reverse() : bytes
}

/** The usable routes of `/proc/net/route`'s text. */
export function parseRoutes4 (text: string): Route[] {
  const routes: Route[] = []
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, , flags, , , metric, mask] = line.trim().split(/\s+/)
    if (mask === undefined || (parseInt(flags, 16) & (RTF_UP | RTF_REJECT)) !== RTF_UP) continue
    const bits = bytesOf(mask).reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0)
    routes.push(route(iface, bytesOf(destination).join('.'), bits, parseInt(metric, 10), 'ipv4'))
  }
  return routes
}

/** The usable routes of `/proc/net/ipv6_route`'s text. */
export function parseRoutes6 (text: string): Route[] {
  const routes: Route[] = []
  for (const line of text.split('\n')) {
    const [destination, bits, , , , metric, , , flags, iface] = line.trim().split(/\s+/)
    if (iface === undefined || (parseInt(flags, 16) & (RTF_UP | RTF_REJECT)) !== RTF_UP) continue
    const address = destination.match(/.{4}/g)?.join(':') ?? '::'
    routes.push(route(iface, address, parseInt(bits, 16), parseInt(metric, 16), 'ipv6'))
  }
  return routes
}

/** The interface traffic to `ip` leaves through: the longest matching prefix, then the lowest metric. */
export function routeOf (routes: Route[], ip: string): string | undefined {
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4'
  let best: Route | undefined
  for (const r of routes) {
    if (r.family !== family || !r.prefix.check(ip, family)) continue
    if (best === undefined || r.bits > best.bits || (r.bits === best.bits && r.metric < best.metric)) best = r
  }
  return best?.iface
}

export function createLinkWatch (components: LinkWatchComponents, init: LinkWatchInit = {}): LinkWatch {
  const { log, onChange } = components
  const listInterfaces = components.interfaces ?? networkInterfaces
  const pollMs = init.pollMs ?? DEFAULT_LINK_POLL_MS
  const resolveMs = init.resolveMs ?? DEFAULT_LINK_RESOLVE_MS
  const sys = init.sysClassNet ?? SYS_CLASS_NET
  const proc = init.procNet ?? PROC_NET
  let routes: Route[] = []
  /** The interfaces of `routes`. */
  let watched: string[] = []
  /** The host's own addresses, every one seen: traffic to them stays on the host. */
  const own = new Set<string>()
  /** Interfaces seen with carrier, so that losing it counts. */
  const hadCarrier = new Set<string>()
  const lost = new Set<string>()
  let resolvedAt = -Infinity
  let timer: NodeJS.Timeout | undefined

  /** Carrier of `name`: false when lost or the interface is down, undefined when unknown (gone, or no sysfs). */
  function carrier (name: string): boolean | undefined {
    try {
      return readFileSync(join(sys, name, 'carrier'), 'utf8').trim() !== '0'
    } catch (err) {
      // Reading the carrier of an interface set down fails with EINVAL.
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : false
    }
  }

  function readRoutes (file: string, parse: (text: string) => Route[]): Route[] {
    try {
      return parse(readFileSync(join(proc, file), 'utf8'))
    } catch {
      return []
    }
  }

  function resolve (now: number): void {
    resolvedAt = now
    const read = [...readRoutes('route', parseRoutes4), ...readRoutes('ipv6_route', parseRoutes6)].filter(r => r.iface !== 'lo')
    const listed = new Set(read.map(r => r.iface))
    routes = [...read, ...routes.filter(r => lost.has(r.iface) && !listed.has(r.iface))]
    watched = [...new Set(routes.map(r => r.iface))]
    for (const infos of Object.values(listInterfaces())) for (const info of infos ?? []) own.add(info.address)
  }

  function poll (): void {
    const now = performance.now()
    if (now - resolvedAt >= resolveMs) resolve(now)
    const change: LinkChange = { lost: [], back: [] }
    for (const name of watched) {
      const has = carrier(name)
      if (has === true) {
        if (!hadCarrier.has(name)) log.debug('watching the carrier of a cluster interface', { interface: name })
        hadCarrier.add(name)
      }
      if (has === false && hadCarrier.has(name) && !lost.has(name)) {
        lost.add(name)
        change.lost.push(name)
      } else if (has !== false && lost.delete(name)) {
        change.back.push(name)
      }
    }
    if (change.lost.length > 0 || change.back.length > 0) onChange(change)
  }

  return {
    async start () {
      if (timer !== undefined) return
      resolve(performance.now())
      poll()
      timer = setInterval(poll, pollMs)
      timer.unref()
    },
    async stop () {
      clearInterval(timer)
      timer = undefined
      lost.clear()
    },
    cutOff (addr) {
      if (lost.size === 0) return false
      const ip = ipOf(addr)
      if (ip === undefined || own.has(ip) || /^127\./.test(ip) || ip === '::1') return false
      const iface = routeOf(routes, ip)
      return iface !== undefined && lost.has(iface)
    },
    lost: () => [...lost],
    watched: () => [...watched]
  }
}
