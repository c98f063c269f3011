/**
 * What one sync session has sent that the peer has not yet confirmed:
 *
 * - the live frames not yet covered by an ack, per document and oldest first: when each was
 *   framed and the state (client id → clock) its updates reach. A slow path keeps delivering,
 *   and its acks keep coming, for frames that waited seconds in its queue: what ages is the
 *   oldest frame not covered, not the time since the last ack;
 * - the documents' state as each numbered digest listed it, from the last one the peer has seen
 *   on: a peer's digest that saw digest n was written after everything sent before n arrived.
 */
import * as Y from 'yjs'
import { covers, raiseClocks } from './clocks.js'
import type { DocDigest } from './digests.js'

/** In-flight frames tracked per document; beyond it the newest record also takes the later frames. */
const MAX_TRACKED_FRAMES = 64
/**
 * Digests sent and not yet seen by the peer whose documents' state is kept (a map of every
 * document each); an answer to a digest that saw an older one repairs all the peer lacks.
 */
const MAX_SENT_DIGESTS = 16

export interface SentLedger {
  /** Live updates of `doc` were framed at `at` (performance.now). */
  framed: (doc: string, updates: readonly Uint8Array[], at: number) => void
  /**
   * The peer acked `doc` at this state: the frames it covers are confirmed. Returns when the
   * newest of them was framed (undefined: it covered none).
   */
  acked: (doc: string, clocks: Map<number, number>) => number | undefined
  /** When the oldest live frame not yet covered by an ack was framed (undefined: none). */
  oldestFramed: () => number | undefined
  /** Digest number `n` listed `docs`. */
  digestSent: (n: number, docs: ReadonlyMap<string, DocDigest>) => void
  /**
   * The peer's digest had seen digest `n`: what that one listed (undefined when no longer
   * kept); the ones before it are forgotten.
   */
  digestSeen: (n: number) => ReadonlyMap<string, DocDigest> | undefined
}

export function createSentLedger (): SentLedger {
  const inFlight = new Map<string, Array<{ at: number, reach: Map<number, number> }>>()
  const digests = new Map<number, ReadonlyMap<string, DocDigest>>()

  return {
    framed (doc, updates, at) {
      const reach = new Map<number, number>()
      for (const update of updates) raiseClocks(reach, Y.parseUpdateMeta(update).to)
      let frames = inFlight.get(doc)
      if (frames === undefined) inFlight.set(doc, frames = [])
      const last = frames.at(-1)
      if (last !== undefined && frames.length >= MAX_TRACKED_FRAMES) {
        raiseClocks(last.reach, reach)
      } else {
        frames.push({ at, reach })
      }
    },
    acked (doc, clocks) {
      const frames = inFlight.get(doc)
      let newest: number | undefined
      while (frames !== undefined && frames.length > 0 && covers(clocks, frames[0].reach)) newest = frames.shift()?.at
      if (frames?.length === 0) inFlight.delete(doc)
      return newest
    },
    oldestFramed () {
      let oldest: number | undefined
      for (const frames of inFlight.values()) if (oldest === undefined || frames[0].at < oldest) oldest = frames[0].at
      return oldest
    },
    digestSent (n, docs) {
      digests.set(n, docs)
      if (digests.size > MAX_SENT_DIGESTS) digests.delete(digests.keys().next().value as number)
    },
    digestSeen (n) {
      for (const sent of digests.keys()) {
        if (sent >= n) break
        digests.delete(sent)
      }
      return digests.get(n)
    }
  }
}
