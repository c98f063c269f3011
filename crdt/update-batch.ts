/**
 * The format of one stored record of a document: a batch of Yjs updates that were persisted
 * together. Framing them is far cheaper than Y.mergeUpdates (a byte copy instead of re-encoding
 * every struct) and keeps the batch atomic: a record holds all of its updates or, torn, none.
 *
 *   record  = 0xCB 0x01 varuint(count) { varuint(length) update-bytes }*count
 *
 * 0xCB marks the framing, 0x01 its version.
 */
import * as decoding from 'lib0/decoding'

const MAGIC = 0xCB
const VERSION = 0x01

export function encodeUpdateBatch (updates: readonly Uint8Array[]): Uint8Array {
  // Sized up front and filled in place: a joiner persists a whole document state (tens of MB)
  // as one record, and a growing encoder would allocate and copy it several times over.
  let size = 2 + varUintLength(updates.length)
  for (const update of updates) size += varUintLength(update.byteLength) + update.byteLength
  const out = new Uint8Array(size)
  out[0] = MAGIC
  out[1] = VERSION
  let pos = writeVarUint(out, 2, updates.length)
  for (const update of updates) {
    pos = writeVarUint(out, pos, update.byteLength)
    out.set(update, pos)
    pos += update.byteLength
  }
  return out
}

/** Bytes of `n` as a lib0 varuint (7 bits per byte). */
function varUintLength (n: number): number {
  let bytes = 1
  while (n > 0x7f) {
    n = Math.floor(n / 128)
    bytes++
  }
  return bytes
}

function writeVarUint (out: Uint8Array, pos: number, n: number): number {
  while (n > 0x7f) {
    out[pos++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 128)
  }
  out[pos++] = n
  return pos
}

/** The updates of one stored record; throws on a malformed batch. */
export function decodeUpdateBatch (record: Uint8Array): Uint8Array[] {
  if (record.length < 2 || record[0] !== MAGIC || record[1] !== VERSION) throw new Error('not a CAM-OS update batch record')
  const decoder = decoding.createDecoder(record)
  decoding.readUint8(decoder)
  decoding.readUint8(decoder)
  const count = decoding.readVarUint(decoder)
  const updates: Uint8Array[] = []
  for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder))
  if (decoding.hasContent(decoder)) throw new Error('update batch has trailing bytes')
  return updates
}
