import { afterEach, describe, expect, it } from 'vitest'
import { status as GrpcStatus } from '@grpc/grpc-js'
import { createDispatcher, type Dispatcher } from '../../kernel/dispatcher.js'
import { createContextSyscalls } from '../../kernel/contexts.js'
import { createHlc } from '../../crdt/hlc.js'
import { createReplication, type ReplicationMember } from '../../transport/replication.js'
import { createSyncNode, link, stopSyncNodes, type SyncNode } from '../helpers/sync-nodes.js'
import type { ChannelPair } from '../helpers/memory-channel.js'
import { waitFor } from '../helpers/wait-for.js'

/** Short enough to keep failing cases quick; the deadline is an input here, never asserted on. */
const WRITE_DEADLINE_MS = 300
const QUIET_ANTI_ENTROPY_MS = 60_000

interface KernelNode { sync: SyncNode, dispatcher: Dispatcher }

let syncNodes: SyncNode[] = []

afterEach(async () => {
  await stopSyncNodes(syncNodes)
  syncNodes = []
})

/** A kernel over a real store and sync engine, whose membership view knows `known`, heard from now. */
async function kernelNode (id: string, known: string[] = []): Promise<KernelNode> {
  const sync = await createSyncNode(id, { antiEntropyMs: QUIET_ANTI_ENTROPY_MS })
  syncNodes.push(sync)
  const members = (): ReplicationMember[] => known.map(peerId => ({ peerId, lastSeenMs: Date.now() }))
  const replication = createReplication({ awaitAcks: sync.engine.awaitAcks, members })
  const handlers = createContextSyscalls({ store: sync.store, hlc: createHlc({}, { nodeId: id }), log: sync.log, replication })
  const deadline = WRITE_DEADLINE_MS
  const dispatcher = createDispatcher({ log: sync.log }, { handlers, deadlines: { Remember: deadline, Forget: deadline, ContextSnapshot: deadline, ContextRestore: deadline } })
  return { sync, dispatcher }
}

/** Writer a, directly linked to b and c (b and c linked too): the three-node cluster. */
async function cluster (): Promise<{ a: KernelNode, b: KernelNode, c: KernelNode, ab: ChannelPair, ac: ChannelPair }> {
  const a = await kernelNode('a', ['b', 'c'])
  const b = await kernelNode('b', ['a', 'c'])
  const c = await kernelNode('c', ['a', 'b'])
  const ab = link(a.sync, b.sync)
  const ac = link(a.sync, c.sync)
  link(b.sync, c.sync)
  return { a, b, c, ab, ac }
}

async function ok (k: KernelNode, name: string, req: unknown): Promise<any> {
  const res = await k.dispatcher.call(name, req)
  if (!res.ok) throw new Error(`${name} failed: ${res.error.code} ${res.error.message}`)
  return res.response
}

async function fails (k: KernelNode, name: string, req: unknown): Promise<{ code: string, grpcCode: number, message: string }> {
  const res = await k.dispatcher.call(name, req)
  if (res.ok) throw new Error(`${name} unexpectedly succeeded`)
  return res.error
}

/** The value of `key` in namespace app as node k has it now (no waiting). */
async function valueOn (k: KernelNode, key: string): Promise<string | undefined> {
  const res = await k.dispatcher.call<any>('Recall', { namespace: 'app', key })
  return res.ok ? res.response.entry.value.toString() : undefined
}

const remember = (key: string, value: string, durability: string): unknown => ({ namespace: 'app', key, value: Buffer.from(value), durability })

