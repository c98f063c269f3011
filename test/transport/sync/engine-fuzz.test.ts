/**
 * A misbehaving peer: malformed, oversized, unknown or corrupt frames close that channel, count
 * against the peer, leave every document exactly as it was and never stop the node.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { decodeFrame, encodeChunks, encodeStep1, encodeStep2, encodeUpdate, encodeUpdates, FRAME_CHUNK, FRAME_SYNC } from '../../../transport/sync/frame-codec.js'
import { createChannelPair } from '../../helpers/memory-channel.js'
import { createRng, testSeed } from '../../helpers/seed.js'
import { converged, createSyncNode, fullState, link, stopSyncNodes, write, type SyncNode } from '../../helpers/sync-nodes.js'
import { waitFor } from '../../helpers/wait-for.js'

const MAX_FRAME_BYTES = 4096
const CHUNK_BYTES = 1024
const MAX_MESSAGE_BYTES = 64 * 1024

let nodes: SyncNode[] = []

afterEach(async () => {
  await stopSyncNodes(nodes)
  nodes = []
})

function validUpdate (): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('kv').set('evil', 'x'.repeat(50))
  return Y.encodeStateAsUpdate(doc)
}

function syncFrame (doc: string, type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeUint8(e, FRAME_SYNC)
  encoding.writeVarString(e, doc)
  encoding.writeVarUint(e, type)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

function chunkFrame (id: number, index: number, count: number, total: number, part: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeUint8(e, FRAME_CHUNK)
  encoding.writeVarUint(e, id)
  encoding.writeVarUint(e, index)
  encoding.writeVarUint(e, count)
  encoding.writeVarUint(e, total)
  encoding.writeVarUint8Array(e, part)
  return encoding.toUint8Array(e)
}

/** Sends `frames` from a raw peer to `node`; resolves once the node closed that channel. */
async function attack (node: SyncNode, peer: string, frames: Uint8Array[]): Promise<void> {
  const pair = createChannelPair(node.id, peer)
  node.engine.addChannel(pair.a)
  for (const frame of frames) pair.b.send(frame)
  await waitFor(() => pair.a.closed, { what: `node closed the channel of ${peer}` })
  expect(pair.a.closeReason).toMatch(/protocol violation/)
}

