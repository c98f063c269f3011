/**
 * Whether the interfaces a node's cluster traffic uses still have carrier.
 *
 * When an interface loses carrier, Linux drops its neighbour (ARP) entries. The next packet to a
 * peer (a TCP retransmission, a redial) starts resolving the peer's address again: a request
 * once a second (`net.ipv4.neigh.<dev>.retrans_time_ms`), three of them, then the entry fails.
 * A node that keeps sending keeps its entries resolving, so when the carrier returns, its dials
 * and its answers to the peers' dials wait for the kernel's next request, up to a second
 * (docs/chaos-timing.md, "Link-down heals and the kernel's ARP"). An entry that failed, or none,
 * is resolved at once by the next packet. So the node sends nothing while it has no carrier:
 * p2p.ts aborts its connections (one reset each, after which a socket retransmits nothing) and
 * holds its dials, and redials every member the moment the carrier is back.
 *
 * Watched are the interfaces holding the node's listen addresses, as found while they had
 * carrier (`os.networkInterfaces` lists no other), so an interface that never had one is never
 * taken for a lost link. The node counts as offline when every watched interface lost carrier,
 * or was set down; peers on loopback are left alone. Without `/sys/class/net` (not Linux)
 * nothing is watched.
 */
import { readFileSync } from 'node:fs'
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import { join } from 'node:path'
import type { Logger, Startable } from '../crdt/types.js'

/** How often carrier is read, ms: the delay from a carrier's return to the redials. */
export const DEFAULT_LINK_POLL_MS = 50
/** How often listen addresses not matched to an interface yet are looked up again, ms. */
export const DEFAULT_LINK_RESOLVE_MS = 5_000
export const SYS_CLASS_NET = '/sys/class/net'

export interface LinkWatchComponents {
  log: Logger
  /** The node's listen multiaddrs, as it listens now. */
  addresses: () => string[]
  /** Every watched interface lost carrier (`offline`), or one has it again. */
  onChange: (offline: boolean, interfaces: string[]) => void
  /** The host's interfaces; injectable for tests. */
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>
}

export interface LinkWatchInit {
  pollMs?: number
  resolveMs?: number
  /** Where interfaces' `carrier` files are; injectable for tests. */
  sysClassNet?: string
}

export interface LinkWatch extends Startable {
  /** True while every watched interface is without carrier. */
  offline: () => boolean
  /** The interfaces watched. */
  watched: () => string[]
}

/** The IP address of a multiaddr such as /ip4/10.0.0.5/tcp/4001/p2p/…, if it has one. */
function ipOf (addr: string): string | undefined {
  return /^\/ip[46]\/([^/]+)\//.exec(addr)?.[1]
}

/**
 * Whether a peer's multiaddr is on this host's loopback, which no carrier affects: such peers
 * (a cluster on one host listening on every interface, say) keep their connections and dials.
 */
export function onLoopback (addr: string): boolean {
  return /^\/ip4\/127\./.test(addr) || addr.startsWith('/ip6/::1/')
}

export function createLinkWatch (components: LinkWatchComponents, init: LinkWatchInit = {}): LinkWatch {
  const { log, addresses, onChange } = components
  const listInterfaces = components.interfaces ?? networkInterfaces
  const pollMs = init.pollMs ?? DEFAULT_LINK_POLL_MS
  const resolveMs = init.resolveMs ?? DEFAULT_LINK_RESOLVE_MS
  const root = init.sysClassNet ?? SYS_CLASS_NET
  const watched = new Set<string>()
  let unmatched = true
  let resolvedAt = -Infinity
  let offline = false
  let timer: NodeJS.Timeout | undefined

  /** Carrier of `name`: false when lost or the interface is down, undefined when unknown (gone, or no sysfs). */
  function carrier (name: string): boolean | undefined {
    try {
      return readFileSync(join(root, name, 'carrier'), 'utf8').trim() !== '0'
    } catch (err) {
      // Reading the carrier of an interface set down fails with EINVAL.
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : false
    }
  }

  function resolve (now: number): void {
    resolvedAt = now
    const ips = new Set(addresses().map(ipOf).filter(ip => ip !== undefined))
    const matched = new Set<string>()
    for (const [name, infos] of Object.entries(listInterfaces())) {
      for (const info of infos ?? []) {
        if (!ips.has(info.address)) continue
        matched.add(info.address)
        if (info.internal || watched.has(name) || carrier(name) === undefined) continue
        watched.add(name)
        log.debug('watching the carrier of a cluster interface', { interface: name })
      }
    }
    unmatched = [...ips].some(ip => !matched.has(ip))
  }

  function poll (): void {
    const now = performance.now()
    if (unmatched && now - resolvedAt >= resolveMs) resolve(now)
    let known = 0
    let up = 0
    for (const name of watched) {
      const has = carrier(name)
      if (has === undefined) continue
      known++
      if (has) up++
    }
    const nowOffline = known > 0 && up === 0
    if (nowOffline === offline) return
    offline = nowOffline
    onChange(offline, [...watched])
  }

  return {
    async start () {
      if (timer !== undefined) return
      resolve(performance.now())
      timer = setInterval(poll, pollMs)
      timer.unref()
    },
    async stop () {
      clearInterval(timer)
      timer = undefined
      offline = false
    },
    offline: () => offline,
    watched: () => [...watched]
  }
}
