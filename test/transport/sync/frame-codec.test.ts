import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { createChunkAssembler } from '../../../transport/sync/chunk-assembler.js'
import {
  decodeFrame, encodeAck, encodeChunks, encodeDigest, encodePeers, encodeStep1, encodeStep2, encodeUpdate, encodeUpdates, frameKindName, numberDigest,
  FRAME_PEERS, FRAME_CHUNK, FRAME_DIGEST, FRAME_SYNC, FRAME_UPDATES, MAX_PEERS, type SyncFrame
} from '../../../transport/sync/frame-codec.js'
import { createRng, testSeed } from '../../helpers/seed.js'

const MAX = 1024 * 1024

function sampleDoc (): Y.Doc {
  const doc = new Y.Doc()
  const map = doc.getMap('kv')
  for (let i = 0; i < 20; i++) map.set(`k${i}`, { i, s: 'x'.repeat(i) })
  map.delete('k3')
  return doc
}

function decoded (bytes: Uint8Array): SyncFrame {
  const result = decodeFrame(bytes, MAX)
  if (!result.ok) throw new Error(`decode failed: ${result.error.reason} ${result.error.message}`)
  return result.frame
}

function validFrames (): Uint8Array[] {
  const doc = sampleDoc()
  const sv = Y.encodeStateVector(doc)
  const update = Y.encodeStateAsUpdate(doc)
  return [
    encodeStep1('ctx/a', sv),
    encodeStep2('ctx/a', update),
    encodeUpdate('ctx/ü', update),
    encodeUpdates('ctx/a', [update, Y.encodeStateAsUpdate(sampleDoc())]),
    encodeDigest([{ doc: 'ctx/a', stateVector: sv, deleteSetHash: new Uint8Array([1, 2, 3]) }, { doc: 'ctx/b', stateVector: sv, deleteSetHash: new Uint8Array(16) }], true),
    encodeDigest([{ doc: 'ctx/a', stateVector: sv, deleteSetHash: new Uint8Array(16) }], false, ['ctx/new', 'ctx/ü']),
    numberDigest(encodeDigest([{ doc: 'ctx/a', stateVector: sv, deleteSetHash: new Uint8Array(16) }], true, ['ctx/new']), 300, 7),
    encodeAck('ctx/a', sv),
    encodePeers(['12D3KooWA', '12D3KooWB']),
    ...encodeChunks(3, encodeUpdate('ctx/a', update), 100)
  ]
}

