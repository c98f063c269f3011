/**
 * An in-memory StorageAdapter for tests of the layers above storage (tests only). It can be
 * switched down (appends and compactions reject with CAMOS_ERR_STORAGE_UNAVAILABLE) and can
 * hold appends until released, to observe what happens before an update is durable.
 */
import { CamosError } from '../../kernel/errors.js'
import type { StorageAdapter, StorageHealth } from '../../crdt/storage/adapter.js'

export interface MemoryStorage extends StorageAdapter {
  /** Stored updates per document (copied on append). */
  readonly docs: Map<string, Uint8Array[]>
  appends: number
  compactions: number
  down: boolean
  /** While true, appends wait until release(). */
  holding: boolean
  release: () => void
  /** Appends waiting for release(). */
  held: () => number
}

export function createMemoryStorage (): MemoryStorage {
  const docs = new Map<string, Uint8Array[]>()
  let waiting: Array<() => void> = []
  const unavailable = (): CamosError => new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', 'memory storage is down')
  const storage: MemoryStorage = {
    docs,
    appends: 0,
    compactions: 0,
    down: false,
    holding: false,
    release () {
      const w = waiting
      waiting = []
      storage.holding = false
      for (const resolve of w) resolve()
    },
    held: () => waiting.length,
    async open () {},
    async list () { return [...docs.keys()] },
    async load (doc) { return [...(docs.get(doc) ?? [])] },
    async append (doc, update) {
      if (storage.holding) await new Promise<void>(resolve => waiting.push(resolve))
      if (storage.down) throw unavailable()
      const list = docs.get(doc) ?? []
      list.push(update.slice())
      docs.set(doc, list)
      storage.appends++
    },
    async compact (doc, snapshot) {
      if (storage.down) throw unavailable()
      docs.set(doc, [snapshot.slice()])
      storage.compactions++
    },
    async remove (doc) { docs.delete(doc) },
    health (): StorageHealth {
      return storage.down ? { state: 'down', detail: 'memory storage is down', backlog: 0 } : { state: 'ok', detail: 'memory', backlog: 0 }
    },
    async close () {}
  }
  return storage
}
