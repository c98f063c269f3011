/**
 * Member exchange, `/camos/<cluster>/members/1.0.0`: two members that meet for the first time
 * tell each other which members they are connected to, with their listen addresses, and each
 * dials the ones it does not know. The DHT finds them too, but only once the new contact is in
 * its routing table (after a ping) and a provider lookup has come back: on five nodes starting
 * at once on one 2-core host, the last of them reached the others ~0.9 s after it was up.
 * Both sides tell, so of two nodes joining one member at the same moment the one it meets
 * second hears of the first from it, however the exchanges interleave.
 *
 * Wire: the opener writes its list, the other side reads it and writes its own, both close.
 * A list is one length-prefixed message:
 *   varuint n (≤ MAX_MEMBERS), then n × { varString peer id (≤ MAX_PEER_ID_BYTES),
 *   varuint m (≤ MAX_ADDRS), m × varUint8Array multiaddr bytes (≤ MAX_ADDR_BYTES) }
 * A malformed list is dropped whole (logged) and ends the exchange; nothing of it is dialled.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { Logger } from '../crdt/types.js'
import type { P2PLibp2p } from './host.js'

export const MAX_MEMBERS = 256
export const MAX_ADDRS = 16
export const MAX_PEER_ID_BYTES = 128
export const MAX_ADDR_BYTES = 256
/** Bound on one answer, bytes: what MAX_MEMBERS members at the limits would take. */
export const MAX_MEMBERS_MESSAGE_BYTES = MAX_MEMBERS * (MAX_PEER_ID_BYTES + MAX_ADDRS * (MAX_ADDR_BYTES + 2) + 4) + 4

export interface MemberRecord {
  peer: PeerId
  addrs: Multiaddr[]
}

export function memberExchangeProtocol (cluster: string): string {
  return `/camos/${cluster}/members/1.0.0`
}

export function encodeMembers (members: readonly MemberRecord[]): Uint8Array {
  const encoder = encoding.createEncoder()
  const listed = members.slice(0, MAX_MEMBERS)
  encoding.writeVarUint(encoder, listed.length)
  for (const m of listed) {
    encoding.writeVarString(encoder, m.peer.toString())
    const addrs = m.addrs.map(a => a.bytes).filter(b => b.byteLength <= MAX_ADDR_BYTES).slice(0, MAX_ADDRS)
    encoding.writeVarUint(encoder, addrs.length)
    for (const a of addrs) encoding.writeVarUint8Array(encoder, a)
  }
  return encoding.toUint8Array(encoder)
}

/** The members an answer lists; throws an Error saying what is wrong with a malformed one. */
export function decodeMembers (bytes: Uint8Array): MemberRecord[] {
  const decoder = decoding.createDecoder(bytes)
  const read = <T>(what: string, fn: () => T): T => {
    try {
      return fn()
    } catch {
      throw new Error(`member list truncated in ${what}`)
    }
  }
  const n = read('the member count', () => decoding.readVarUint(decoder))
  if (n > MAX_MEMBERS) throw new Error(`member list of ${n} members; the limit is ${MAX_MEMBERS}`)
  const members: MemberRecord[] = []
  for (let i = 0; i < n; i++) {
    const id = read(`member ${i}'s peer id`, () => decoding.readVarString(decoder))
    if (Buffer.byteLength(id) > MAX_PEER_ID_BYTES) throw new Error(`member ${i}'s peer id is longer than ${MAX_PEER_ID_BYTES} bytes`)
    let peer: PeerId
    try {
      peer = peerIdFromString(id)
    } catch {
      throw new Error(`member ${i}'s peer id is not a peer id`)
    }
    const m = read(`member ${i}'s address count`, () => decoding.readVarUint(decoder))
    if (m > MAX_ADDRS) throw new Error(`member ${i} lists ${m} addresses; the limit is ${MAX_ADDRS}`)
    const addrs: Multiaddr[] = []
    for (let j = 0; j < m; j++) {
      const raw = read(`member ${i}'s address ${j}`, () => decoding.readVarUint8Array(decoder))
      if (raw.byteLength > MAX_ADDR_BYTES) throw new Error(`member ${i}'s address ${j} is longer than ${MAX_ADDR_BYTES} bytes`)
      try {
        addrs.push(multiaddr(raw))
      } catch {
        throw new Error(`member ${i}'s address ${j} is not a multiaddr`)
      }
    }
    members.push({ peer, addrs })
  }
  if (decoding.hasContent(decoder)) throw new Error('member list followed by trailing bytes')
  return members
}

/** Every member this node is connected to but `except`, with the listen addresses it announced. */
async function connectedMembers (libp2p: P2PLibp2p, except: PeerId): Promise<MemberRecord[]> {
  const members: MemberRecord[] = []
  for (const peer of libp2p.getPeers()) {
    if (peer.equals(except)) continue
    try {
      const stored = await libp2p.peerStore.get(peer)
      const addrs = stored.addresses.map(a => a.multiaddr)
      if (addrs.length > 0) members.push({ peer, addrs })
    } catch {
      // Not identified yet: nothing to tell about it.
    }
  }
  return members
}

/**
 * Answers every member that opens an exchange: reads its list (handed to `onMembers`), then
 * writes this node's. `timeoutMs` bounds the whole exchange.
 */
export function createMembersHandler (libp2p: P2PLibp2p, log: Logger, onMembers: (members: MemberRecord[], from: PeerId) => void, timeoutMs: number): (stream: Stream, connection: Connection) => Promise<void> {
  return async (stream, connection) => {
    const from = connection.remotePeer
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_MEMBERS_MESSAGE_BYTES })
      const theirs = decodeMembers((await lp.read({ signal })).subarray())
      await lp.write(encodeMembers(await connectedMembers(libp2p, from)), { signal })
      await stream.close({ signal })
      onMembers(theirs, from)
    } catch (err) {
      log.debug('member exchange failed', { peer: from.toString(), err: (err as Error).message })
      stream.abort(err as Error)
    }
  }
}

/** Tells `peer` the members this node is connected to; resolves with the ones it is connected to. */
export async function exchangeMembers (libp2p: P2PLibp2p, protocol: string, peer: PeerId, signal: AbortSignal): Promise<MemberRecord[]> {
  const stream = await libp2p.dialProtocol(peer, protocol, { signal })
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_MEMBERS_MESSAGE_BYTES })
    await lp.write(encodeMembers(await connectedMembers(libp2p, peer)), { signal })
    const members = decodeMembers((await lp.read({ signal })).subarray())
    await stream.close({ signal })
    return members
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
