/**
 * Durability of the context write syscalls. LOCAL (and unspecified) is the document store's
 * durable ack. QUORUM and ALL also wait, after that ack, for cluster members to confirm they
 * persisted the write (transport/replication.ts); they succeed only with the required acks.
 * When the wait ends first (deadline, cancellation, node stopping) the caller is told how many
 * of how many acked and which peers did not; the write itself stays on this node and replicates
 * later.
 */
import * as Y from 'yjs'
import { CamosError, UnimplementedError, type ErrorCode } from './errors.js'
import type { CallContext } from './handler.js'
import type { DurabilityName } from './context-requests.js'
import type { DocumentStore } from '../crdt/document-store.js'
import type { DurableOutcome, ReplicatedLevel, Replication } from '../transport/replication.js'

const REPLICATED: Partial<Record<DurabilityName, ReplicatedLevel>> = { DURABILITY_QUORUM: 'quorum', DURABILITY_ALL: 'all' }

export interface DurableWrites {
  /**
   * Runs `write` on document `doc` (it changes memory synchronously and resolves once durable
   * here, like every ContextDoc write), then waits for the replicated level asked for. Resolves
   * with the write's result and the durability reached.
   */
  run: <T>(doc: string, durability: DurabilityName, call: Pick<CallContext, 'signal'>, write: () => Promise<T>) => Promise<{ result: T, durability: DurabilityName }>
}

export function createDurableWrites (components: { store: DocumentStore, replication?: Replication }): DurableWrites {
  const { store, replication } = components
  return {
    async run (doc, durability, call, write) {
      const level = REPLICATED[durability]
      if (level === undefined) return { result: await write(), durability: 'DURABILITY_LOCAL' }
      if (replication === undefined) throw new UnimplementedError(`durability ${level.toUpperCase()} (this kernel runs without replication)`)
      const pending = write()
      // Captured right after the synchronous transaction, so later writes of this node do not
      // widen what this call waits for.
      const target = ownState(store.get(doc))
      const result = await pending
      // Read only here: a LOCAL call must not pay for an AbortSignal (see call-context.ts).
      const signal = call.signal
      const outcome = await replication.awaitDurable(doc, target, level, signal)
      if (!outcome.complete) throw notDurable(outcome, signal)
      return { result, durability }
    }
  }
}

/** This node's own entry of the document's state vector (empty when there is no document). */
function ownState (doc: Y.Doc | undefined): Map<number, number> {
  if (doc === undefined) return new Map()
  return new Map([[doc.clientID, Y.getState(doc.store, doc.clientID)]])
}

function notDurable (o: DurableOutcome, signal: AbortSignal): CamosError {
  const reason: unknown = signal.reason
  const cause = !signal.aborted
    ? { code: 'CAMOS_ERR_SHUTTING_DOWN' as ErrorCode, why: 'the node began stopping' }
    : reason instanceof CamosError && reason.code === 'CAMOS_ERR_CANCELLED'
      ? { code: 'CAMOS_ERR_CANCELLED' as ErrorCode, why: 'the call was cancelled' }
      : { code: 'CAMOS_ERR_DURABILITY_TIMEOUT' as ErrorCode, why: 'the deadline passed' }
  const missing = o.members.filter(p => !o.acked.includes(p))
  return new CamosError(cause.code,
    `durability ${o.level.toUpperCase()} not reached: ${cause.why} with ${o.acked.length} of ${o.needed} needed peer acks ` +
    `(cluster of ${o.members.length + 1}: this node and the ${o.members.length} members it knows, reachable or not); ` +
    `acked by [${o.acked.join(', ')}], not by [${missing.join(', ')}]. ` +
    'The write is durable on this node and stays; it replicates to the others when they are reachable.')
}
