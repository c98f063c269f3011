/**
 * Namespace → ContextDoc over the document store. Reads never create a document (`get`);
 * writes do (`open`). Subscriptions work before a namespace exists: when its document appears
 * (a local write, or a peer's update) the subscribers start receiving its changes; one that
 * arrives whole with entries in is announced once (`arrived`), and each subscriber reads those
 * entries at its own pace.
 */
import { createContextDoc, type ContextDoc } from './context-doc.js'
import { CONTEXT_DOC_PREFIX, contextDocName, resolveLimits, type ContextLimits, type ContextListener } from './context-types.js'
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
   * Changes of a namespace, whether or not it exists yet. `arrived` is called when the
   * namespace's document arrives whole with entries in (a peer's state): they are news, and a
   * joiner's may hold 100,000, more than a subscriber should have to queue one by one.
   */
  subscribe: (namespace: string, listener: ContextListener, arrived: () => void) => () => void
}

interface Subscriber {
  listener: ContextListener
  arrived: () => void
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
    // One opened by a local write is empty here: its changes come as they are made.
    if (wrap(namespace, doc).usage().keys === 0) return
    for (const s of [...waiting]) s.arrived()
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
