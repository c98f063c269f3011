import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import { decodeUpdateBatch, encodeUpdateBatch } from '../../crdt/update-batch.js'

describe('update batch records', () => {
  it('round-trips any number of updates, including empty and large ones', () => {
    const updates = [new Uint8Array(0), Uint8Array.from([1, 2, 3]), new Uint8Array(70_000).fill(9)]
    expect(decodeUpdateBatch(encodeUpdateBatch(updates))).toEqual(updates)
    expect(decodeUpdateBatch(encodeUpdateBatch([]))).toEqual([])
  })

  it('writes the same bytes as the lib0 encoding that existing logs were written with', () => {
    // lengths on both sides of every varuint width up to four bytes
    const lengths = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152]
    const updates = lengths.map((n, i) => new Uint8Array(n).fill(i + 1))
    const reference = encoding.createEncoder()
    encoding.writeUint8(reference, 0xCB)
    encoding.writeUint8(reference, 0x01)
    encoding.writeVarUint(reference, updates.length)
    for (const update of updates) encoding.writeVarUint8Array(reference, update)
    expect(Buffer.from(encodeUpdateBatch(updates)).equals(Buffer.from(encoding.toUint8Array(reference)))).toBe(true)
  })

  it('rejects records that are not batches or are truncated or padded', () => {
    expect(() => decodeUpdateBatch(Uint8Array.from([0, 0]))).toThrow(/not a CAM-OS update batch/)
    const record = encodeUpdateBatch([Uint8Array.from([1, 2, 3, 4])])
    expect(() => decodeUpdateBatch(record.subarray(0, record.length - 1))).toThrow()
    expect(() => decodeUpdateBatch(Uint8Array.from([...record, 0]))).toThrow(/trailing/)
  })
})
