import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { decodeVersionRecord, encodeVersionRecord, STORED_DEFAULT_CONTENT_TYPE } from '../../crdt/version-record.js'
import type { VersionRecord } from '../../crdt/context-types.js'

const value = new TextEncoder().encode('hello')
const full: VersionRecord = {
  value,
  contentType: 'text/plain',
  metadata: { a: '1' },
  sha256: createHash('sha256').update(value).digest('hex'),
  author: 'node-a',
  writtenAt: 1_700_000_000_000,
  expiresAt: 1_700_000_000_050,
  deleted: false
}
const marker: VersionRecord = { value: new Uint8Array(0), contentType: '', metadata: {}, sha256: '', author: 'node-b', writtenAt: 5, expiresAt: 0, deleted: true }
const plain: VersionRecord = { ...full, contentType: STORED_DEFAULT_CONTENT_TYPE, metadata: {}, expiresAt: 0 }

/** What a peer decodes after the value crossed a Yjs update. */
function viaYjs (stored: unknown): unknown {
  const a = new Y.Doc()
  a.getMap('versions').set('k', stored)
  const b = new Y.Doc()
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  return b.getMap('versions').get('k')
}

describe('version record stored form', () => {
  it('round-trips values, delete markers and defaults, also through a Yjs update', () => {
    for (const record of [full, marker, plain]) {
      expect(decodeVersionRecord(encodeVersionRecord(record))).toEqual(record)
      expect(decodeVersionRecord(viaYjs(encodeVersionRecord(record)))).toEqual(record)
    }
  })

  it('leaves defaults out and stores the digest as 32 raw bytes', () => {
    const stored = encodeVersionRecord(plain)
    expect(Object.keys(stored).sort()).toEqual(['a', 'h', 'v', 'w'])
    expect(stored.h).toBeInstanceOf(Uint8Array)
    expect((stored.h as Uint8Array).byteLength).toBe(32)
    expect(encodeVersionRecord(marker)).toEqual({ v: marker.value, c: '', a: 'node-b', w: 5, d: 1 })
  })

  it('reads the legacy full form', () => {
    expect(decodeVersionRecord(viaYjs(full))).toEqual(full)
  })

  it('rejects malformed values', () => {
    const good = encodeVersionRecord(full)
    for (const bad of [null, 1, 'x', [], {}, { ...good, v: 'x' }, { ...good, a: 1 }, { ...good, w: '1' }, { ...good, c: 2 },
      { ...good, m: null }, { ...good, x: '1' }, { ...good, d: true }, { ...good, h: 5 }, { ...full, deleted: 'no' }]) {
      expect(decodeVersionRecord(bad), JSON.stringify(bad)).toBeUndefined()
    }
  })
})