describe('sync engine against a misbehaving peer', () => {
  it('closes the channel on each kind of bad frame and leaves documents untouched', async () => {
    const a = await createSyncNode('a', { maxFrameBytes: MAX_FRAME_BYTES, chunkBytes: CHUNK_BYTES, maxMessageBytes: MAX_MESSAGE_BYTES })
    nodes = [a]
    for (let i = 0; i < 10; i++) await write(a, `ctx/d${i % 3}`, `k${i}`, i)
    const before = fullState(a.store)
    const update = validUpdate()
    const good = encodeUpdate('ctx/d0', update)
    const cases: Record<string, Uint8Array[]> = {
      truncated: [good.subarray(0, good.byteLength - 5)],
      oversized: [encodeUpdate('ctx/d0', new Uint8Array(MAX_FRAME_BYTES))],
      garbage: [new Uint8Array([0, 200, 13, 7, 255, 255, 255, 255, 255, 1])],
      'unknown kind': [new Uint8Array([77, 1, 2, 3])],
      'unknown sync message': [syncFrame('ctx/d0', 7, update)],
      'corrupt update': [syncFrame('ctx/d1', 2, update.subarray(0, update.byteLength - 4))],
      'corrupt step2': [syncFrame('ctx/new', 1, new Uint8Array([1, 1, 9, 9, 9, 9]))],
      // The first update of each batch is valid: applying it before checking the rest would show.
      'corrupt update in a batch': [encodeUpdates('ctx/d1', [update, update.subarray(0, update.byteLength - 4)])],
      'corrupt batch for a new document': [encodeUpdates('ctx/new', [update, new Uint8Array([1, 1, 9, 9, 9, 9])])],
      'corrupt state vector': [syncFrame('ctx/d0', 0, new Uint8Array([4, 1]))],
      'trailing bytes': [new Uint8Array([...good, 0])],
      'chunk over the message bound': [chunkFrame(1, 0, 2, MAX_MESSAGE_BYTES + 1, new Uint8Array(100))],
      'chunk count changes': [chunkFrame(1, 0, 2, 200, new Uint8Array(100)), chunkFrame(1, 1, 3, 200, new Uint8Array(100))],
      'chunks reassemble into garbage': [chunkFrame(2, 0, 2, 8, new Uint8Array([0, 1, 2, 3])), chunkFrame(2, 1, 2, 8, new Uint8Array([4, 5, 6, 7]))],
      'nested chunk': encodeChunks(3, chunkFrame(4, 0, 2, 2000, new Uint8Array(1500)), CHUNK_BYTES),
      'bad frame after good ones': [encodeStep1('ctx/d0', new Uint8Array([0])), new Uint8Array([200])]
    }
    let errors = 0
    for (const [name, frames] of Object.entries(cases)) {
      const peer = `evil-${name.replace(/ /g, '-')}`
      await attack(a, peer, frames)
      errors++
      const stats = a.engine.stats().find(s => s.peer === peer)
      expect(stats?.errors, name).toBe(1)
      expect(stats?.channels, name).toBe(0)
      expect(fullState(a.store), name).toEqual(before)
    }
    expect(a.engine.stats().reduce((n, s) => n + s.errors, 0)).toBe(errors)
    expect(a.store.get('ctx/new')).toBeUndefined()
    // Still serving honest peers.
    const b = await createSyncNode('b')
    nodes.push(b)
    link(a, b)
    await waitFor(() => converged([a, b]), { what: 'honest peer synced after the attacks' })
  })

  it('survives seeded fuzz of incoming frames: documents change only through valid frames', async () => {
    const seed = testSeed('sync incoming frame fuzz')
    const rng = createRng(seed)
    const a = await createSyncNode('a', { maxFrameBytes: MAX_FRAME_BYTES, chunkBytes: CHUNK_BYTES, maxMessageBytes: MAX_MESSAGE_BYTES })
    nodes = [a]
    for (let i = 0; i < 10; i++) await write(a, `ctx/d${i % 3}`, `k${i}`, i)
    const templates = [encodeUpdate('ctx/d0', validUpdate()), encodeUpdates('ctx/d1', [validUpdate(), validUpdate()]), encodeStep2('ctx/d1', validUpdate()), encodeStep1('ctx/d2', new Uint8Array([0])), ...encodeChunks(9, encodeUpdate('ctx/d0', validUpdate()), 40)]
    let closedFor = 0
    for (let round = 0; round < 150; round++) {
      const base = templates[Math.floor(rng() * templates.length)]
      let bytes: Uint8Array
      const mode = Math.floor(rng() * 3)
      if (mode === 0) bytes = base.subarray(0, Math.floor(rng() * base.byteLength))
      else if (mode === 1) {
        bytes = base.slice()
        for (let f = 0; f < 1 + Math.floor(rng() * 3); f++) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256)
      } else {
        bytes = new Uint8Array(1 + Math.floor(rng() * 64))
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rng() * 256)
      }
      const decoded = decodeFrame(bytes, MAX_FRAME_BYTES)
      if (decoded.ok) continue
      const before = fullState(a.store)
      await attack(a, `fuzz-${round}`, [bytes])
      expect(fullState(a.store), `round ${round} (seed ${seed})`).toEqual(before)
      closedFor++
    }
    expect(closedFor).toBeGreaterThan(50)
    const b = await createSyncNode('b')
    nodes.push(b)
    link(a, b)
    await waitFor(() => converged([a, b]), { what: 'honest peer synced after the fuzz' })
  })
})
