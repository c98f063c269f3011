import { describe, expect, it } from 'vitest'
import { decodeUpdateBatch, encodeUpdateBatch } from '../../crdt/update-batch.js'

describe('update batch records', () => {
  it('round-trips any number of updates, including empty and large ones', () => {
    const updates = [new Uint8Array(0), Uint8Array.from([1, 2, 3]), new Uint8Array(70_000).fill(9)]
    expect(decodeUpdateBatch(encodeUpdateBatch(updates))).toEqual(updates)
    expect(decodeUpdateBatch(encodeUpdateBatch([]))).toEqual([])
  })

  it('rejects records that are not batches or are truncated or padded', () => {
    expect(() => decodeUpdateBatch(Uint8Array.from([0, 0]))).toThrow(/not a CAM-OS update batch/)
    const record = encodeUpdateBatch([Uint8Array.from([1, 2, 3, 4])])
    expect(() => decodeUpdateBatch(record.subarray(0, record.length - 1))).toThrow()
    expect(() => decodeUpdateBatch(Uint8Array.from([...record, 0]))).toThrow(/trailing/)
  })
})
