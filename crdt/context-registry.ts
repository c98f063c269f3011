/**
 * Namespace → ContextDoc over the document store. Reads never create a document (`get`);
 * writes do (`open`). Subscriptions work before a namespace exists: when its document appears
 * (a local write, or a peer's update) the subscribers start receiving its changes, beginning
 * with a PUT for every entry it already holds — or, for a subscriber that asks, one call saying
 * the document arrived, so it can read those entries at its own pace.
 */
import { createContextDoc, type ContextDoc } from './context-doc.js'
import { CONTEXT_DOC_PREFIX, contextDocName, resolveLimits, type ContextEntry, type ContextLimits, type ContextListener } from './context-types.js'
import type { DocumentStore } from './document-store.js'
import type { Hlc } from './hlc.js'
import type { Logger } from './types.js'
import type * as Y from 'yjs'

export interface ContextRegistryComponents {
  store: DocumentStore
  hlc: Hlc
  log: Logger
}

export interface ContextRegistryInit {
  limits?: Partial<ContextLimits>
}

export interface ContextRegistry {
  readonly limits: ContextLimits
  /** The namespace's context, creating its document if needed. */
  open: (namespace: string) => ContextDoc
  /** The namespace's context if its document exists. */
  get: (namespace: string) => ContextDoc | undefined
  /**
   * Changes of a namespace, whether or not it exists yet. `arrived`, if given, is called instead
   * of a PUT per entry when the namespace's document arrives whole (a peer's state): a joiner's
   * may hold 100,000 entries, more than a subscriber should have to queue.
   */
  subscribe: (namespace: string, listener: ContextListener, arrived?: (ctx: ContextDoc) => void) => () => void
}

interface Subscriber {
  listener: ContextListener
  arrived: ((ctx: ContextDoc) => void) | undefined
}

export function createContextRegistry (components: ContextRegistryComponents, init: ContextRegistryInit = {}): ContextRegistry {
  const { store, hlc, log } = components
  const limits = resolveLimits(init.limits)
  const contexts = new Map<string, ContextDoc>()
  const subscribers = new Map<string, Set<Subscriber>>()

  function wrap (namespace: string, doc: Y.Doc): ContextDoc {
    const existing = contexts.get(namespace)
    if (existing !== undefined) return existing
    const name = contextDocName(namespace)
    const ctx = createContextDoc({
      doc,
      hlc,
      log,
      transact: async (fn, origin) => { await store.transact(name, fn, origin) }
    }, { namespace, limits })
    ctx.subscribe(change => {
      for (const s of subscribers.get(namespace) ?? []) s.listener(change)
    })
    contexts.set(namespace, ctx)
    doc.on('destroy', () => { if (contexts.get(namespace) === ctx) contexts.delete(namespace) })
    return ctx
  }

  store.onDocument((name, doc) => {
    if (!name.startsWith(CONTEXT_DOC_PREFIX)) return
    const namespace = name.slice(CONTEXT_DOC_PREFIX.length)
    const waiting = subscribers.get(namespace)
    if (waiting === undefined) return
    // A document received whole from a peer arrives with its entries in: they are news to
    // the subscribers, as they would have been had they arrived one transaction at a time.
    const ctx = wrap(namespace, doc)
    // One opened by a local write is empty here: its changes come as they are made.
    if (ctx.usage().keys === 0) return
    let entries: ContextEntry[] | undefined
    for (const s of [...waiting]) {
      if (s.arrived !== undefined) {
        s.arrived(ctx)
        continue
      }
      entries ??= ctx.entries('')
      for (const entry of entries) s.listener({ kind: 'put', entry, remote: true })
    }
  })

  function get (namespace: string): ContextDoc | undefined {
    const ctx = contexts.get(namespace)
    if (ctx !== undefined) return ctx
    const doc = store.get(contextDocName(namespace))
    return doc === undefined ? undefined : wrap(namespace, doc)
  }

  return {
    limits,
    open: namespace => get(namespace) ?? wrap(namespace, store.open(contextDocName(namespace))),
    get,
    subscribe (namespace, listener, arrived) {
      let set = subscribers.get(namespace)
      if (set === undefined) {
        set = new Set()
        subscribers.set(namespace, set)
      }
      const subscriber: Subscriber = { listener, arrived }
      set.add(subscriber)
      get(namespace)
      return () => {
        set.delete(subscriber)
        if (set.size === 0 && subscribers.get(namespace) === set) subscribers.delete(namespace)
      }
    }
  }
}
