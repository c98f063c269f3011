/**
 * Wire codec of the sync protocol /camos/sync/1.0.0 (pure functions over bytes, no I/O).
 * The transport delivers whole frames (its own length prefix); inside one frame:
 *
 *   frame  = kind:u8 body
 *   kind 0 SYNC    varString(doc) syncMessage
 *                  syncMessage is a y-protocols/sync message, unchanged:
 *                  varUint(0 = SyncStep1) varUint8Array(stateVector)
 *                  varUint(1 = SyncStep2) varUint8Array(update)
 *                  varUint(2 = Update)    varUint8Array(update)
 *   kind 1 CHUNK   varUint(id) varUint(index) varUint(count) varUint(total) varUint8Array(part)
 *                  part `index` of `count` of an encoded frame of `total` bytes that was larger
 *                  than the chunk size; the reassembled bytes are decoded as a frame again
 *                  (never another CHUNK)
 *   kind 2 DIGEST  u8(flags: bit 0 = reply wanted, bit 1 = incoming list follows,
 *                     bit 2 = sequence numbers follow) varUint(n)
 *                  { varString(doc) varUint8Array(stateVector) varUint8Array(deleteSetHash) }*n
 *                  [ varUint(m) { varString(doc) }*m ]
 *                  [ varUint(seq) varUint(seen) ]
 *                  anti-entropy: the sender's state of every document it holds, and the
 *                  documents it does not hold whose whole state is on its way to it (the
 *                  receiver repairs everything else, not those). `seq` numbers the sender's
 *                  digests on this channel from 1; `seen` is the highest `seq` it has received
 *                  from the receiver, so the receiver knows which of its frames had arrived
 *                  when this state was read (frames of one channel arrive in order)
 *   kind 3 ACK     varString(doc) varUint8Array(stateVector)
 *                  everything up to this state vector of `doc` is durable on the sender
 *   kind 4 PEERS   varUint(n) { varString(peerId) }*n
 *                  the peers the sender's live updates currently reach directly (they ack
 *                  them): the receiver need not relay the sender's updates to them
 *   kind 5 UPDATES varString(doc) varUint(n ≥ 1) { varUint8Array(update) }*n
 *                  live updates of `doc` queued in one tick, in order: framing them costs a
 *                  byte copy, where Y.mergeUpdates re-encodes every struct (5–13 µs an update)
 *                  on the writing node, the busiest one under a flood
 *
 * All integers are lib0 varUints, strings UTF-8. Decoding never throws: anything malformed
 * becomes a FrameDecodeError naming the reason, and Yjs payloads (state vectors, updates) are
 * fully parsed here so that a corrupt one is rejected before it can reach a document — unless
 * the caller takes over checking updates (`checkUpdates: false`, see peer-session.ts).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

export const FRAME_SYNC = 0
export const FRAME_CHUNK = 1
export const FRAME_DIGEST = 2
const DIGEST_REPLY_WANTED = 1
const DIGEST_INCOMING = 2
const DIGEST_SEQUENCE = 4
export const FRAME_ACK = 3
export const FRAME_PEERS = 4
export const FRAME_UPDATES = 5

const KIND_NAMES = ['sync', 'chunk', 'digest', 'ack', 'peers', 'updates']
const SYNC_KIND_NAMES: Record<number, SyncFrame['kind']> = {
  [syncProtocol.messageYjsSyncStep1]: 'step1',
  [syncProtocol.messageYjsSyncStep2]: 'step2',
  [syncProtocol.messageYjsUpdate]: 'update'
}

/**
 * Name of an encoded frame's kind, for metrics: the `kind` decodeFrame gives it, so that
 * frames sent and received count under the same names (a repair is a step2, not an update).
 */
