import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { syscallOrigin } from '../../../crdt/origin.js'
import { decodeFrame, encodeAck, encodeDigest, encodeStep1, numberDigest, type DigestEntry } from '../../../transport/sync/frame-codec.js'
import { ownState } from '../../../transport/sync/engine.js'
import { decodeUpdateBatch } from '../../../crdt/update-batch.js'
import { createRng, testSeed } from '../../helpers/seed.js'
import { converged, createSyncNode, fullState, link, remove, ROOT, stopSyncNodes, write, type SyncNode } from '../../helpers/sync-nodes.js'
import { createChannelPair, type ChannelPair, type MemoryChannelOptions } from '../../helpers/memory-channel.js'
import { waitFor } from '../../helpers/wait-for.js'

/** Anti-entropy fast enough for tests that depend on it; slow enough to stay out of the way elsewhere. */
const FAST_ANTI_ENTROPY_MS = 50
const QUIET_ANTI_ENTROPY_MS = 60_000

let nodes: SyncNode[] = []

async function makeNodes (n: number, init = {}): Promise<SyncNode[]> {
  nodes = []
  for (let i = 0; i < n; i++) nodes.push(await createSyncNode(`n${i}`, { antiEntropyMs: QUIET_ANTI_ENTROPY_MS, ...init }))
  return nodes
}

async function waitConverged (all: SyncNode[], what: string): Promise<void> {
  await waitFor(() => converged(all), { timeout: 15_000, what })
}

/** Two linked nodes holding a 300 KiB document (`full`: its encoded size), and an unlinked third. */
async function twoHoldingBigDoc (): Promise<{ a: SyncNode, b: SyncNode, late: SyncNode, full: number }> {
  const [a, b, late] = await makeNodes(3)
  link(a, b)
  const value = new Uint8Array(1024).fill(7)
  for (let i = 0; i < 300; i++) await write(a, 'ctx/big', `k${i}`, value)
  await waitConverged([a, b], 'first two converged')
  return { a, b, late, full: Y.encodeStateAsUpdate(a.store.get('ctx/big') as Y.Doc).byteLength }
}

/** a writes `doc` with two peers: b acks, c holds its appends (so cannot ack) until released. */
async function writeWithOnePeerHolding (doc: string): Promise<{ a: SyncNode, b: SyncNode, c: SyncNode }> {
  const [a, b, c] = await makeNodes(3)
  link(a, b)
  c.storage.holding = true
  link(a, c)
  await a.store.transact(doc, d => { d.getMap(ROOT).set('k', 'v') }, syscallOrigin('Remember'))
  return { a, b, c }
}

/**
 * Two linked nodes holding `doc` and `others`; a's next write to `doc` is lost on the link,
 * which then heals (unless `keepLosing`: then set `drop.loss` to 0). `sentFrom()`: the frames a
 * sent since that write.
 */
async function loseLastUpdate (doc: string, others: string[], options: { keepLosing?: boolean } = {}): Promise<{ a: SyncNode, b: SyncNode, drop: { loss: number }, sentFrom: () => Uint8Array[] }> {
  const [a, b] = await makeNodes(2)
  const drop = { rng: () => 0, loss: 0 }
  const pair = link(a, b, { faults: drop })
  for (const name of [doc, ...others]) await write(a, name, 'seed', 0)
  await waitConverged([a, b], 'seeded')
  drop.loss = 1
  const sent = pair.a.sent.length
  await write(a, doc, 'last', 1)
  await waitFor(() => kinds(pair.a.sent.slice(sent)).includes('update'), { what: `the last update of ${doc} sent (and lost)` })
  if (options.keepLosing !== true) drop.loss = 0
  return { a, b, drop, sentFrom: () => pair.a.sent.slice(sent) }
}

let slowPair: ReturnType<typeof createChannelPair> | undefined

/**
 * n0 holding ctx/big, linked to a raw channel `b` whose reader never applies anything (a slow
 * joiner); anti-entropy and the repair hold are ten seconds. `entries`: a digest lacking ctx/big.
 */
async function slowJoiner (): Promise<{ b: ReturnType<typeof createChannelPair>['b'], sent: Uint8Array[], step2s: () => number, digestsBack: () => number, entries: DigestEntry[], empty: Uint8Array }> {
  const [a] = await makeNodes(1, { antiEntropyMs: 10_000, repairHoldPeriods: 1 })
  await write(a, 'ctx/big', 'k', 'v')
  slowPair = createChannelPair('n0', 'slow')
  a.engine.addChannel(slowPair.a)
  const { b } = slowPair
  void (async () => { for await (const _ of b.frames) { /* never applied */ } })()
  const sent = slowPair.a.sent
  const empty = Y.encodeStateVector(new Y.Doc())
  return {
    b,
    sent,
    step2s: () => kinds(sent).filter(k => k === 'step2').length,
    digestsBack: () => kinds(sent).filter(k => k === 'digest').length,
    entries: [{ doc: 'ctx/big', stateVector: empty, deleteSetHash: new Uint8Array(16) }],
    empty
  }
}

