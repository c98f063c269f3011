/**
 * Handlers of the memory-context syscalls: Remember, Forget, Recall, Observe, ContextVersions,
 * ContextSnapshot, ContextRestore. The data model lives in crdt/context-doc.ts; here are the
 * request rules: validation, durability (LOCAL = the document store's durable ack; QUORUM and
 * ALL also wait for cluster members' acks, see durability.ts), not-found errors, response shapes.
 * Reads never create a namespace's document; writes do.
 */
import { CamosError } from './errors.js'
import {
  toObserveEvent, toProtoEntry,
  validateForget, validateObserve, validateRecall, validateRemember, validateRestore, validateSnapshot, validateVersions,
  type ForgetReq, type ObserveReq, type RecallReq, type RememberReq, type RestoreReq, type SnapshotReq, type VersionsReq
} from './context-requests.js'
import { createDurableWrites } from './durability.js'
import { createContextRegistry } from '../crdt/context-registry.js'
import { contextDocName } from '../crdt/context-types.js'
import { syscallOrigin } from '../crdt/origin.js'
import type { ContextChange, ContextEntry, ContextLimits } from '../crdt/context-types.js'
import type { DocumentStore } from '../crdt/document-store.js'
import type { Hlc } from '../crdt/hlc.js'
import type { Logger } from '../crdt/types.js'
import type { CallContext, EventSink, StreamSyscallHandler, SyscallHandler, UnarySyscallHandler } from './handler.js'
import type { SyscallName } from './syscalls.js'
import type { ObserveEvent } from '../proto/gen/camos/v1/ObserveEvent.js'
import type { Replication } from '../transport/replication.js'

/** Changes an Observe stream may buffer while its client is slow before it is ended. */
export const DEFAULT_OBSERVE_BUFFER_EVENTS = 10_000
/** Observe's queue item for a namespace whose document arrived whole (see the registry). */
const ARRIVED = Symbol('arrived')

export interface ContextSyscallsComponents {
  store: DocumentStore
  hlc: Hlc
  log: Logger
  /** Waits for cluster members' acks; without it QUORUM and ALL answer UNIMPLEMENTED. */
  replication?: Replication
}

export interface ContextSyscallsInit {
  limits?: Partial<ContextLimits>
  observeBufferEvents?: number
}

const ORIGINS = {
  Remember: syscallOrigin('Remember'),
  Forget: syscallOrigin('Forget'),
  ContextSnapshot: syscallOrigin('ContextSnapshot'),
  ContextRestore: syscallOrigin('ContextRestore')
}