export function frameKindName (frame: Uint8Array): string {
  if (frame[0] !== FRAME_SYNC) return KIND_NAMES[frame[0]] ?? 'unknown'
  try {
    const decoder = decoding.createDecoder(frame)
    decoder.pos = 1
    const nameBytes = decoding.readVarUint(decoder)
    decoder.pos += nameBytes
    return SYNC_KIND_NAMES[decoding.readVarUint(decoder)] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Longest document name accepted, in bytes. */
export const MAX_DOC_NAME_BYTES = 1024
/** Most parts one chunked message may have. */
export const MAX_CHUNK_COUNT = 65_536
/** Most peers one PEERS frame may list, and the longest peer id, in bytes. */
export const MAX_PEERS = 1024
export const MAX_PEER_ID_BYTES = 128

export interface DigestEntry {
  doc: string
  stateVector: Uint8Array
  deleteSetHash: Uint8Array
}

export type SyncFrame =
  | { kind: 'step1', doc: string, stateVector: Uint8Array }
  | { kind: 'step2', doc: string, update: Uint8Array }
  | { kind: 'update', doc: string, update: Uint8Array }
  | { kind: 'updates', doc: string, updates: Uint8Array[] }
  | { kind: 'chunk', id: number, index: number, count: number, total: number, part: Uint8Array }
  | { kind: 'digest', replyWanted: boolean, entries: DigestEntry[], incoming: string[], seq?: number, seen?: number }
  | { kind: 'ack', doc: string, stateVector: Uint8Array }
  | { kind: 'peers', peers: string[] }

export type FrameDecodeReason = 'empty' | 'oversized' | 'unknown-kind' | 'truncated' | 'malformed' | 'trailing-bytes' | 'bad-payload'

export class FrameDecodeError {
  constructor (readonly reason: FrameDecodeReason, readonly message: string) {}
}

export type DecodeResult = { ok: true, frame: SyncFrame } | { ok: false, error: FrameDecodeError }

export function encodeStep1 (doc: string, stateVector: Uint8Array): Uint8Array {
  return encodeSync(doc, syncProtocol.messageYjsSyncStep1, stateVector)
}

export function encodeStep2 (doc: string, update: Uint8Array): Uint8Array {
  return encodeSync(doc, syncProtocol.messageYjsSyncStep2, update)
}

export function encodeUpdate (doc: string, update: Uint8Array): Uint8Array {
  return encodeSync(doc, syncProtocol.messageYjsUpdate, update)
}

/** Several live updates of `doc` in one frame, to be applied in this order. */
export function encodeUpdates (doc: string, updates: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8(encoder, FRAME_UPDATES)
  encoding.writeVarString(encoder, doc)
  encoding.writeVarUint(encoder, updates.length)
  for (const update of updates) encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

function encodeSync (doc: string, type: number, payload: Uint8Array): Uint8Array {
  const head = encoding.createEncoder()
  encoding.writeUint8(head, FRAME_SYNC)
  encoding.writeVarString(head, doc)
  encoding.writeVarUint(head, type)
  encoding.writeVarUint(head, payload.byteLength)
  return concatHead(encoding.toUint8Array(head), payload)
}

/**
 * `head` then `payload` in one buffer sized up front: a joiner's state is tens of megabytes, and
 * lib0's growing encoder copies a payload twice (into its buffer, then into the result).
 */
function concatHead (head: Uint8Array, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.byteLength + payload.byteLength)
  out.set(head)
  out.set(payload, head.byteLength)
  return out
}

export function encodeDigest (entries: readonly DigestEntry[], replyWanted: boolean, incoming: readonly string[] = []): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8(encoder, FRAME_DIGEST)
  encoding.writeUint8(encoder, (replyWanted ? DIGEST_REPLY_WANTED : 0) | (incoming.length > 0 ? DIGEST_INCOMING : 0))
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarString(encoder, entry.doc)
    encoding.writeVarUint8Array(encoder, entry.stateVector)
    encoding.writeVarUint8Array(encoder, entry.deleteSetHash)
  }
  if (incoming.length > 0) {
    encoding.writeVarUint(encoder, incoming.length)
    for (const doc of incoming) encoding.writeVarString(encoder, doc)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * A copy of an unnumbered digest frame with its sequence numbers appended: one digest body is
 * encoded for all peers, and each channel numbers its own copy.
 */
export function numberDigest (frame: Uint8Array, seq: number, seen: number): Uint8Array {
  if (frame[0] !== FRAME_DIGEST || (frame[1] & DIGEST_SEQUENCE) !== 0) throw new TypeError('not an unnumbered digest frame')
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, seq)
  encoding.writeVarUint(encoder, seen)
  const out = concatHead(frame, encoding.toUint8Array(encoder))
  out[1] |= DIGEST_SEQUENCE
  return out
}

export function encodeAck (doc: string, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8(encoder, FRAME_ACK)
  encoding.writeVarString(encoder, doc)
  encoding.writeVarUint8Array(encoder, stateVector)
  return encoding.toUint8Array(encoder)
}

export function encodePeers (peers: string[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8(encoder, FRAME_PEERS)
  encoding.writeVarUint(encoder, peers.length)
  for (const peer of peers) encoding.writeVarString(encoder, peer)
  return encoding.toUint8Array(encoder)
}

/** Splits an encoded frame into CHUNK frames whose parts hold at most `chunkBytes` bytes each. */
export function encodeChunks (id: number, frame: Uint8Array, chunkBytes: number): Uint8Array[] {
  const count = Math.ceil(frame.byteLength / chunkBytes)
  const chunks: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    const part = frame.subarray(index * chunkBytes, (index + 1) * chunkBytes)
    const head = encoding.createEncoder()
    encoding.writeUint8(head, FRAME_CHUNK)
    encoding.writeVarUint(head, id)
    encoding.writeVarUint(head, index)
    encoding.writeVarUint(head, count)
    encoding.writeVarUint(head, frame.byteLength)
    encoding.writeVarUint(head, part.byteLength)
    chunks.push(concatHead(encoding.toUint8Array(head), part))
  }
  return chunks
}

export interface DecodeOptions {
  /** False for reassembled messages, which must not nest chunks. */
  allowChunk?: boolean
  /**
   * False leaves Yjs updates unparsed, for a caller that checks them itself (isValidUpdate)
   * or applies them where a failure touches nothing (a document it does not hold yet).
   */
  checkUpdates?: boolean
}

/** Decodes one frame. `maxBytes` bounds the frame itself. */
export function decodeFrame (bytes: Uint8Array, maxBytes: number, options: DecodeOptions = {}): DecodeResult {
  const allowChunk = options.allowChunk ?? true
  if (bytes.byteLength === 0) return fail('empty', 'empty frame')
  if (bytes.byteLength > maxBytes) return fail('oversized', `frame of ${bytes.byteLength} bytes exceeds ${maxBytes}`)
  try {
    const decoder = decoding.createDecoder(bytes)
    const kind = decoding.readUint8(decoder)
    let result: DecodeResult
    switch (kind) {
      case FRAME_SYNC: result = readSync(decoder, options.checkUpdates ?? true); break
      case FRAME_CHUNK: result = allowChunk ? readChunk(decoder) : fail('malformed', 'chunk nested in a chunked message'); break
      case FRAME_DIGEST: result = readDigest(decoder); break
      case FRAME_ACK: result = readAck(decoder); break
      case FRAME_PEERS: result = readPeers(decoder); break
      case FRAME_UPDATES: result = readUpdates(decoder, options.checkUpdates ?? true); break
      default: return fail('unknown-kind', `unknown frame kind ${kind}`)
    }
    if (result.ok && decoding.hasContent(decoder)) return fail('trailing-bytes', `${result.frame.kind} frame has trailing bytes`)
    return result
  } catch (err) {
    return fail('truncated', `frame ends early or holds an out-of-range value: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function readSync (decoder: decoding.Decoder, checkUpdates: boolean): DecodeResult {
  const doc = readDocName(decoder)
  if (typeof doc !== 'string') return doc
  const type = decoding.readVarUint(decoder)
  const payload = decoding.readVarUint8Array(decoder)
  switch (type) {
    case syncProtocol.messageYjsSyncStep1:
      return validStateVector(payload) ? { ok: true, frame: { kind: 'step1', doc, stateVector: payload } } : fail('bad-payload', `invalid state vector for ${doc}`)
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate:
      if (checkUpdates && !isValidUpdate(payload)) return fail('bad-payload', `invalid Yjs update for ${doc}`)
      return { ok: true, frame: { kind: type === syncProtocol.messageYjsUpdate ? 'update' : 'step2', doc, update: payload } }
    default:
      return fail('unknown-kind', `unknown sync message type ${type}`)
  }
}

function readUpdates (decoder: decoding.Decoder, checkUpdates: boolean): DecodeResult {
  const doc = readDocName(decoder)
  if (typeof doc !== 'string') return doc
  const n = decoding.readVarUint(decoder)
  // Every update takes at least its length byte: a count beyond the bytes left is a lie.
  if (n === 0 || n > decoder.arr.byteLength - decoder.pos) return fail('malformed', `updates frame for ${doc} counts ${n} updates`)
  const updates: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const update = decoding.readVarUint8Array(decoder)
    if (checkUpdates && !isValidUpdate(update)) return fail('bad-payload', `invalid Yjs update ${i} of ${n} for ${doc}`)
    updates.push(update)
  }
  return { ok: true, frame: { kind: 'updates', doc, updates } }
}

function readChunk (decoder: decoding.Decoder): DecodeResult {
  const id = decoding.readVarUint(decoder)
  const index = decoding.readVarUint(decoder)
  const count = decoding.readVarUint(decoder)
  const total = decoding.readVarUint(decoder)
  // A view of the frame: every layer below (socket reads, the private network's and Noise's
  // decryption, yamux, the frame decoder) hands over buffers of its own that it never reuses,
  // and the assembler copies the parts into the message. Copying here cost a joiner of a 23 MB
  // document ~85 ms of its catch-up.
  const part = decoding.readVarUint8Array(decoder)
  if (count < 2 || count > MAX_CHUNK_COUNT || index >= count) return fail('malformed', `chunk ${index} of ${count} is out of range`)
  if (part.byteLength === 0 || part.byteLength > total) return fail('malformed', `chunk part of ${part.byteLength} bytes for a message of ${total}`)
  return { ok: true, frame: { kind: 'chunk', id, index, count, total, part } }
}

function readDigest (decoder: decoding.Decoder): DecodeResult {
  const flags = decoding.readUint8(decoder)
  if ((flags & ~(DIGEST_REPLY_WANTED | DIGEST_INCOMING | DIGEST_SEQUENCE)) !== 0) return fail('malformed', `unknown digest flags ${flags}`)
  const n = decoding.readVarUint(decoder)
  const entries: DigestEntry[] = []
  const seen = new Set<string>()
  for (let i = 0; i < n; i++) {
    const doc = readDocName(decoder)
    if (typeof doc !== 'string') return doc
    if (seen.has(doc)) return fail('malformed', `digest lists ${doc} twice`)
    seen.add(doc)
    const stateVector = decoding.readVarUint8Array(decoder)
    const deleteSetHash = decoding.readVarUint8Array(decoder)
    if (!validStateVector(stateVector)) return fail('bad-payload', `invalid state vector for ${doc} in digest`)
    entries.push({ doc, stateVector, deleteSetHash })
  }
  const incoming: string[] = []
  if ((flags & DIGEST_INCOMING) !== 0) {
    const m = decoding.readVarUint(decoder)
    if (m === 0) return fail('malformed', 'digest flags an incoming list but it is empty')
    for (let i = 0; i < m; i++) {
      const doc = readDocName(decoder)
      if (typeof doc !== 'string') return doc
      if (seen.has(doc)) return fail('malformed', `digest lists ${doc} twice`)
      seen.add(doc)
      incoming.push(doc)
    }
  }
  const frame: SyncFrame = { kind: 'digest', replyWanted: (flags & DIGEST_REPLY_WANTED) !== 0, entries, incoming }
  if ((flags & DIGEST_SEQUENCE) !== 0) {
    frame.seq = decoding.readVarUint(decoder)
    frame.seen = decoding.readVarUint(decoder)
  }
  return { ok: true, frame }
}

function readAck (decoder: decoding.Decoder): DecodeResult {
  const doc = readDocName(decoder)
  if (typeof doc !== 'string') return doc
  const stateVector = decoding.readVarUint8Array(decoder)
  if (!validStateVector(stateVector)) return fail('bad-payload', `invalid state vector for ${doc} in ack`)
  return { ok: true, frame: { kind: 'ack', doc, stateVector } }
}

function readPeers (decoder: decoding.Decoder): DecodeResult {
  const n = decoding.readVarUint(decoder)
  if (n > MAX_PEERS) return fail('malformed', `peers frame lists ${n} peers; the limit is ${MAX_PEERS}`)
  const peers: string[] = []
  for (let i = 0; i < n; i++) {
    const peer = readName(decoder, MAX_PEER_ID_BYTES, 'peer id')
    if (typeof peer !== 'string') return peer
    peers.push(peer)
  }
  return { ok: true, frame: { kind: 'peers', peers } }
}

function readDocName (decoder: decoding.Decoder): string | DecodeResult {
  return readName(decoder, MAX_DOC_NAME_BYTES, 'document name')
}

/** A non-empty UTF-8 string of at most `maxBytes` bytes, or why it is not one. */
function readName (decoder: decoding.Decoder, maxBytes: number, what: string): string | DecodeResult {
  const raw = decoding.readVarUint8Array(decoder)
  if (raw.byteLength === 0 || raw.byteLength > maxBytes) return fail('malformed', `${what} of ${raw.byteLength} bytes`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw)
  } catch {
    return fail('malformed', `${what} is not valid UTF-8`)
  }
}

/** A state vector parses completely: varUint(n) { varUint(client) varUint(clock) }*n and nothing more. */
function validStateVector (bytes: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(bytes)
    const n = decoding.readVarUint(decoder)
    for (let i = 0; i < n; i++) {
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
    }
    return !decoding.hasContent(decoder)
  } catch {
    return false
  }
}

/** An update parses completely (structs and delete set) without touching any document. */
export function isValidUpdate (bytes: Uint8Array): boolean {
  try {
    Y.decodeUpdate(bytes)
    return true
  } catch {
    return false
  }
}

function fail (reason: FrameDecodeReason, message: string): { ok: false, error: FrameDecodeError } {
  return { ok: false, error: new FrameDecodeError(reason, message) }
}