describe('frame codec', () => {
  it('round-trips every frame kind', () => {
    const doc = sampleDoc()
    const sv = Y.encodeStateVector(doc)
    const update = Y.encodeStateAsUpdate(doc)
    expect(decoded(encodeStep1('ctx/a', sv))).toEqual({ kind: 'step1', doc: 'ctx/a', stateVector: sv })
    expect(decoded(encodeStep2('ctx/a', update))).toEqual({ kind: 'step2', doc: 'ctx/a', update })
    expect(decoded(encodeUpdate('ctx/ü', update))).toEqual({ kind: 'update', doc: 'ctx/ü', update })
    expect(decoded(encodeAck('d', sv))).toEqual({ kind: 'ack', doc: 'd', stateVector: sv })
    const second = Y.encodeStateAsUpdate(sampleDoc())
    expect(decoded(encodeUpdates('ctx/b', [update, second]))).toEqual({ kind: 'updates', doc: 'ctx/b', updates: [update, second] })
    const entries = [{ doc: 'x', stateVector: sv, deleteSetHash: new Uint8Array([9]) }]
    expect(decoded(encodeDigest(entries, true))).toEqual({ kind: 'digest', replyWanted: true, entries, incoming: [] })
    expect(decoded(encodeDigest([], false))).toEqual({ kind: 'digest', replyWanted: false, entries: [], incoming: [] })
    expect(decoded(encodeDigest(entries, false, ['ctx/new']))).toEqual({ kind: 'digest', replyWanted: false, entries, incoming: ['ctx/new'] })
    expect(decoded(numberDigest(encodeDigest(entries, false, ['ctx/new']), 2 ** 40, 0))).toEqual({ kind: 'digest', replyWanted: false, entries, incoming: ['ctx/new'], seq: 2 ** 40, seen: 0 })
    expect(decoded(numberDigest(encodeDigest([], true), 1, 5))).toEqual({ kind: 'digest', replyWanted: true, entries: [], incoming: [], seq: 1, seen: 5 })
    expect(() => numberDigest(numberDigest(encodeDigest([], true), 1, 5), 2, 5)).toThrow(TypeError)
    expect(() => numberDigest(encodeAck('d', sv), 1, 0)).toThrow(TypeError)
    expect(decoded(encodePeers(['12D3KooWA', 'ü']))).toEqual({ kind: 'peers', peers: ['12D3KooWA', 'ü'] })
    expect(decoded(encodePeers([]))).toEqual({ kind: 'peers', peers: [] })
  })

  it('names every frame it encodes as decoding names it (the metrics of both directions agree)', () => {
    const frames = validFrames()
    for (const frame of frames) expect(frameKindName(frame)).toBe(decoded(frame).kind)
    expect(new Set(frames.map(frameKindName)).size).toBe(8)
    expect(frameKindName(Uint8Array.of(FRAME_SYNC))).toBe('unknown')
    expect(frameKindName(Uint8Array.of(42))).toBe('unknown')
  })

  it('carries y-protocols sync messages unchanged after the document name', () => {
    const update = Y.encodeStateAsUpdate(sampleDoc())
    const frame = encodeUpdate('d', update)
    const expected = encoding.createEncoder()
    encoding.writeUint8(expected, FRAME_SYNC)
    encoding.writeVarString(expected, 'd')
    encoding.writeVarUint(expected, 2)
    encoding.writeVarUint8Array(expected, update)
    expect(frame).toEqual(encoding.toUint8Array(expected))
  })

  it('chunks a frame and reassembles it from shuffled, duplicated parts', () => {
    const seed = testSeed('chunk reassembly')
    const rng = createRng(seed)
    const frame = encodeStep2('ctx/big', Y.encodeStateAsUpdate(sampleDoc()))
    const chunks = encodeChunks(1, frame, 64).map(decoded)
    expect(chunks.length).toBe(Math.ceil(frame.byteLength / 64))
    const order = [...chunks, chunks[0], chunks[chunks.length - 1]].sort(() => rng() - 0.5)
    const assembler = createChunkAssembler({ maxMessageBytes: MAX })
    const messages: Uint8Array[] = []
    for (const chunk of order) {
      if (chunk.kind !== 'chunk') throw new Error('not a chunk')
      const result = assembler.add(chunk)
      expect(result.ok).toBe(true)
      if (result.ok && result.message !== undefined) messages.push(result.message)
    }
    expect(messages).toHaveLength(1)
    expect(messages[0]).toEqual(frame)
    expect(assembler.pendingBytes()).toBe(0)
    // The chunk encoding is lib0's, byte for byte.
    const expected = encoding.createEncoder()
    encoding.writeUint8(expected, FRAME_CHUNK)
    for (const n of [1, 0, chunks.length, frame.byteLength]) encoding.writeVarUint(expected, n)
    encoding.writeVarUint8Array(expected, frame.subarray(0, 64))
    expect(encodeChunks(1, frame, 64)[0]).toEqual(encoding.toUint8Array(expected))
  })

  it('rejects chunked messages over the size bound and inconsistent chunks', () => {
    const frame = encodeStep2('d', Y.encodeStateAsUpdate(sampleDoc()))
    const [first, second] = encodeChunks(5, frame, 32).map(decoded)
    if (first.kind !== 'chunk' || second.kind !== 'chunk') throw new Error('not chunks')
    expect(createChunkAssembler({ maxMessageBytes: 16 }).add(first)).toMatchObject({ ok: false, reason: 'oversized' })
    const assembler = createChunkAssembler({ maxMessageBytes: MAX })
    expect(assembler.add(first).ok).toBe(true)
    expect(assembler.add({ ...second, count: second.count + 1 })).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('evicts the oldest incomplete message when too many are in flight', () => {
    const frame = encodeStep2('d', Y.encodeStateAsUpdate(sampleDoc()))
    const assembler = createChunkAssembler({ maxMessageBytes: MAX, maxPendingMessages: 2 })
    for (const id of [1, 2, 3]) {
      const first = decoded(encodeChunks(id, frame, 32)[0])
      if (first.kind !== 'chunk') throw new Error('not a chunk')
      assembler.add(first)
    }
    expect(assembler.pendingBytes()).toBe(64)
  })

  it('names what is wrong with a malformed frame', () => {
    const update = Y.encodeStateAsUpdate(sampleDoc())
    const good = encodeUpdate('d', update)
    const reason = (bytes: Uint8Array, max = MAX): string => {
      const r = decodeFrame(bytes, max)
      return r.ok ? 'ok' : r.error.reason
    }
    expect(reason(new Uint8Array(0))).toBe('empty')
    expect(reason(good, good.byteLength - 1)).toBe('oversized')
    expect(reason(new Uint8Array([42, 1, 2]))).toBe('unknown-kind')
    expect(reason(good.subarray(0, good.byteLength - 3))).toBe('truncated')
    expect(reason(new Uint8Array([...good, 0]))).toBe('trailing-bytes')
    const syncType9 = encoding.createEncoder()
    encoding.writeUint8(syncType9, FRAME_SYNC)
    encoding.writeVarString(syncType9, 'd')
    encoding.writeVarUint(syncType9, 9)
    encoding.writeVarUint8Array(syncType9, update)
    expect(reason(encoding.toUint8Array(syncType9))).toBe('unknown-kind')
    expect(reason(encodeUpdate('d', new Uint8Array([5, 200, 1, 7, 7, 7])))).toBe('bad-payload')
    expect(reason(encodeStep1('d', new Uint8Array([3, 1])))).toBe('bad-payload')
    expect(reason(encodeUpdate('', update))).toBe('malformed')
    expect(reason(encodeUpdate('x'.repeat(2000), update))).toBe('malformed')
    const chunk = encodeChunks(1, good, 16)[0]
    expect(decodeFrame(chunk, MAX, { allowChunk: false })).toMatchObject({ ok: false, error: { reason: 'malformed' } })
    expect(reason(encodeDigest([{ doc: 'a', stateVector: new Uint8Array([0]), deleteSetHash: new Uint8Array(0) }, { doc: 'a', stateVector: new Uint8Array([0]), deleteSetHash: new Uint8Array(0) }], false))).toBe('malformed')
    // A document both held and incoming, and an incoming flag with an empty list.
    expect(reason(encodeDigest([{ doc: 'a', stateVector: new Uint8Array([0]), deleteSetHash: new Uint8Array(0) }], false, ['a']))).toBe('malformed')
    expect(reason(new Uint8Array([FRAME_DIGEST, 2, 0, 0]))).toBe('malformed')
    expect(reason(new Uint8Array([FRAME_DIGEST, 8, 0]))).toBe('malformed')
    expect(reason(encodePeers(['']))).toBe('malformed')
    expect(reason(encodePeers(['p'.repeat(200)]))).toBe('malformed')
    expect(reason(new Uint8Array([FRAME_PEERS, 1, 2, 0xff, 0xfe]))).toBe('malformed')
    const updates = (n: number, ...payloads: Uint8Array[]): Uint8Array => {
      const e = encoding.createEncoder()
      encoding.writeUint8(e, FRAME_UPDATES)
      encoding.writeVarString(e, 'd')
      encoding.writeVarUint(e, n)
      for (const p of payloads) encoding.writeVarUint8Array(e, p)
      return encoding.toUint8Array(e)
    }
    expect(reason(updates(2, update, update))).toBe('ok')
    expect(reason(updates(0))).toBe('malformed')
    expect(reason(updates(1_000_000, update))).toBe('malformed')
    expect(reason(updates(3, update, update))).toBe('truncated')
    expect(reason(updates(2, update, new Uint8Array([5, 200, 1, 7, 7, 7])))).toBe('bad-payload')
    expect(decodeFrame(updates(2, update, new Uint8Array([5, 200, 1, 7, 7, 7])), MAX, { checkUpdates: false }).ok).toBe(true)
    const tooMany = encoding.createEncoder()
    encoding.writeUint8(tooMany, FRAME_PEERS)
    encoding.writeVarUint(tooMany, MAX_PEERS + 1)
    expect(reason(encoding.toUint8Array(tooMany))).toBe('malformed')
  })

  it('rejects every truncation of every valid frame without throwing', () => {
    for (const frame of validFrames()) {
      for (let len = 0; len < frame.byteLength; len++) {
        expect(decodeFrame(frame.subarray(0, len), MAX).ok).toBe(false)
      }
    }
  })

  it('never throws on seeded garbage and mutated frames (fuzz)', () => {
    const seed = testSeed('frame decoder fuzz')
    const rng = createRng(seed)
    const frames = validFrames()
    let garbageRejected = 0
    for (let i = 0; i < 20_000; i++) {
      let bytes: Uint8Array
      if (i % 2 === 0) {
        bytes = new Uint8Array(Math.floor(rng() * 200))
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rng() * 256)
        if (bytes.length > 0) bytes[0] = Math.floor(rng() * 6)
      } else {
        bytes = frames[Math.floor(rng() * frames.length)].slice()
        const flips = 1 + Math.floor(rng() * 4)
        for (let f = 0; f < flips; f++) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256)
      }
      const result = decodeFrame(bytes, MAX)
      expect(typeof result.ok).toBe('boolean')
      if (!result.ok && i % 2 === 0) garbageRejected++
    }
    // Random bytes are overwhelmingly rejected, not silently accepted (a mutated valid frame
    // may well still be valid: a flipped byte inside a value is a legitimate update).
    expect(garbageRejected).toBeGreaterThan(0.95 * 10_000)
  })
})