describe('QUORUM and ALL durability over the sync engine', () => {
  it('QUORUM and ALL succeed with every peer up, only once peers have persisted the write', async () => {
    const { a, b, c } = await cluster()
    const q = await ok(a, 'Remember', remember('q', 'quorum', 'DURABILITY_QUORUM'))
    expect(q.durability).toBe('DURABILITY_QUORUM')
    // A quorum of three is a and one peer: at the moment of success one of them has it stored.
    const onPeers = [await valueOn(b, 'q'), await valueOn(c, 'q')]
    expect(onPeers).toContain('quorum')
    expect([b, c].some(k => k.sync.storage.docs.has('ctx/app'))).toBe(true)

    const all = await ok(a, 'Remember', remember('all', 'everyone', 'DURABILITY_ALL'))
    expect(all.durability).toBe('DURABILITY_ALL')
    expect(await valueOn(b, 'all')).toBe('everyone')
    expect(await valueOn(c, 'all')).toBe('everyone')
    expect(b.sync.store.pendingUpdates('ctx/app')).toBe(0)
    expect(c.sync.store.pendingUpdates('ctx/app')).toBe(0)

    const local = await ok(a, 'Remember', remember('l', 'local', 'DURABILITY_LOCAL'))
    expect(local.durability).toBe('DURABILITY_LOCAL')
  })

  it('every write syscall honours QUORUM/ALL: Forget, ContextSnapshot, ContextRestore', async () => {
    const { a, b, c } = await cluster()
    await ok(a, 'Remember', remember('k', 'v1', 'DURABILITY_ALL'))
    const snap = await ok(a, 'ContextSnapshot', { namespace: 'app', name: 's1', durability: 'DURABILITY_ALL' })
    expect(snap.keyCount).toBe(1)
    await ok(a, 'Forget', { namespace: 'app', key: 'k', durability: 'DURABILITY_ALL' })
    expect(await valueOn(b, 'k')).toBeUndefined()
    expect(await valueOn(c, 'k')).toBeUndefined()
    const restored = await ok(a, 'ContextRestore', { namespace: 'app', name: 's1', durability: 'DURABILITY_QUORUM' })
    expect(restored.written).toBe(1)
    const peers = [await valueOn(b, 'k'), await valueOn(c, 'k')]
    expect(peers).toContain('v1')
  })

  it('with both peers cut off QUORUM and ALL answer DEADLINE_EXCEEDED with the ack count; the write stays and replicates after healing', async () => {
    const { a, b, c, ab, ac } = await cluster()
    ab.a.close('partition')
    ac.a.close('partition')
    await waitFor(() => a.sync.engine.peers().length === 0, { what: 'a has no peer left' })

    const q = await fails(a, 'Remember', remember('cut', 'still here', 'DURABILITY_QUORUM'))
    expect(q.code).toBe('CAMOS_ERR_DURABILITY_TIMEOUT')
    expect(q.grpcCode).toBe(GrpcStatus.DEADLINE_EXCEEDED)
    expect(q.message).toContain('durability QUORUM not reached: the deadline passed with 0 of 1 needed peer acks')
    expect(q.message).toContain('cluster of 3')
    expect(q.message).toContain('not by [b, c]')
    expect(q.message).toContain('stays')

    const all = await fails(a, 'Forget', { namespace: 'app', key: 'gone', durability: 'DURABILITY_ALL' })
    expect(all.code).toBe('CAMOS_ERR_DURABILITY_TIMEOUT')
    expect(all.message).toContain('durability ALL not reached: the deadline passed with 0 of 2 needed peer acks')

    expect(await valueOn(a, 'cut')).toBe('still here')
    expect(await valueOn(b, 'cut')).toBeUndefined()
    link(a.sync, b.sync)
    link(a.sync, c.sync)
    await waitFor(async () => await valueOn(b, 'cut') === 'still here' && await valueOn(c, 'cut') === 'still here', { what: 'the timed-out write replicated after healing' })
    const healed = await ok(a, 'Remember', remember('after', 'healed', 'DURABILITY_ALL'))
    expect(healed.durability).toBe('DURABILITY_ALL')
  })

  it('peers that receive but cannot persist do not ack: no false success, acks arrive once storage recovers', async () => {
    const { a, b, c } = await cluster()
    c.sync.storage.holding = true
    // b persists, c cannot: QUORUM (one peer) holds, ALL (two) does not.
    expect((await ok(a, 'Remember', remember('x', '1', 'DURABILITY_QUORUM'))).durability).toBe('DURABILITY_QUORUM')
    const all = await fails(a, 'Remember', remember('y', '2', 'DURABILITY_ALL'))
    expect(all.code).toBe('CAMOS_ERR_DURABILITY_TIMEOUT')
    expect(all.message).toContain('with 1 of 2 needed peer acks')
    expect(all.message).toContain('acked by [b], not by [c]')
    // c holds the update in memory but has not persisted it: that is not an ack.
    expect(c.sync.storage.held()).toBeGreaterThan(0)

    b.sync.storage.holding = true
    const q = await fails(a, 'Remember', remember('z', '3', 'DURABILITY_QUORUM'))
    expect(q.message).toContain('with 0 of 1 needed peer acks')
    expect(await valueOn(a, 'z')).toBe('3')

    b.sync.storage.release()
    c.sync.storage.release()
    await waitFor(() => b.sync.storage.held() === 0 && c.sync.storage.held() === 0 && b.sync.store.pendingUpdates('ctx/app') === 0 && c.sync.store.pendingUpdates('ctx/app') === 0, { what: 'peers persisted everything' })
    expect(await valueOn(c, 'z')).toBe('3')
    expect((await ok(a, 'Remember', remember('w', '4', 'DURABILITY_ALL'))).durability).toBe('DURABILITY_ALL')
  })

  it('a single-node cluster is its own majority: QUORUM and ALL succeed on the local ack', async () => {
    const solo = await kernelNode('solo')
    expect((await ok(solo, 'Remember', remember('k', 'v', 'DURABILITY_QUORUM'))).durability).toBe('DURABILITY_QUORUM')
    expect((await ok(solo, 'Remember', remember('k', 'v2', 'DURABILITY_ALL'))).durability).toBe('DURABILITY_ALL')
  })

  it('a write that fails locally answers its own error, not a durability one', async () => {
    const { a } = await cluster()
    await ok(a, 'Remember', remember('k', 'v', 'DURABILITY_LOCAL'))
    const err = await fails(a, 'Remember', { ...remember('k', 'v2', 'DURABILITY_QUORUM') as object, ifAbsent: true })
    expect(err.code).toBe('CAMOS_ERR_VERSION_MISMATCH')
  })
})
