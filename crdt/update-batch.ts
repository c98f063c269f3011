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
import * as encoding from 'lib0/encoding'

const MAGIC = 0xCB
const VERSION = 0x01

export function encodeUpdateBatch (updates: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8(encoder, MAGIC)
  encoding.writeUint8(encoder, VERSION)
  encoding.writeVarUint(encoder, updates.length)
  for (const update of updates) encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
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
