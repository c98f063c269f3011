/**
 * Anti-entropy digests: per document its state vector and a hash of its delete set, cached
 * until the document changes (the engine invalidates on every update), the digest frame of
 * every document a node holds, and the comparison of a peer's entry with this node's digest.
 */
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { encodeDigest, type DigestEntry } from './frame-codec.js'
import type { DocumentStore } from '../../crdt/document-store.js'

export interface DocDigest {
  stateVector: Uint8Array
  clocks: Map<number, number>
  deleteSetHash: Uint8Array
}

/** An encoded (unnumbered) digest frame and the state of each document it lists. */
export interface Digest {
  frame: Uint8Array
  docs: ReadonlyMap<string, DocDigest>
}

export interface DigestCache {
  of: (name: string, doc: Y.Doc) => DocDigest
  /**
   * One digest with an entry for every document the store holds, listing `incoming`:
   * documents not held whose state is on its way.
   */
  frame: (replyWanted: boolean, incoming: readonly string[]) => Digest
  invalidate: (name: string) => void
  clear: () => void
}

export function createDigestCache (store: Pick<DocumentStore, 'names' | 'get'>): DigestCache {
  const digests = new Map<string, DocDigest>()

  function of (name: string, doc: Y.Doc): DocDigest {
    let d = digests.get(name)
    if (d === undefined) {
      const stateVector = Y.encodeStateVector(doc)
      // Deletions do not move the state vector; the delete set (what an update past the
      // current state holds) is compared by hash so a lost delete-only update is repaired too.
      const deleteSet = Y.encodeStateAsUpdate(doc, stateVector)
      d = {
        stateVector,
        clocks: Y.decodeStateVector(stateVector),
        deleteSetHash: createHash('sha256').update(deleteSet).digest().subarray(0, 16)
      }
      digests.set(name, d)
    }
    return d
  }

  return {
    of,
    frame (replyWanted, incoming) {
      const entries: DigestEntry[] = []
      const docs = new Map<string, DocDigest>()
      for (const name of store.names()) {
        const doc = store.get(name)
        if (doc === undefined) continue
        const d = of(name, doc)
        docs.set(name, d)
        entries.push({ doc: name, stateVector: d.stateVector, deleteSetHash: d.deleteSetHash })
      }
      return { frame: encodeDigest(entries, replyWanted, incoming), docs }
    },
    invalidate: name => { digests.delete(name) },
    clear: () => { digests.clear() }
  }
}

/** A peer's digest entry with its state vector decoded once, to compare against this node's. */
export function entryDigest (entry: DigestEntry): DocDigest {
  return { stateVector: entry.stateVector, clocks: Y.decodeStateVector(entry.stateVector), deleteSetHash: entry.deleteSetHash }
}

/** True when this node holds something of the document that the peer's digest lacks. */
export function peerLacks (mine: DocDigest, theirs: DocDigest): boolean {
  for (const [client, clock] of mine.clocks) {
    if (clock > (theirs.clocks.get(client) ?? 0)) return true
  }
  return !Buffer.from(mine.deleteSetHash).equals(theirs.deleteSetHash)
}
