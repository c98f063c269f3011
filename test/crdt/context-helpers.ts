/** Builds context documents over bare Y.Docs (no storage) with manual clocks, for crdt tests. */
import * as Y from 'yjs'
import { createContextDoc, type ContextDoc } from '../../crdt/context-doc.js'
import { createHlc, type Hlc } from '../../crdt/hlc.js'
import { peerOrigin } from '../../crdt/origin.js'
import type { ContextChange, ContextLimits } from '../../crdt/context-types.js'
import { createCaptureLogger, type CaptureLogger } from '../helpers/capture-logger.js'

export interface TestNode {
  id: string
  doc: Y.Doc
  ctx: ContextDoc
  hlc: Hlc
  clock: { now: () => number, set: (ms: number) => void, advance: (ms: number) => void }
  changes: ContextChange[]
  log: CaptureLogger
}

export function createTestNode (id: string, startMs: number, limits: Partial<ContextLimits> = {}, maxDriftMs?: number): TestNode {
  let t = startMs
  const clock = { now: () => t, set: (ms: number) => { t = ms }, advance: (ms: number) => { t += ms } }
  const doc = new Y.Doc()
  const log = createCaptureLogger(id)
  const hlc = createHlc({ now: clock.now }, { nodeId: id, maxDriftMs })
  const ctx = createContextDoc({
    doc,
    hlc,
    log,
    transact: async (fn, origin) => { doc.transact(fn, origin) }
  }, { namespace: 'ns', limits })
  const changes: ContextChange[] = []
  ctx.subscribe(c => changes.push(c))
  return { id, doc, ctx, hlc, clock, changes, log }
}

/** Sends everything `from` has that `to` lacks, as a peer update. */
export function sync (from: TestNode, to: TestNode): void {
  Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), peerOrigin(from.id))
}

export function visible (node: TestNode): Array<{ key: string, version: string, value: string }> {
  return node.ctx.entries('').map(e => ({ key: e.key, version: e.version, value: Buffer.from(e.value).toString() }))
}

export function mapKeys (doc: Y.Doc, name: string): string[] {
  return [...doc.getMap(name).keys()].sort()
}

export function bytes (s: string): Uint8Array {
  return new TextEncoder().encode(s)
}

export const put = (value: string, ttlMs = 0): { value: Uint8Array, contentType: string, metadata: Record<string, string>, ttlMs: number } =>
  ({ value: bytes(value), contentType: 'text/plain', metadata: {}, ttlMs })