/**
 * Four nodes in a full mesh watching for stuck links (late after 100 ms, for 300 ms), the link
 * a → c shaped by `slow`, converged on a first write to ctx/slow; `stuck` collects reports.
 */
async function meshWatchingStuckLinks (slow: MemoryChannelOptions): Promise<{ a: SyncNode, c: SyncNode, ac: ChannelPair, stuck: Array<{ by: string, peer: string }> }> {
  const stuck: Array<{ by: string, peer: string }> = []
  nodes = []
  for (const id of ['n0', 'n1', 'n2', 'n3']) {
    nodes.push(await createSyncNode(id, { antiEntropyMs: QUIET_ANTI_ENTROPY_MS, stuckLinks: { lateMs: 100, forMs: 300 } }, undefined, {
      linkStuck: peer => { stuck.push({ by: id, peer }) }
    }))
  }
  const [a, b, c, d] = nodes
  link(a, b)
  link(a, d)
  link(b, c)
  link(b, d)
  link(c, d)
  const ac = link(a, c, slow)
  await write(a, 'ctx/slow', 'seed', 0)
  await waitConverged(nodes, 'converged before the writes')
  return { a, c, ac, stuck }
}

function kinds (frames: Uint8Array[]): string[] {
  return frames.map(f => {
    const decoded = decodeFrame(f, Number.MAX_SAFE_INTEGER)
    return decoded.ok ? decoded.frame.kind : 'invalid'
  })
}

afterEach(async () => {
  slowPair?.a.close()
  slowPair = undefined
  await stopSyncNodes(nodes)
  nodes = []
})

