/**
 * The libp2p host of a node: TCP, a private network (pre-shared key), Noise, Yamux, identify,
 * ping and a Kademlia DHT in server mode on a private protocol id.
 *
 * - Private network: every connection is first wrapped in XSalsa20 keyed by a PSK derived from
 *   the cluster name and secret (scrypt, so a captured handshake does not make a weak secret
 *   cheap to guess). A node of another cluster or with another secret fails the Noise handshake
 *   that follows: it can neither connect nor read anything.
 * - Identity: the Ed25519 private key lives protobuf-marshalled in `<dataDir>/p2p-key`
 *   (written atomically, mode 0600), so the peer id survives restarts.
 * - The DHT never joins the public network (protocol `/camos/<cluster>/kad/1.0.0`), keeps
 *   private and loopback addresses (clusters run on private networks) and may query with zero
 *   peers (the first node of a cluster).
 */
import { scrypt } from 'node:crypto'
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { noise } from '@chainsafe/libp2p-noise'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { identify, type Identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping, type Ping } from '@libp2p/ping'
import { privateNetwork, PSK_KEY_BYTES } from './psk.js'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { ComponentLogger, Logger as Libp2pLogger, PeerId, PrivateKey } from '@libp2p/interface'
import type { Logger, Startable } from '../crdt/types.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Initial yamux receive window of a stream, bytes (yamux starts at 256 KiB and doubles toward
 * 16 MiB while the sender keeps it full). A joiner got a 23 MB document from the member it
 * joined in a median 0.85 s from that member's SyncStep1 instead of 1.04 s (7 runs each, 2-core
 * host): the transfer no longer waits for the window to grow. A peer may now have 4 MiB of one
 * stream in flight, as much as the sync framing reads ahead anyway.
 */
export const STREAM_WINDOW_BYTES = 4 * 1024 * 1024

/** File under the data dir holding the libp2p private key. */
export const P2P_KEY_FILE = 'p2p-key'
/** How long the private network's nonce exchange of a new connection may take, ms. */
export const DEFAULT_PSK_TIMEOUT_MS = 2_000
/** How long one dial may take, ms. */
export const DEFAULT_DIAL_TIMEOUT_MS = 5_000
/**
 * scrypt cost of the PSK derivation: 0.1–0.3 s once per start (in the thread pool, while the
 * node builds the rest of itself), ~2^15 per guess for an attacker.
 */
export const PSK_SCRYPT_COST = 2 ** 15
const PSK_SALT_PREFIX = 'camos/pnet/v1/'

export type P2PServices = { dht: KadDHT, identify: Identify, ping: Ping }
export type P2PLibp2p = Libp2p<P2PServices>

export interface P2PHostComponents {
  log: Logger
  /** Refuses connections to and from these peers (e.g. peers banned for bad frames). */
  isDenied?: (peer: PeerId) => boolean
  /** Dials to addresses for which this is true are refused before a packet leaves (link-watch.ts). */
  dialHeld?: (addr: Multiaddr) => boolean
}

export interface P2PHostInit {
  cluster: string
  secret: string
  /** Listen multiaddrs, e.g. /ip4/127.0.0.1/tcp/0. */
  listen: string[]
  /** Where the identity is kept; without it the identity is new at every start. */
  dataDir?: string
  /** Advertised by identify so peers can show which node and version they talk to. */
  userAgent?: string
  /** libp2p's own `debug` loggers (DEBUG=libp2p:* picks what they print); off: silent ones. */
  libp2pDebug?: boolean
  dialTimeoutMs?: number
  pskTimeoutMs?: number
  /** DHT self-query interval, ms (libp2p default when unset). */
  dhtQuerySelfIntervalMs?: number
}

export interface P2PHost extends Startable {
  readonly peerId: PeerId
  readonly libp2p: P2PLibp2p
  /** The cluster's 32-byte network key (derived once: scrypt is deliberately slow); start() awaits it. */
  readonly networkKey: Promise<Uint8Array>
  /** Listening multiaddrs with the /p2p/<peer id> suffix, valid once started. */
  addresses: () => string[]
}

/** The DHT protocol id of a cluster: never the public `/ipfs/kad/1.0.0`. */
export function dhtProtocol (cluster: string): string {
  return `/camos/${cluster}/kad/1.0.0`
}

/** The development secret used when none is configured: derivable by anyone, so not a secret. */
export function defaultClusterSecret (cluster: string): string {
  return `camos-insecure-dev-secret/${cluster}`
}

/** The 32-byte network key of a cluster (transport/psk.ts), derived in the thread pool. */
export async function derivePsk (cluster: string, secret: string): Promise<Uint8Array> {
  return await new Promise((resolve, reject) => {
    scrypt(secret, PSK_SALT_PREFIX + cluster, PSK_KEY_BYTES, { N: PSK_SCRYPT_COST, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) => {
      if (err != null) reject(err)
      else resolve(Uint8Array.from(key))
    })
  })
}

