/**
 * In-process sync nodes for tests: a real DocumentStore over memory storage plus a sync engine,
 * linked by in-memory channel pairs; and a full-state comparison of every document.
 */
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { createDocumentStore, type DocumentStore } from '../../crdt/document-store.js'
import { syscallOrigin } from '../../crdt/origin.js'
import { createSyncEngine, type SyncEngine, type SyncEngineComponents, type SyncEngineInit } from '../../transport/sync/engine.js'
import { createCaptureLogger, type CaptureLogger } from './capture-logger.js'
import { createChannelPair, type ChannelPair, type MemoryChannelOptions } from './memory-channel.js'
import { createMemoryStorage, type MemoryStorage } from './memory-storage.js'

/** Root type every test document writes into. */
export const ROOT = 'kv'

export interface SyncNode {
  id: string
  storage: MemoryStorage
  store: DocumentStore
  engine: SyncEngine
  log: CaptureLogger
}

export async function createSyncNode (id: string, init: SyncEngineInit = {}, storage = createMemoryStorage(), hooks: Pick<SyncEngineComponents, 'linkStuck'> = {}): Promise<SyncNode> {
  const log = createCaptureLogger(id)
  const store = createDocumentStore({ storage, log: log.child('store') })
  await store.start()
  const engine = createSyncEngine({ store, log: log.child('sync'), ...hooks }, init)
  await engine.start()
  return { id, storage, store, engine, log }
}

export async function stopSyncNodes (nodes: SyncNode[]): Promise<void> {
  for (const node of nodes) {
    await node.engine.stop()
    await node.store.stop()
  }
}

export function link (a: SyncNode, b: SyncNode, options: MemoryChannelOptions = {}): ChannelPair {
  const pair = createChannelPair(a.id, b.id, options)
  a.engine.addChannel(pair.a)
  b.engine.addChannel(pair.b)
  return pair
}

export async function write (node: SyncNode, doc: string, key: string, value: unknown): Promise<void> {
  await node.store.transact(doc, d => { d.getMap(ROOT).set(key, value) }, syscallOrigin('Remember'))
}

export async function remove (node: SyncNode, doc: string, key: string): Promise<void> {
  await node.store.transact(doc, d => { d.getMap(ROOT).delete(key) }, syscallOrigin('Forget'))
}

/**
 * The full state of every document of a node, comparable across nodes: state vector, delete set
 * and content, from a fresh document rebuilt from the node's encoded state (so nothing depends
 * on which root types the node happened to open).
 */
export function fullState (store: DocumentStore): Record<string, { stateVector: string, deleteSet: string, content: unknown, pending: boolean }> {
  const out: Record<string, { stateVector: string, deleteSet: string, content: unknown, pending: boolean }> = {}
  for (const name of [...store.names()].sort()) {
    const doc = store.get(name)
    if (doc === undefined) continue
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc))
    const stateVector = Y.encodeStateVector(fresh)
    out[name] = {
      stateVector: Buffer.from(stateVector).toString('hex'),
      deleteSet: Buffer.from(Y.encodeStateAsUpdate(fresh, stateVector)).toString('hex'),
      content: fresh.getMap(ROOT).toJSON(),
      pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null
    }
    fresh.destroy()
  }
  return out
}

/** Byte values compare by digest: JSON of a large Uint8Array is slow. */
function stringify (value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => v instanceof Uint8Array ? `bytes:${createHash('sha256').update(v).digest('hex')}` : v)
}

/** True when every node holds the same documents in the same full state. */
export function converged (nodes: SyncNode[]): boolean {
  const first = stringify(fullState(nodes[0].store))
  return nodes.every(n => stringify(fullState(n.store)) === first)
}