export function createContextSyscalls (components: ContextSyscallsComponents, init: ContextSyscallsInit = {}): Partial<Record<SyscallName, SyscallHandler>> {
  const { store, hlc, log } = components
  const contexts = createContextRegistry({ store, hlc, log }, { limits: init.limits })
  const maxValueBytes = contexts.limits.maxValueBytes
  const bufferLimit = init.observeBufferEvents ?? DEFAULT_OBSERVE_BUFFER_EVENTS
  const durable = createDurableWrites({ store, replication: components.replication })

  const Remember: UnarySyscallHandler<RememberReq> = {
    kind: 'unary',
    validate: request => validateRemember(request, maxValueBytes),
    async handle (req, ctx) {
      const { result: entry, durability } = await durable.run(contextDocName(req.namespace), req.durability, ctx, async () =>
        await contexts.open(req.namespace).put(req.key, {
          value: req.value,
          contentType: req.contentType,
          metadata: req.metadata,
          ttlMs: req.ttlMs,
          ifVersion: req.ifVersion,
          ifAbsent: req.ifAbsent
        }, ORIGINS.Remember))
      return { version: entry.version, sha256: entry.sha256, expiresAtMs: entry.expiresAt, durability }
    }
  }

  const Forget: UnarySyscallHandler<ForgetReq> = {
    kind: 'unary',
    validate: validateForget,
    async handle (req, call) {
      const { result } = await durable.run(contextDocName(req.namespace), req.durability, call, async () => {
        const ctx = contexts.open(req.namespace)
        return 'key' in req
          ? await ctx.forgetKey(req.key, ORIGINS.Forget)
          : await ctx.forgetPrefix(req.prefix, ORIGINS.Forget)
      })
      return result
    }
  }

  const Recall: UnarySyscallHandler<RecallReq> = {
    kind: 'unary',
    validate: validateRecall,
    handle (req) {
      const ctx = contexts.get(req.namespace)
      if (req.version !== '') {
        const entry = ctx?.getVersion(req.key, req.version)
        if (entry === undefined) {
          throw new CamosError('CAMOS_ERR_VERSION_NOT_FOUND', `version ${req.version} of key "${req.key}" is not in the retained history of namespace "${req.namespace}"`)
        }
        return { entry: toProtoEntry(req.namespace, entry) }
      }
      const entry = ctx?.get(req.key)
      if (entry === undefined) {
        throw new CamosError('CAMOS_ERR_KEY_NOT_FOUND', `key "${req.key}" has no current value in namespace "${req.namespace}"`)
      }
      return { entry: toProtoEntry(req.namespace, entry) }
    }
  }

  const ContextVersions: UnarySyscallHandler<VersionsReq> = {
    kind: 'unary',
    validate: validateVersions,
    handle (req) {
      const versions = contexts.get(req.namespace)?.versions(req.key, req.limit) ?? []
      return { versions: versions.map(e => toProtoEntry(req.namespace, e)) }
    }
  }

  const ContextSnapshot: UnarySyscallHandler<SnapshotReq> = {
    kind: 'unary',
    validate: validateSnapshot,
    async handle (req, ctx) {
      const { result } = await durable.run(contextDocName(req.namespace), req.durability, ctx, async () =>
        await contexts.open(req.namespace).snapshot(req.name, req.description, ORIGINS.ContextSnapshot))
      return result
    }
  }

  const ContextRestore: UnarySyscallHandler<RestoreReq> = {
    kind: 'unary',
    validate: validateRestore,
    async handle (req, call) {
      const { result } = await durable.run(contextDocName(req.namespace), req.durability, call, async () => {
        const ctx = contexts.get(req.namespace)
        if (ctx === undefined) {
          throw new CamosError('CAMOS_ERR_SNAPSHOT_NOT_FOUND', `namespace "${req.namespace}" has no snapshot named "${req.name}"`)
        }
        return await ctx.restore(req.name, ORIGINS.ContextRestore)
      })
      return result
    }
  }

  const Observe: StreamSyscallHandler<ObserveReq, ObserveEvent> = {
    kind: 'server-stream',
    validate: validateObserve,
    async handle (req: ObserveReq, ctx: CallContext, sink: EventSink<ObserveEvent>, ready: () => void): Promise<void> {
      const { namespace } = req
      const matches = 'key' in req ? (k: string) => k === req.key : (k: string) => k.startsWith(req.prefix)
      const pending: Array<ContextChange | typeof ARRIVED> = []
      let head = 0
      let wake: (() => void) | undefined
      let overflow = false
      const queue = (item: ContextChange | typeof ARRIVED): void => {
        if (overflow) return
        if (pending.length - head >= bufferLimit) overflow = true
        else pending.push(item)
        wake?.()
      }
      // Subscribe before reading the initial entries: a change made after the read is queued
      // and sent after SYNCED, and none falls in between. A document that arrives whole is one
      // queued item, its entries read when its turn comes (and sent as they are then).
      const unsubscribe = req.follow
        ? contexts.subscribe(namespace, change => { if (matches(change.entry.key)) queue(change) }, () => { queue(ARRIVED) })
        : undefined
      /** The matching entries as they are now; false once the stream is cancelled. */
      const sendEntries = async (kind: 'KIND_INITIAL' | 'KIND_PUT', remote: boolean): Promise<boolean> => {
        for (const entry of initialEntries(req)) {
          if (ctx.signal.aborted) return false
          await sink({ kind, entry: toProtoEntry(namespace, entry), remote })
        }
        return true
      }
      try {
        if (!req.changesOnly && !await sendEntries('KIND_INITIAL', false)) return
        await sink({ kind: 'KIND_SYNCED', entry: null, remote: false })
        ready()
        if (!req.follow) return
        while (!ctx.signal.aborted) {
          if (overflow) {
            throw new CamosError('CAMOS_ERR_OBSERVER_OVERFLOW', `more than ${bufferLimit} changes of namespace "${namespace}" waited for this stream; open it again`)
          }
          if (head === pending.length) {
            await nextWake(ctx.signal, resolve => { wake = resolve })
            wake = undefined
            continue
          }
          const change = pending[head++]
          if (head === pending.length) {
            pending.length = 0
            head = 0
          }
          if (change !== ARRIVED) await sink(toObserveEvent(namespace, change))
          else if (!await sendEntries('KIND_PUT', true)) return
        }
      } finally {
        unsubscribe?.()
      }
    }
  }

  function initialEntries (req: ObserveReq): ContextEntry[] {
    const ctx = contexts.get(req.namespace)
    if (ctx === undefined) return []
    if ('key' in req) {
      const entry = ctx.get(req.key)
      return entry === undefined ? [] : [entry]
    }
    return ctx.entries(req.prefix)
  }

  return { Remember, Forget, Recall, Observe, ContextVersions, ContextSnapshot, ContextRestore }
}

/** Resolves when `register`'s callback is called or the signal aborts. */
async function nextWake (signal: AbortSignal, register: (resolve: () => void) => void): Promise<void> {
  await new Promise<void>(resolve => {
    const done = (): void => {
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
    register(done)
  })
}
