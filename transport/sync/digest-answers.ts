/**
 * Answering a peer's digest: a SyncStep2 repair of each document the peer lacks something of,
 * except documents it listed as on their way to it, and except what is still on its way from
 * this node (the peer's digest had seen an earlier digest of this node's that already listed
 * all the peer lacks of it; see sent-ledger.ts). A repair of a document is held back while the
 * last one may still be on its way: until the peer acks the document, or its digests show it
 * had seen the digest that followed that repair, or `repairHoldMs` passes (DEFAULT_REPAIR_HOLD_PERIODS
 * in engine.ts says why).
 */
import * as Y from 'yjs'
import type { DocumentStore } from '../../crdt/document-store.js'
import { peerLacks, type DigestCache, type DocDigest } from './digests.js'
import { encodeStep2 } from './frame-codec.js'

export interface DigestAnswersComponents {
  store: Pick<DocumentStore, 'names' | 'get'>
  digests: DigestCache
}

export interface DigestAnswersInit {
  repairHoldMs: number
}

export interface DigestAnswer {
  /** The SyncStep2 frames to send the peer. */
  replies: Uint8Array[]
  /** Documents the peer lacks something of, repaired now or not. */
  behind: number
}

export interface DigestAnswers {
  /**
   * `theirs`: the peer's digest, per document; `incoming`: documents it listed as on their way;
   * `seen`: the highest digest number of this session's the peer had received (undefined from a
   * peer that does not number them) and `seenDocs` what that digest listed (undefined when not
   * known); `next`: the number of the next digest the session sends, which follows the replies.
   */
  answer: (peer: string, theirs: ReadonlyMap<string, DocDigest>, incoming: readonly string[], seen: number | undefined, next: number, seenDocs: ReadonlyMap<string, DocDigest> | undefined) => DigestAnswer
  /** The peer acked `doc`: a repair of it may go again at once. */
  acked: (peer: string, doc: string) => void
  peerClosed: (peer: string) => void
}

export function createDigestAnswers (components: DigestAnswersComponents, init: DigestAnswersInit): DigestAnswers {
  const { store, digests } = components
  /**
   * `${peer}\0${doc}` → a digest repair sent and not yet acked: when, and the number of the
   * digest that followed it on that channel.
   */
  const repairs = new Map<string, { at: number, followedBy: number }>()

  return {
    answer (peer, theirs, incoming, seen, next, seenDocs) {
      const onItsWay = new Set(incoming)
      const replies: Uint8Array[] = []
      let behind = 0
      const now = performance.now()
      const repair = (name: string, encode: () => Uint8Array): void => {
        const key = `${peer}\0${name}`
        const sent = repairs.get(key)
        if (sent !== undefined && now - sent.at < init.repairHoldMs && (seen === undefined || seen < sent.followedBy)) {
          behind++
          return
        }
        const update = encode()
        if (update.byteLength <= 2) return
        behind++
        repairs.set(key, { at: now, followedBy: next })
        replies.push(encodeStep2(name, update))
      }
      for (const name of store.names()) {
        const doc = store.get(name)
        if (doc === undefined) continue
        const entry = theirs.get(name)
        if (entry === undefined ? onItsWay.has(name) : !peerLacks(digests.of(name, doc), entry)) continue
        // What the peer lacks of the document beyond what this node's digest it had seen listed
        // is newer than that digest: what this node sent of it is still on its way (for seconds
        // on a capped link), and a repair would send it twice. If it was lost, the tail-loss
        // probe or the next exchange repairs it.
        const then = seenDocs?.get(name)
        if (seenDocs !== undefined && (then === undefined || (entry !== undefined && !peerLacks(then, entry)))) {
          behind++
          continue
        }
        repair(name, entry === undefined ? () => Y.encodeStateAsUpdate(doc) : () => Y.encodeStateAsUpdate(doc, entry.stateVector))
      }
      return { replies, behind }
    },
    acked (peer, doc) {
      repairs.delete(`${peer}\0${doc}`)
    },
    peerClosed (peer) {
      for (const key of repairs.keys()) if (key.startsWith(`${peer}\0`)) repairs.delete(key)
    }
  }
}