describe('sync engine', () => {
  it('two nodes with different documents converge on connect (full state of every document)', async () => {
    const [a, b] = await makeNodes(2)
    for (let i = 0; i < 20; i++) await write(a, `ctx/a${i % 5}`, `k${i}`, { from: 'a', i })
    for (let i = 0; i < 20; i++) await write(b, `ctx/b${i % 4}`, `k${i}`, `b-${i}`)
    await write(a, 'ctx/shared', 'x', 1)
    await write(b, 'ctx/shared', 'y', 2)
    await remove(a, 'ctx/a0', 'k0')
    link(a, b)
    await waitConverged([a, b], 'two nodes converged')
    const state = fullState(a.store)
    expect(Object.keys(state)).toHaveLength(10)
    expect(state['ctx/shared'].content).toEqual({ x: 1, y: 2 })
    expect(state['ctx/a0'].content).not.toHaveProperty('k0')
    expect(state['ctx/b3'].content).toEqual({ k3: 'b-3', k7: 'b-7', k11: 'b-11', k15: 'b-15', k19: 'b-19' })
  })

  it('replicated updates are persisted on the receiving node', async () => {
    const [a, b] = await makeNodes(2)
    link(a, b)
    await write(a, 'ctx/p', 'k', 'v')
    await waitFor(() => b.store.get('ctx/p')?.getMap(ROOT).get('k') === 'v', { what: 'update replicated' })
    await waitFor(() => b.store.pendingUpdates('ctx/p') === 0, { what: 'update durable on b' })
    expect(b.storage.docs.get('ctx/p')?.length ?? 0).toBeGreaterThan(0)
  })

  it('three nodes in a mesh converge on concurrent writes', async () => {
    const [a, b, c] = await makeNodes(3)
    link(a, b)
    link(b, c)
    link(a, c)
    const writes: Array<Promise<void>> = []
    for (let i = 0; i < 50; i++) {
      for (const node of [a, b, c]) writes.push(write(node, `ctx/d${i % 7}`, `${node.id}-${i}`, i))
    }
    writes.push(remove(a, 'ctx/d1', 'n1-1'))
    await Promise.all(writes)
    await waitConverged([a, b, c], 'three nodes converged')
    const content = fullState(c.store)['ctx/d3'].content as Record<string, number>
    expect(Object.keys(content)).toHaveLength(3 * 7)
  })

  it('a late joiner catches up on many documents', async () => {
    const [a, b, late] = await makeNodes(3)
    link(a, b)
    for (let d = 0; d < 200; d++) await write(d % 2 === 0 ? a : b, `ctx/doc${d}`, 'k', d)
    await waitConverged([a, b], 'first two converged')
    link(late, a)
    await waitConverged([a, b, late], 'late joiner caught up')
    expect(late.store.names()).toHaveLength(200)
  })

  it('a joiner linked to two peers at once gets a document from one of them, not from both', async () => {
    const { a, b, late, full } = await twoHoldingBigDoc()
    const pairs = [link(late, a), link(late, b)]
    await waitConverged([a, b, late], 'joiner caught up')
    // Bytes of SyncStep2 answers (whole or chunked) the two peers sent the joiner.
    const stateBytes = pairs.flatMap(p => p.b.sent).filter(f => ['step2', 'chunk'].includes(kinds([f])[0])).reduce((n, f) => n + f.byteLength, 0)
    expect(stateBytes).toBeGreaterThan(full)
    expect(stateBytes).toBeLessThan(1.5 * full)
    // Nor does the joiner pass the document on to the peers it came from.
    const sentByJoiner = pairs.flatMap(p => p.a.sent).reduce((n, f) => n + f.byteLength, 0)
    expect(sentByJoiner).toBeLessThan(0.1 * full)
  })

  it('a joiner does not pass a document it just received to a peer that has not yet said what it holds', async () => {
    const { a, b, late, full } = await twoHoldingBigDoc()
    // b's frames to the joiner (its SyncStep1 first) wait until the joiner holds the document
    // it gets from a, as they would queued behind a large answer being applied.
    const toB = createChannelPair(late.id, b.id)
    const send = toB.b.send.bind(toB.b)
    const waiting: Uint8Array[] = []
    toB.b.send = frame => { waiting.push(frame); return true }
    late.engine.addChannel(toB.a)
    b.engine.addChannel(toB.b)
    link(late, a)
    await waitFor(() => late.store.get('ctx/big')?.getMap(ROOT).get('k299') !== undefined, { what: 'joiner got the document from a' })
    toB.b.send = send
    for (const frame of waiting) send(frame)
    await waitConverged([a, b, late], 'all three converged')
    // b answers the joiner's SyncStep1 (sent either way) once its own is answered.
    await waitFor(() => kinds(toB.b.sent).includes('step2') && late.engine.stats().every(s => s.queuedBytes === 0), { what: 'joiner and b done talking' })
    const sentToB = toB.a.sent.reduce((n, f) => n + f.byteLength, 0)
    expect(sentToB).toBeLessThan(0.1 * full)
  })

  it('relays what a node back from isolation answered to the peers that lack it', async () => {
    const [a, b, isolated] = await makeNodes(3)
    link(a, b)
    await write(a, 'ctx/doc', 'shared', 1)
    await waitConverged([a, b], 'a and b converged')
    for (let i = 0; i < 5; i++) await write(isolated, 'ctx/doc', `offline-${i}`, i)
    // The isolated node comes back through a alone: b has no link to it.
    link(isolated, a)
    await waitConverged([a, b, isolated], 'b got the isolated node\'s writes through a')
    expect(b.store.get('ctx/doc')?.getMap(ROOT).get('offline-4')).toBe(4)
  })

  it('a peer that does not answer holds back the other peers only briefly, however chatty it is', async () => {
    const [a, late] = await makeNodes(2, { stateRequestIdleMs: 100 })
    await write(a, 'ctx/doc', 'k', 'v')
    // A peer offering the document: it sends SyncStep1, never answers, but keeps sending acks.
    const mute = createChannelPair('n1', 'mute')
    late.engine.addChannel(mute.a)
    mute.b.send(encodeStep1('ctx/doc', new Uint8Array([1, 99, 5])))
    const chatter = setInterval(() => { mute.b.send(encodeAck('ctx/other', new Uint8Array([0]))) }, 20)
    try {
      await waitFor(() => kinds(mute.a.sent).includes('step1'), { what: 'joiner asked the mute peer' })
      link(late, a)
      await waitFor(() => late.store.get('ctx/doc')?.getMap(ROOT).get('k') === 'v', { timeout: 4_000, what: 'joiner got the document from the other peer' })
    } finally {
      clearInterval(chatter)
      mute.a.close()
    }
  })

  it('keeps repairing what it lacks while a document is on its way, and no peer sends that one again', async () => {
    // Periodic anti-entropy is the only repair here: no loss probes, no gap requests.
    const [a, late] = await makeNodes(2, { antiEntropyMs: FAST_ANTI_ENTROPY_MS, lossProbeMs: 0, gapRepairMs: 0, stateRequestIdleMs: 60_000 })
    await write(a, 'ctx/doc', 'k', 0)
    await write(a, 'ctx/new', 'n', 1)
    // A peer offering ctx/new that never answers: late's request for it stays pending (5 s).
    const mute = createChannelPair('n1', 'mute')
    late.engine.addChannel(mute.a)
    mute.b.send(encodeStep1('ctx/new', new Uint8Array([1, 99, 5])))
    try {
      await waitFor(() => kinds(mute.a.sent).includes('step1'), { what: 'late asked the mute peer for ctx/new' })
      const pair = link(late, a)
      await waitFor(() => late.store.get('ctx/doc')?.getMap(ROOT).get('k') === 0, { what: 'ctx/doc synced on connect' })
      // A's live updates to late are lost from now on: only late's digests can repair them.
      const send = pair.b.send
      pair.b.send = frame => ['update', 'updates'].includes(kinds([frame])[0]) ? true : send(frame)
      await write(a, 'ctx/doc', 'k', 1)
      await waitFor(() => late.store.get('ctx/doc')?.getMap(ROOT).get('k') === 1, { timeout: 2_000, what: 'the lost update repaired by a digest' })
      const step2Docs = pair.b.sent.map(f => decodeFrame(f, Number.MAX_SAFE_INTEGER)).flatMap(d => d.ok && (d.frame.kind === 'step2') ? [d.frame.doc] : [])
      expect(step2Docs).toContain('ctx/doc')
      expect(step2Docs).not.toContain('ctx/new')
      expect(kinds(pair.b.sent)).not.toContain('chunk')
    } finally {
      mute.a.close()
    }
  })

  it('live writes propagate once per peer and are never echoed back', async () => {
    const [a, b] = await makeNodes(2)
    const pair = link(a, b)
    await write(a, 'ctx/live', 'seed', 0)
    await waitConverged([a, b], 'seeded')
    const sentByA = pair.a.sent.length
    const sentByB = pair.b.sent.length
    for (let i = 0; i < 30; i++) await write(a, 'ctx/live', `k${i}`, i)
    await waitFor(() => b.store.get('ctx/live')?.getMap(ROOT).size === 31, { what: 'live writes on b' })
    await waitFor(() => b.store.pendingUpdates() === 0, { what: 'b durable' })
    await waitFor(() => pair.b.sent.length - sentByB > 0, { what: 'b acked' })
    const fromA = kinds(pair.a.sent.slice(sentByA))
    const fromB = kinds(pair.b.sent.slice(sentByB))
    expect(fromA.length).toBeGreaterThan(0)
    expect(fromA.every(k => k === 'update' || k === 'updates')).toBe(true)
    // B answers with durability acks only: not one update frame goes back to A.
    expect(fromB.every(k => k === 'ack')).toBe(true)
  })

  it('sends a burst of writes to each peer as one frame of updates, applied in order', async () => {
    const [a, b, c] = await makeNodes(3)
    const ab = link(a, b)
    link(a, c)
    link(b, c)
    await write(a, 'ctx/burst', 'seed', 0)
    await waitConverged([a, b, c], 'seeded')
    const sentByA = ab.a.sent.length
    // One tick: 40 transactions, each overwriting the last one's key too, so order matters.
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      await a.store.transact('ctx/burst', d => {
        const map = d.getMap(ROOT)
        map.set(`k${i}`, i)
        map.set('last', i)
      }, syscallOrigin('Remember'))
    }))
    await waitConverged([a, b, c], 'burst everywhere')
    expect(b.store.get('ctx/burst')?.getMap(ROOT).get('last')).toBe(39)
    const batches = ab.a.sent.slice(sentByA).map(f => decodeFrame(f, Number.MAX_SAFE_INTEGER)).filter(d => d.ok && d.frame.kind !== 'ack')
    expect(batches).toHaveLength(1)
    const frame = batches[0].ok ? batches[0].frame : undefined
    expect(frame?.kind === 'updates' ? frame.updates.length : 0).toBe(40)
    // Each received update is persisted as it came: b's log replays to the same state.
    await waitFor(() => b.store.pendingUpdates() === 0, { what: 'b durable' })
    const replayed = new Y.Doc()
    for (const record of await b.storage.load('ctx/burst')) for (const u of decodeUpdateBatch(record)) Y.applyUpdate(replayed, u)
    expect(replayed.getMap(ROOT).toJSON()).toEqual(b.store.get('ctx/burst')?.getMap(ROOT).toJSON())
  })

  it('relays an update to the other peers of the middle node but not back to its source', async () => {
    const [a, b, c] = await makeNodes(3)
    const ab = link(a, b)
    const bc = link(b, c)
    await waitFor(() => b.engine.peers().length === 2, { what: 'b linked twice' })
    const before = { ba: ab.b.sent.length, bc: bc.a.sent.length }
    await write(a, 'ctx/relay', 'k', 'v')
    await waitFor(() => c.store.get('ctx/relay')?.getMap(ROOT).get('k') === 'v', { what: 'relayed to c' })
    expect(kinds(bc.a.sent.slice(before.bc))).toContain('update')
    expect(kinds(ab.b.sent.slice(before.ba))).not.toContain('update')
  })

  it('in a full mesh, peers do not relay to each other what the writer sent them directly', async () => {
    const [a, b, c] = await makeNodes(3)
    link(a, b)
    link(a, c)
    const bc = link(b, c)
    await write(a, 'ctx/mesh', 'seed', 0)
    await waitConverged([a, b, c], 'mesh converged')
    // Every node has heard from every other which peers it reaches directly.
    await waitFor(() => kinds(bc.a.sent).includes('peers') && kinds(bc.b.sent).includes('peers'), { what: 'announcements exchanged' })
    const before = { bc: bc.a.sent.length, cb: bc.b.sent.length }
    for (let i = 0; i < 10; i++) await write(a, 'ctx/mesh', `k${i}`, i)
    await waitConverged([a, b, c], 'writes converged')
    expect(kinds(bc.a.sent.slice(before.bc))).not.toContain('update')
    expect(kinds(bc.b.sent.slice(before.cb))).not.toContain('update')
  })

  it('relays a writer\'s updates to a peer that stopped acking them, and repairs what it missed', async () => {
    const [a, b, c] = await makeNodes(3, { directStaleMs: 100 })
    link(a, b)
    link(b, c)
    const faults = { rng: createRng(1), loss: 0 }
    link(a, c, { faults })
    await write(a, 'ctx/silent', 'seed', 0)
    await waitConverged([a, b, c], 'converged before the link goes silent')
    // The a–c link drops everything but stays open, as a partition does before anyone notices.
    faults.loss = 1
    for (let i = 0; i < 10; i++) await write(a, 'ctx/silent', `k${i}`, i)
    await waitFor(() => c.store.get('ctx/silent')?.getMap(ROOT).get('k9') === 9, { timeout: 5_000, what: 'c got a\'s writes through b' })
    await waitConverged([a, b, c], 'converged through b')
  })

  it('relays a writer\'s updates around a slow path that keeps acking what reaches it late', async () => {
    const [a, b, c] = await makeNodes(3, { directStaleMs: 100 })
    link(a, b)
    const bc = link(b, c)
    // a's frames reach c one every 50 ms and queue behind each other: c acks each as it comes,
    // so acks never stop, while what a sent last waits longer and longer.
    const ac = link(a, c, { paceMs: 50 })
    await write(a, 'ctx/slow', 'seed', 0)
    await waitConverged([a, b, c], 'converged before the writes')
    const before = { ac: ac.a.sent.length, bc: bc.a.sent.length }
    for (let i = 0; i < 40; i++) {
      const sent = ac.a.sent.length
      await write(a, 'ctx/slow', `k${i}`, i)
      await waitFor(() => ac.a.sent.length > sent, { what: `a sent k${i} to c` })
    }
    await waitFor(() => c.store.get('ctx/slow')?.getMap(ROOT).get('k39') === 39, { timeout: 10_000, what: 'c got a\'s last write' })
    expect(kinds(ac.a.sent.slice(before.ac)).filter(k => k === 'update' || k === 'updates').length).toBeGreaterThan(10)
    expect(kinds(bc.a.sent.slice(before.bc))).toContain('update')
    await waitConverged([a, b, c], 'converged')
  })

  it('reports a link whose every ack comes late while its other links keep up, for its connection to be replaced', async () => {
    // a's frames reach c one every 50 ms and queue up: every ack c sends comes later than the last.
    const { a, ac, stuck } = await meshWatchingStuckLinks({ paceMs: 50 })
    for (let i = 0; stuck.length === 0 && i < 200; i++) {
      const sent = ac.a.sent.length
      await write(a, 'ctx/slow', `k${i}`, i)
      await waitFor(() => ac.a.sent.length > sent, { what: `a sent k${i} to c` })
    }
    expect(stuck).toEqual([{ by: 'n0', peer: 'n2' }])
  })

  it('does not count a long path as stuck: lateness is measured from the link\'s quickest ack', async () => {
    // Every frame from a to c takes 150 ms, however few are on their way: a peer across a WAN.
    const { a, c, stuck } = await meshWatchingStuckLinks({ delayMs: 150 })
    const got = (key: string): boolean => c.store.get('ctx/slow')?.getMap(ROOT).has(key) === true
    // A write every 20 ms for 2 s: some frame to c is always 100 ms or more old, and every ack
    // comes 150 ms after its frame.
    let written = 0
    const writer = setInterval(() => { void write(a, 'ctx/slow', `k${written}`, written++) }, 20)
    try {
      await waitFor(() => written >= 100, { timeout: 10_000, what: '100 writes' })
    } finally {
      clearInterval(writer)
    }
    await waitFor(() => got(`k${written - 1}`), { what: 'c got the last write' })
    expect(stuck).toEqual([])
  })

  it('does not repair what is still on its way over a slow link when the peer\'s digest shows it missing', async () => {
    const [a, b] = await makeNodes(2, { antiEntropyMs: 100 })
    // a's frames reach b one every 50 ms; b's digests reach a at once, and show b without
    // the writes still queued on the way to it.
    const ab = link(a, b, { paceMs: 50 })
    await write(a, 'ctx/slow', 'seed', 0)
    await waitConverged([a, b], 'converged before the writes')
    const before = ab.a.sent.length
    await waitFor(() => kinds(ab.a.sent.slice(before)).includes('digest'), { what: 'a sent a digest after the seed write' })
    const from = ab.a.sent.length
    for (let i = 0; i < 20; i++) {
      const sent = ab.a.sent.length
      await write(a, 'ctx/slow', `k${i}`, i)
      await waitFor(() => ab.a.sent.length > sent, { what: `a sent k${i} to b` })
    }
    await waitFor(() => b.store.get('ctx/slow')?.getMap(ROOT).get('k19') === 19, { timeout: 10_000, what: 'b got a\'s last write' })
    await waitConverged([a, b], 'converged')
    const sent = kinds(ab.a.sent.slice(from))
    expect(sent.filter(k => k === 'digest').length).toBeGreaterThan(0)
    expect(kinds(ab.b.sent.slice(0)).filter(k => k === 'digest').length).toBeGreaterThan(5)
    expect(sent.filter(k => k === 'step2')).toEqual([])
  })

  it('chunks a large update and reassembles it on the other side', async () => {
    const chunkBytes = 64 * 1024
    const [a, b] = await makeNodes(2, { chunkBytes })
    const pair = link(a, b)
    const big = new Uint8Array(3 * 1024 * 1024)
    const rng = createRng(7)
    for (let i = 0; i < big.length; i++) big[i] = Math.floor(rng() * 256)
    await write(a, 'ctx/big', 'blob', big)
    await waitConverged([a, b], 'large value replicated')
    const got = b.store.get('ctx/big')?.getMap(ROOT).get('blob') as Uint8Array
    expect(Buffer.from(got).equals(Buffer.from(big))).toBe(true)
    const sent = kinds(pair.a.sent)
    expect(sent.filter(k => k === 'chunk').length).toBeGreaterThanOrEqual(big.length / chunkBytes)
    expect(Math.max(...pair.a.sent.map(f => f.byteLength))).toBeLessThanOrEqual(chunkBytes + 64)
  })

  it('honours backpressure: a peer behind a tiny buffer still gets every update', async () => {
    const [a, b] = await makeNodes(2)
    link(a, b, { highWaterMark: 1 })
    const writes: Array<Promise<void>> = []
    for (let i = 0; i < 500; i++) writes.push(write(a, `ctx/bp${i % 10}`, `k${i}`, i))
    await Promise.all(writes)
    await waitConverged([a, b], 'converged through backpressure')
  })

  it('a peer that falls too far behind is resynchronised by a state-vector exchange', async () => {
    const [a, b] = await makeNodes(2, { maxQueueBytes: 4 * 1024 })
    link(a, b, { highWaterMark: 1 })
    const writes: Array<Promise<void>> = []
    for (let i = 0; i < 400; i++) writes.push(write(a, 'ctx/flood', `k${i}`, 'x'.repeat(100)))
    await Promise.all(writes)
    await waitConverged([a, b], 'converged after queue overflow')
    const stats = a.engine.stats().find(s => s.peer === 'n1')
    expect(stats?.resyncs).toBeGreaterThan(0)
  })

  it('converges over lossy, reordering, duplicating channels thanks to anti-entropy', async () => {
    const seed = testSeed('sync lossy channels')
    const rng = createRng(seed)
    const [a, b, c] = await makeNodes(3, { antiEntropyMs: FAST_ANTI_ENTROPY_MS })
    const faults = { rng, loss: 0.2, duplicate: 0.1, reorder: 0.2 }
    link(a, b, { faults })
    link(b, c, { faults })
    link(a, c, { faults })
    const all = [a, b, c]
    const writes: Array<Promise<void>> = []
    for (let i = 0; i < 300; i++) {
      const node = all[Math.floor(rng() * 3)]
      const doc = `ctx/l${Math.floor(rng() * 8)}`
      const key = `k${Math.floor(rng() * 40)}`
      writes.push(rng() < 0.15 ? remove(node, doc, key) : write(node, doc, key, i))
    }
    await Promise.all(writes)
    await waitConverged(all, `lossy channels converged (seed ${seed})`)
  })

  it('asks the sender at once for updates it lost when a later one arrives with gaps', async () => {
    const [a, b] = await makeNodes(2)
    const seed = testSeed('sync gap repair')
    const faults = { rng: createRng(seed), loss: 0 }
    const pair = link(a, b, { faults })
    await write(a, 'ctx/gaps', 'seed', 0)
    await waitConverged([a, b], 'b holds the document')
    faults.loss = 0.5
    for (let i = 0; i < 20; i++) {
      const sent = pair.a.sent.length
      await write(a, 'ctx/gaps', `k${i}`, i)
      await waitFor(() => pair.a.sent.length > sent, { what: `update ${i} sent through the lossy link` })
    }
    expect(b.store.get('ctx/gaps')?.getMap(ROOT).size).toBeLessThan(21)
    // The link heals; one more write reveals the gaps, with anti-entropy a minute away.
    faults.loss = 0
    await write(a, 'ctx/gaps', 'last', 'v')
    await waitFor(() => converged([a, b]), { timeout: 5_000, what: `b repaired its gaps (seed ${seed})` })
  })

  it('probes a peer that has not acked the last updates, so a lost tail is repaired with no later write', async () => {
    const { a, b, sentFrom } = await loseLastUpdate('ctx/tail', [])
    // Anti-entropy is a minute away and nothing else is written: only the probe can repair it.
    await waitFor(() => converged([a, b]), { timeout: 3_000, what: 'the lost tail repaired' })
    expect(kinds(sentFrom())).toContain('digest')
  })

  it('probes again, later, when the first probe went unanswered', async () => {
    const { a, b, drop, sentFrom } = await loseLastUpdate('ctx/tail', [], { keepLosing: true })
    await waitFor(() => kinds(sentFrom()).includes('digest'), { what: 'the first probe sent (and lost)' })
    drop.loss = 0
    await waitFor(() => converged([a, b]), { timeout: 3_000, what: 'the lost tail repaired by a later probe' })
    expect(kinds(sentFrom()).filter(k => k === 'digest').length).toBeGreaterThanOrEqual(2)
  })

  it('still probes for the lost tail of one document after another document was acked', async () => {
    const { a, b } = await loseLastUpdate('ctx/lost', ['ctx/acked'])
    // An update of another document gets through and is acked before the probe is due.
    await write(a, 'ctx/acked', 'next', 1)
    await waitFor(() => b.store.get('ctx/acked')?.getMap(ROOT).get('next') === 1, { what: 'ctx/acked updated on b' })
    await waitFor(() => converged([a, b]), { timeout: 3_000, what: 'the lost tail of ctx/lost repaired' })
  })

  it('repairs a lost delete-only update through the delete-set hash', async () => {
    const [a, b] = await makeNodes(2, { antiEntropyMs: FAST_ANTI_ENTROPY_MS })
    await write(a, 'ctx/del', 'k', 1)
    await write(b, 'ctx/del', 'other', 2)
    const drop = { rng: () => 0, loss: 0 }
    const pair = link(a, b, { faults: drop })
    await waitConverged([a, b], 'seeded')
    drop.loss = 1
    await remove(a, 'ctx/del', 'k')
    await waitFor(() => pair.a.sent.length > 0 && kinds(pair.a.sent).includes('update'), { what: 'delete sent (and lost)' })
    expect(b.store.get('ctx/del')?.getMap(ROOT).has('k')).toBe(true)
    drop.loss = 0
    await waitConverged([a, b], 'delete repaired')
    expect(b.store.get('ctx/del')?.getMap(ROOT).has('k')).toBe(false)
  })

  it('converges across a non-transitive partition through the middle node', async () => {
    const [a, b, c] = await makeNodes(3, { antiEntropyMs: FAST_ANTI_ENTROPY_MS })
    for (let i = 0; i < 30; i++) await write(a, `ctx/p${i % 3}`, `a${i}`, i)
    for (let i = 0; i < 30; i++) await write(c, `ctx/p${i % 3}`, `c${i}`, i)
    link(a, b)
    link(b, c)
    await waitConverged([a, b, c], 'converged through b')
    expect(a.engine.peers()).toEqual(['n1'])
    expect(c.engine.peers()).toEqual(['n1'])
    await write(c, 'ctx/p0', 'late', true)
    await waitFor(() => a.store.get('ctx/p0')?.getMap(ROOT).get('late') === true, { what: 'late write from c reaches a' })
    await waitConverged([a, b, c], 'still converged')
  })

  it('acks durable updates so a writer can wait for a quorum', async () => {
    const [a, b, c] = await makeNodes(3)
    link(a, b)
    link(a, c)
    await write(a, 'ctx/q', 'k', 'v')
    const target = ownState(a.store.get('ctx/q') as Y.Doc)
    const result = await a.engine.awaitAcks('ctx/q', target, 2, { signal: AbortSignal.timeout(10_000) })
    expect(result.complete).toBe(true)
    expect(result.acked.sort()).toEqual(['n1', 'n2'])
    for (const node of [b, c]) expect(node.store.pendingUpdates('ctx/q')).toBe(0)
  })

  it('reports how many peers acked when the quorum is not reached in time', async () => {
    const { a, c } = await writeWithOnePeerHolding('ctx/q2')
    const controller = new AbortController()
    const pending = a.engine.awaitAcks('ctx/q2', ownState(a.store.get('ctx/q2') as Y.Doc), 2, { signal: controller.signal })
    await waitFor(() => c.storage.held() > 0, { what: 'c holding the append' })
    await waitFor(async () => (await a.engine.awaitAcks('ctx/q2', ownState(a.store.get('ctx/q2') as Y.Doc), 1, { signal: AbortSignal.abort() })).acked.length === 1, { what: 'b acked' })
    controller.abort()
    const result = await pending
    expect(result).toEqual({ acked: ['n1'], complete: false })
    c.storage.release()
  })

  it('reports as a peer\'s lag how long its oldest update has waited for an ack, and 0 once acked', async () => {
    const { a, c } = await writeWithOnePeerHolding('ctx/lag')
    const lag = (peer: string): number | undefined => a.engine.stats().find(s => s.peer === peer)?.lagMs
    await waitFor(() => c.storage.held() > 0, { what: 'c holding the append' })
    await waitFor(() => (lag('n2') ?? 0) >= 200, { what: 'c\'s lag growing while it cannot ack' })
    await waitFor(() => lag('n1') === 0, { what: 'b acked: no lag' })
    c.storage.release()
    await waitFor(() => lag('n2') === 0, { what: 'c acked once its append was durable' })
  })

  it('holds back repeated digest repairs to a peer that has not acked the last one', async () => {
    const { b, step2s, digestsBack, entries, empty } = await slowJoiner()
    const initial = step2s()
    // Five digests from a peer still behind; the last asks for a digest back, which marks the
    // point where all five have been answered.
    for (let i = 0; i < 4; i++) b.send(encodeDigest(entries, false))
    b.send(encodeDigest(entries, true))
    await waitFor(() => digestsBack() === 1, { timeout: 5_000, what: 'five digests answered' })
    expect(step2s()).toBe(initial + 1)
    b.send(encodeAck('ctx/big', empty))
    b.send(encodeDigest(entries, true))
    await waitFor(() => digestsBack() === 2, { timeout: 5_000, what: 'digest after the ack answered' })
    expect(step2s()).toBe(initial + 2)
  })

  it('repairs again at once when the peer\'s numbered digests show the last repair arrived and left it behind', async () => {
    const { b, sent, step2s, digestsBack, entries } = await slowJoiner()
    const initial = step2s()
    // Digests written before the peer could have received the repair (they have seen no digest
    // of n0's, which follows it) are held back, as from a peer that does not number them.
    b.send(numberDigest(encodeDigest(entries, false), 1, 0))
    b.send(numberDigest(encodeDigest(entries, false), 2, 0))
    b.send(numberDigest(encodeDigest(entries, true), 3, 0))
    await waitFor(() => digestsBack() === 1, { timeout: 5_000, what: 'three digests answered' })
    expect(step2s()).toBe(initial + 1)
    const reply = sent.find(f => kinds([f])[0] === 'digest') as Uint8Array
    expect(decodeFrame(reply, Number.MAX_SAFE_INTEGER)).toMatchObject({ ok: true, frame: { seq: 1, seen: 3 } })
    // The peer had received digest 1, sent after the repair, and still lacks the document: the
    // repair was lost. No ack, and the hold period is ten seconds.
    b.send(numberDigest(encodeDigest(entries, true), 4, 1))
    await waitFor(() => digestsBack() === 2, { timeout: 5_000, what: 'the digest that saw digest 1 answered' })
    expect(step2s()).toBe(initial + 2)
  })
})