/** Loads `<dataDir>/p2p-key`, creating an Ed25519 key on first use. */
export async function loadPrivateKey (dataDir: string): Promise<PrivateKey> {
  const path = join(dataDir, P2P_KEY_FILE)
  try {
    return privateKeyFromProtobuf(await readFile(path))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the p2p identity in ${path}: ${(err as Error).message}`, { cause: err })
  }
  const key = await generateKeyPair('Ed25519')
  await mkdir(dataDir, { recursive: true })
  const tmp = `${path}.tmp-${process.pid}`
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(privateKeyToProtobuf(key))
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  return key
}

/**
 * libp2p's default logger builds `debug` instances for every connection and stream it opens,
 * each asking the OS whether stderr is a terminal (four system calls), whether or not anything
 * is enabled: a few percent of an idle member's CPU. Without DEBUG every component shares one
 * logger that does nothing.
 */
const SILENT_LOG: Libp2pLogger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false, newScope: () => SILENT_LOG })
const SILENT_LOGGER: ComponentLogger = { forComponent: () => SILENT_LOG }

export async function createP2PHost (components: P2PHostComponents, init: P2PHostInit): Promise<P2PHost> {
  const { log, isDenied, dialHeld } = components
  const privateKey = init.dataDir === undefined ? await generateKeyPair('Ed25519') : await loadPrivateKey(init.dataDir)
  if (init.dataDir === undefined) log.warn('no data directory: the p2p identity is new at every start')
  const deny = (peer: PeerId): boolean => isDenied?.(peer) ?? false
  const networkKey = derivePsk(init.cluster, init.secret)
  // Surfaced by start(); until then the derivation runs beside the rest of the node's set-up.
  networkKey.catch(() => {})

  const libp2p = await createLibp2p<P2PServices>({
    start: false,
    privateKey,
    ...(init.libp2pDebug === true ? {} : { logger: SILENT_LOGGER }),
    nodeInfo: init.userAgent === undefined ? undefined : { userAgent: init.userAgent },
    addresses: { listen: init.listen },
    transports: [tcp()],
    connectionProtector: privateNetwork({ key: networkKey, handshakeMs: init.pskTimeoutMs ?? DEFAULT_PSK_TIMEOUT_MS }),
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { initialStreamWindowSize: STREAM_WINDOW_BYTES } })],
    connectionManager: { dialTimeout: init.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS },
    // Membership (membership.ts) already pings the members it has not heard from and hangs up
    // on silent ones; libp2p's monitor pinged every connection every 10 s on top of that (a new
    // stream each time: an idle 5-node member used ~85 ms/s of CPU with it, ~66 without) and
    // aborted connections on its own timeouts.
    connectionMonitor: { enabled: false },
    connectionGater: {
      // Loopback and private addresses are where clusters live; libp2p's default gater refuses them.
      denyDialMultiaddr: addr => dialHeld?.(addr) ?? false,
      denyDialPeer: peer => deny(peer),
      denyInboundEncryptedConnection: peer => deny(peer),
      denyOutboundEncryptedConnection: peer => deny(peer)
    },
    services: {
      identify: identify(),
      // Two pingers per peer: membership's heartbeats and the DHT's check of a new contact. With
      // libp2p's default of one outbound ping stream, the DHT's check failed whenever a heartbeat
      // was under way, and the new member stayed out of its routing table (so out of lookups).
      // Every peer here is a camos node, which accepts two inbound ping streams (the default).
      ping: ping({ maxOutboundStreams: 2 }),
      dht: kadDHT({
        protocol: dhtProtocol(init.cluster),
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        allowQueryWithZeroPeers: true,
        ...(init.dhtQuerySelfIntervalMs === undefined ? {} : { querySelfInterval: init.dhtQuerySelfIntervalMs, initialQuerySelfInterval: init.dhtQuerySelfIntervalMs })
      })
    }
  })

  let running = false
  let transition: Promise<void> = Promise.resolve()
  // start/stop are serialised so a stop during a start waits for it instead of racing it.
  const serial = async (fn: () => Promise<void>): Promise<void> => {
    transition = transition.catch(() => {}).then(fn)
    await transition
  }

  return {
    peerId: libp2p.peerId,
    libp2p,
    networkKey,
    addresses: () => libp2p.getMultiaddrs().map(a => a.toString()),
    async start () {
      await serial(async () => {
        if (running) return
        await networkKey
        await libp2p.start()
        running = true
        log.info('p2p host listening', { peerId: libp2p.peerId.toString(), addresses: libp2p.getMultiaddrs().map(a => a.toString()) })
      })
    },
    async stop () {
      await serial(async () => {
        if (!running) return
        running = false
        await libp2p.stop()
      })
    }
  }
}
