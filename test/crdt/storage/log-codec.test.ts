import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeRecords, encodeRecord, encodeRecordHeader, RECORD_HEADER_BYTES, RecordType } from '../../../crdt/storage/log-codec.js'
import { createRng, testSeed } from '../../helpers/seed.js'
import { randomBytes } from '../storage-acceptance.js'

function concat (parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.byteLength
  }
  return out
}

describe('log codec', () => {
  const random = createRng(testSeed('log codec'))
  const payloads = [randomBytes(random, 37), new Uint8Array(0), randomBytes(random, 1), randomBytes(random, 300)]
  const types = [RecordType.UPDATE, RecordType.SNAPSHOT, RecordType.UPDATE, RecordType.UPDATE]
  const encoded = payloads.map((p, i) => encodeRecord(types[i], p))
  const buf = concat(encoded)
  const ends = encoded.map((_, i) => encoded.slice(0, i + 1).reduce((n, e) => n + e.byteLength, 0))

  it('lays out [u32 LE length][u32 LE crc32(type+payload)][u8 type][payload]', () => {
    const payload = Uint8Array.of(1, 2, 3)
    const record = encodeRecord(RecordType.SNAPSHOT, payload)
    const view = new DataView(record.buffer)
    expect(record.byteLength).toBe(RECORD_HEADER_BYTES + 3)
    expect(view.getUint32(0, true)).toBe(3)
    expect(view.getUint32(4, true)).toBe(crc32(Uint8Array.of(2, 1, 2, 3)))
    expect(record[8]).toBe(2)
    expect(record.subarray(9)).toEqual(payload)
    expect(encodeRecordHeader(RecordType.SNAPSHOT, payload)).toEqual(record.subarray(0, 9))
  })

  it('round-trips records of both types, including an empty payload', () => {
    const decoded = decodeRecords(buf)
    expect(decoded.corruption).toBeUndefined()
    expect(decoded.validBytes).toBe(buf.byteLength)
    expect(decoded.records.map(r => r.type)).toEqual(types)
    expect(decoded.records.map(r => r.payload)).toEqual(payloads)
  })

  it('decodes a buffer that is a view at an offset into a larger one', () => {
    const outer = concat([Uint8Array.of(9, 9, 9), buf, Uint8Array.of(7)])
    const decoded = decodeRecords(outer.subarray(3, 3 + buf.byteLength))
    expect(decoded.records.map(r => r.payload)).toEqual(payloads)
  })

  it('reports the valid prefix for a cut at every byte offset', () => {
    for (let cut = 0; cut <= buf.byteLength; cut++) {
      const decoded = decodeRecords(buf.subarray(0, cut))
      const complete = ends.filter(e => e <= cut).length
      expect(decoded.records.length).toBe(complete)
      expect(decoded.validBytes).toBe(complete === 0 ? 0 : ends[complete - 1])
      if (cut === decoded.validBytes) {
        expect(decoded.corruption).toBeUndefined()
      } else {
        expect(decoded.corruption?.offset).toBe(decoded.validBytes)
        expect(['truncated-header', 'truncated-payload']).toContain(decoded.corruption?.reason)
      }
    }
  })

  it('detects any single flipped bit in a record', () => {
    for (let i = 0; i < encoded[0].byteLength * 8; i++) {
      const copy = buf.slice()
      copy[i >> 3] ^= 1 << (i & 7)
      const decoded = decodeRecords(copy)
      expect(decoded.records.length, `bit ${i}`).toBe(0)
      expect(decoded.validBytes).toBe(0)
    }
  })

  it('rejects an unknown record type even with a matching checksum', () => {
    const payload = Uint8Array.of(4, 5)
    const record = encodeRecord(RecordType.UPDATE, payload)
    record[8] = 3
    new DataView(record.buffer).setUint32(4, crc32(Uint8Array.of(3, 4, 5)), true)
    const decoded = decodeRecords(concat([encoded[0], record]))
    expect(decoded.records.length).toBe(1)
    expect(decoded.corruption).toEqual({ offset: encoded[0].byteLength, reason: 'unknown-type' })
  })

  it('reports a checksum mismatch in the middle and nothing after it', () => {
    const copy = buf.slice()
    copy[ends[1] + RECORD_HEADER_BYTES] ^= 0xff
    const decoded = decodeRecords(copy)
    expect(decoded.records.length).toBe(2)
    expect(decoded.corruption).toEqual({ offset: ends[1], reason: 'checksum-mismatch' })
  })
})
