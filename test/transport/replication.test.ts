import { afterEach, describe, expect, it } from 'vitest'
import { syscallOrigin } from '../../crdt/origin.js'
import { createReplication, type ReplicationMember } from '../../transport/replication.js'
import { ownState } from '../../transport/sync/engine.js'
import { createSyncNode, link, ROOT, stopSyncNodes, type SyncNode } from '../helpers/sync-nodes.js'

const QUIET_ANTI_ENTROPY_MS = 60_000
let nodes: SyncNode[] = []

afterEach(async () => {
  await stopSyncNodes(nodes)
  nodes = []
})

async function makeNodes (...ids: string[]): Promise<SyncNode[]> {
  for (const id of ids) nodes.push(await createSyncNode(id, { antiEntropyMs: QUIET_ANTI_ENTROPY_MS }))
  return nodes
}

/** Writes on `node` and returns the target a QUORUM/ALL writer waits for. */
async function writeTarget (node: SyncNode, key: string): Promise<Map<number, number>> {
  await node.store.transact('ctx/app', d => { d.getMap(ROOT).set(key, key) }, syscallOrigin('Remember'))
  return ownState(node.store.get('ctx/app') as NonNullable<ReturnType<typeof node.store.get>>)
}

describe('replication (QUORUM / ALL over sync acks)', () => {
  it('needs floor(n / 2) peer acks for QUORUM and every counted member for ALL', async () => {
    for (let peers = 0; peers <= 4; peers++) {
      const members: ReplicationMember[] = Array.from({ length: peers }, (_, i) => ({ peerId: `p${i}`, lastSeenMs: Date.now() }))
      const counts: number[] = []
      const replication = createReplication({
        // Every member has acked: the outcome shows what each level asked for.
        awaitAcks: async (_doc, _target, count) => { counts.push(count); return { acked: members.map(m => m.peerId), complete: true } },
        members: () => members
      })
      const quorum = await replication.awaitDurable('ctx/app', new Map(), 'quorum', new AbortController().signal)
      const all = await replication.awaitDurable('ctx/app', new Map(), 'all', new AbortController().signal)
      expect({ peers, quorum: quorum.needed, all: all.needed }).toEqual({ peers, quorum: [0, 1, 1, 2, 2][peers], all: peers })
      expect(counts).toEqual([quorum.needed, all.needed])
      expect(quorum.complete && all.complete).toBe(true)
    }
  })

  it('members cut off still count, so one side of a partition cannot make a majority of its own', async () => {
    const [a, b, , d] = await makeNodes('a', 'b', 'c', 'd')
    link(a, b)
    link(a, d)
    const now = Date.now()
    // c and x went silent 20 s ago (down, for membership); y 60 s ago, past goneAfterMs.
    const members: ReplicationMember[] = [{ peerId: 'b', lastSeenMs: now }, { peerId: 'c', lastSeenMs: now - 20_000 }, { peerId: 'x', lastSeenMs: now - 20_000 }, { peerId: 'y', lastSeenMs: now - 60_000 }]
    const replication = createReplication({ awaitAcks: a.engine.awaitAcks, members: () => members, now: () => now }, { goneAfterMs: 30_000 })

    // a and b are 2 of a 4-node cluster: no majority, though both persisted (and d acked too).
    const cut = await replication.awaitDurable('ctx/app', await writeTarget(a, 'one'), 'quorum', AbortSignal.timeout(1_000))
    expect(cut).toMatchObject({ complete: false, members: ['b', 'c', 'x'], needed: 2, acked: ['b'] })

    // Once c and x are gone for good, a and b are the cluster.
    members.splice(1, 2)
    const first = await replication.awaitDurable('ctx/app', await writeTarget(a, 'two'), 'all', AbortSignal.timeout(10_000))
    expect(first).toMatchObject({ complete: true, members: ['b'], needed: 1, acked: ['b'] })
  })

  it('acks of peers not counted in the cluster do not count', async () => {
    const [a, b, , d] = await makeNodes('a', 'b', 'c', 'd')
    link(a, b)
    link(a, d)
    const members: ReplicationMember[] = [{ peerId: 'b', lastSeenMs: Date.now() }]
    const replication = createReplication({ awaitAcks: a.engine.awaitAcks, members: () => members })

    // b cannot persist; d (connected, but not a counted member) persists and acks.
    b.storage.holding = true
    const target = await writeTarget(a, 'two')
    const controller = new AbortController()
    const waiting = replication.awaitDurable('ctx/app', target, 'quorum', controller.signal)
    const fromD = await a.engine.awaitAcks('ctx/app', target, 1, { signal: AbortSignal.timeout(10_000) })
    expect(fromD.acked).toEqual(['d'])
    controller.abort()
    expect(await waiting).toMatchObject({ complete: false, needed: 1, acked: [] })

    b.storage.release()
    const later = await replication.awaitDurable('ctx/app', target, 'quorum', AbortSignal.timeout(10_000))
    expect(later).toMatchObject({ complete: true, acked: ['b'] })
  })
})
