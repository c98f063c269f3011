/**
 * The full state of every document a node holds, comparable across nodes: state vector,
 * delete set and the content of every root type, from a fresh document rebuilt from the node's
 * encoded state (so it does not depend on which root types the node happened to open).
 */
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import type { DocumentStore } from '../../crdt/document-store.js'

export interface DocState {
  stateVector: string
  deleteSet: string
  /** Root type name → its JSON (every root of these documents is a Y.Map). */
  content: Record<string, unknown>
  /** Updates waiting for missing dependencies: a converged document has none. */
  pending: boolean
}

/** Byte values compare by digest: the JSON of a large Uint8Array is slow and unreadable. */
function normalise (value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => v instanceof Uint8Array ? `bytes:${createHash('sha256').update(v).digest('hex')}` : v))
}

export function documentsState (documents: Pick<DocumentStore, 'names' | 'get'>): Record<string, DocState> {
  const out: Record<string, DocState> = {}
  for (const name of [...documents.names()].sort()) {
    const doc = documents.get(name)
    if (doc === undefined) continue
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc))
    const stateVector = Y.encodeStateVector(fresh)
    const content: Record<string, unknown> = {}
    // Applying an update registers every root type it touches in `share`.
    for (const root of [...fresh.share.keys()].sort()) content[root] = normalise(fresh.getMap(root).toJSON())
    out[name] = {
      stateVector: Buffer.from(stateVector).toString('hex'),
      deleteSet: Buffer.from(Y.encodeStateAsUpdate(fresh, stateVector)).toString('hex'),
      content,
      pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null
    }
    fresh.destroy()
  }
  return out
}
