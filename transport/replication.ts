/**
 * Replicated durability (QUORUM / ALL) for the kernel's write syscalls: waits until enough
 * cluster members have acknowledged (sync ACK frames, see sync/engine.ts) that they persisted
 * this node's own writes to a document up to a target state.
 *
 * The cluster is this node plus every member membership knows when the wait starts, down ones
 * included: a member cut off by a partition still counts, so the side of a partition that
 * lost it cannot make a majority of its own (counting only members it still heard from let a
 * minority ack QUORUM writes once the partition outlasted membership's downAfterMs). A member
 * silent for `goneAfterMs`, when the dialer also gives up redialling it, counts no more (a
 * wiped node's old identity, a node taken out of the cluster). QUORUM needs a majority of that
 * cluster, this node included (floor(n / 2) peer acks: 0 for a single node, 1 of 2 peers, 2 of
 * 4). ALL needs every one of those members. Only acks of members counted in the cluster count,
 * so a node that joins during the wait cannot stand in for one that does not answer.
 *
 * Acks reach the node an update came from: a writer must be directly connected to the members
 * whose acks it waits for (a full mesh, which discovery builds); an update that reaches a member
 * only through a relay is acked to the relay and the writer keeps waiting.
 */
import { DEFAULT_FORGET_AFTER_MS } from './member-dialer.js'
import type { AckResult } from './sync/engine.js'

export type ReplicatedLevel = 'quorum' | 'all'

/** A member silent this long no longer counts in the cluster, ms (the dialer's forget time). */
export const DEFAULT_GONE_AFTER_MS = DEFAULT_FORGET_AFTER_MS

/** What a member list needs to say for durability: who, and when it was last heard from. */
export interface ReplicationMember {
  peerId: string
  /** ms since the epoch of its last sign of life. */
  lastSeenMs: number
}

export interface ReplicationComponents {
  /** The sync engine's ack wait (SyncEngine.awaitAcks). */
  awaitAcks: (doc: string, target: Map<number, number>, count: number, options?: { signal?: AbortSignal }) => Promise<AckResult>
  /** The current membership view (P2PNode.members). */
  members: () => ReplicationMember[]
  /** ms since the epoch; injectable for tests. */
  now?: () => number
}

export interface ReplicationInit {
  goneAfterMs?: number
}

export interface DurableOutcome {
  level: ReplicatedLevel
  /** True when the level was reached; false when the signal aborted or the engine stopped first. */
  complete: boolean
  /** Members counted in the cluster besides this node (heard from within goneAfterMs when the wait began). */
  members: string[]
  /** Peer acks the level needs (QUORUM: floor((members + 1) / 2); ALL: every member). */
  needed: number
  /** Counted members that confirmed the target durable. */
  acked: string[]
}

export interface Replication {
  /**
   * Resolves once `level` is reached for `target` (client id → clock) of `doc`, or when
   * `signal` aborts; the outcome says how far it got either way.
   */
  awaitDurable: (doc: string, target: Map<number, number>, level: ReplicatedLevel, signal: AbortSignal) => Promise<DurableOutcome>
}

export function createReplication (components: ReplicationComponents, init: ReplicationInit = {}): Replication {
  const { awaitAcks, members, now = Date.now } = components
  const goneAfterMs = init.goneAfterMs ?? DEFAULT_GONE_AFTER_MS
  return {
    async awaitDurable (doc, target, level, signal) {
      const at = now()
      const cluster = members().filter(m => at - m.lastSeenMs < goneAfterMs).map(m => m.peerId)
      const counted = new Set(cluster)
      const needed = level === 'all' ? cluster.length : Math.floor((cluster.length + 1) / 2)
      // The engine counts acks of any peer: ask again for more until enough of them come from
      // counted members. Each round asks for strictly more acks, so this ends.
      let count = needed
      for (;;) {
        const result = await awaitAcks(doc, target, count, { signal })
        const acked = result.acked.filter(p => counted.has(p))
        if (acked.length >= needed) return { level, complete: true, members: cluster, needed, acked }
        if (!result.complete) return { level, complete: false, members: cluster, needed, acked }
        count = needed + result.acked.length - acked.length
      }
    }
  }
}
