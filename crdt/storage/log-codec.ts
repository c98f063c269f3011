/**
 * Record codec of the embedded log (one append-only file per document). Pure functions over
 * bytes; the file I/O lives in embedded-log.ts.
 *
 * Wire format, all integers little-endian, records back to back with no file header:
 *
 *   offset 0  u32  payload length N
 *   offset 4  u32  crc32 (zlib polynomial) of the 1 + N bytes [type][payload]
 *   offset 8  u8   record type: 1 = UPDATE (one Yjs update), 2 = SNAPSHOT (a compacted state)
 *   offset 9  N bytes payload
 *
 * A crash can leave a torn record at the end of the file (length written, payload short, or
 * bytes never flushed reading back as zeros). Decoding stops at the first record that is
 * incomplete, has an unknown type or a checksum mismatch, and reports where the valid prefix
 * ends so the caller can truncate the file there.
 */
import { crc32 } from 'node:zlib'

export const RECORD_HEADER_BYTES = 9

export const RecordType = {
  UPDATE: 1,
  SNAPSHOT: 2
} as const

export type RecordType = typeof RecordType[keyof typeof RecordType]

export interface LogRecord {
  type: RecordType
  /** A view into the decoded buffer: copy it if the buffer is reused. */
  payload: Uint8Array
}

export type CorruptionReason = 'truncated-header' | 'truncated-payload' | 'unknown-type' | 'checksum-mismatch'

export interface DecodeResult {
  records: LogRecord[]
  /** Byte offset just past the last valid record: the length the file should have. */
  validBytes: number
  /** Why decoding stopped before the end of the buffer; absent when every byte was valid. */
  corruption?: { offset: number, reason: CorruptionReason }
}

function isRecordType (type: number): type is RecordType {
  return type === RecordType.UPDATE || type === RecordType.SNAPSHOT
}

function checksum (type: number, payload: Uint8Array): number {
  return crc32(payload, crc32(Uint8Array.of(type)))
}

/**
 * The 9-byte header of a record. Kept apart from the payload so a writer can hand
 * [header, payload] to writev without copying large payloads.
 */
export function encodeRecordHeader (type: RecordType, payload: Uint8Array): Uint8Array {
  if (payload.byteLength > 0xffffffff) {
    throw new RangeError(`record payload of ${payload.byteLength} bytes exceeds the u32 length field`)
  }
  const header = new Uint8Array(RECORD_HEADER_BYTES)
  const view = new DataView(header.buffer)
  view.setUint32(0, payload.byteLength, true)
  view.setUint32(4, checksum(type, payload), true)
  header[8] = type
  return header
}

/** One record as contiguous bytes. */
export function encodeRecord (type: RecordType, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.byteLength)
  out.set(encodeRecordHeader(type, payload), 0)
  out.set(payload, RECORD_HEADER_BYTES)
  return out
}

/** Total encoded size of a record carrying `payloadBytes`. */
export function encodedRecordLength (payloadBytes: number): number {
  return RECORD_HEADER_BYTES + payloadBytes
}

/** Decode every valid record from the start of `buf`; never throws on bad input. */
export function decodeRecords (buf: Uint8Array): DecodeResult {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const records: LogRecord[] = []
  let offset = 0
  while (offset < buf.byteLength) {
    if (buf.byteLength - offset < RECORD_HEADER_BYTES) {
      return { records, validBytes: offset, corruption: { offset, reason: 'truncated-header' } }
    }
    const length = view.getUint32(offset, true)
    const expected = view.getUint32(offset + 4, true)
    const type = buf[offset + 8]
    const start = offset + RECORD_HEADER_BYTES
    if (length > buf.byteLength - start) {
      return { records, validBytes: offset, corruption: { offset, reason: 'truncated-payload' } }
    }
    if (!isRecordType(type)) {
      return { records, validBytes: offset, corruption: { offset, reason: 'unknown-type' } }
    }
    const payload = buf.subarray(start, start + length)
    if (checksum(type, payload) !== expected) {
      return { records, validBytes: offset, corruption: { offset, reason: 'checksum-mismatch' } }
    }
    records.push({ type, payload })
    offset = start + length
  }
  return { records, validBytes: offset }
}
