/**
 * Live copies of every node's visible state, kept through the public API only: one Observe
 * follow stream per node and namespace (initial entries, then PUT / DELETE / EXPIRED).
 *
 * They time convergence: the moment the copies agree is when the nodes agreed, give or take
 * the delivery of one event, whereas a whole-state read of every node takes longer the more
 * the cluster holds and would add its own duration to every measurement. An agreement is only a
 * candidate: the runner confirms it with a whole read (chaos/checkers.ts) before it counts.
 *
 * A copy's content is stamped with when it last changed: the arrival of the first event of its
 * stream for the initial entries (the node read them before sending that event), the arrival of
 * each later change (expiries excepted). Agreement is dated by the latest stamp of all copies —
 * the moment since which every node has held the agreed state — not by when it was noticed, so
 * re-reading a restarted node's whole state does not count as time to converge.
 *
 * Entries without a TTL are summed into an order-independent fingerprint per namespace, kept up
 * to date event by event; entries with a TTL are few and compared whole, leaving out those whose
 * expiry is within the window where nodes may legitimately disagree (as the checkers do).
 */
import { createHash } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { digest, toEntryView, type EntryView, type ExpiryWindow } from './checkers.js'
import type { ChaosCluster } from './cluster.js'
import type { ObserveEvent__Output } from '../proto/gen/camos/v1/ObserveEvent.js'

/** Delay before reopening a stream that ended while its node is up, ms. */
const REOPEN_DELAY_MS = 100
/** How often a changed mirror is compared, ms. */
const COMPARE_INTERVAL_MS = 5
/** An unchanged one is compared too: TTL entries move in and out of the expiry window, ms. */
const RECOMPARE_MS = 100
const FINGERPRINT_MOD = 2n ** 64n

interface NamespaceCopy {
  ready: boolean
  /** performance.now() of the stream's first event: the initial entries are as of then. */
  snapshotAt: number | undefined
  /** performance.now() of the last change of this copy's content, and its event kind. */
  changedAt: number
  changedBy: string
  plain: Map<string, bigint>
  sum: bigint
  ttl: Map<string, EntryView>
}

export interface StateMirror {
  /** (Re)opens node i's streams: at start and after every restart. */
  observe: (i: number) => void
  /**
   * Resolves with the performance.now() since which every node's copy has shown the same state
   * (never earlier than `since`, e.g. a heal), or undefined when `deadline` passes.
   */
  agreement: (since: number, deadline: number, window: () => ExpiryWindow) => Promise<number | undefined>
  /** The copy that changed last: which node, namespace and event kind dated the agreement. */
  lastChange: () => { node: number, namespace: string, kind: string } | undefined
  stop: () => void
}

function fingerprint (key: string, e: EntryView): bigint {
  return createHash('sha256').update(`${key}\u0000${e.version}\u0000${e.sha256}`).digest().readBigUInt64BE(0)
}

export function createStateMirror (cluster: ChaosCluster, namespaces: string[]): StateMirror {
  const copies: Array<Map<string, NamespaceCopy>> = []
  const controllers: Array<AbortController | undefined> = []
  let changed = true
  let stopped = false

  function open (i: number, ns: string, signal: AbortSignal): void {
    const copy: NamespaceCopy = { ready: false, snapshotAt: undefined, changedAt: performance.now(), changedBy: 'open', plain: new Map(), sum: 0n, ttl: new Map() }
    copies[i].set(ns, copy)
    changed = true
    const remove = (key: string): void => {
      const old = copy.plain.get(key)
      if (old !== undefined) {
        copy.sum = (copy.sum - old + FINGERPRINT_MOD) % FINGERPRINT_MOD
        copy.plain.delete(key)
      }
      copy.ttl.delete(key)
    }
    const onEvent = (ev: ObserveEvent__Output): void => {
      changed = true
      const now = performance.now()
      copy.snapshotAt ??= now
      // An expiry is each node's own clock passing a TTL, not replication: it does not date an
      // agreement (entries near their expiry are left out of the comparison anyway).
      if (ev.kind !== 'KIND_EXPIRED') {
        copy.changedAt = ev.kind === 'KIND_INITIAL' || ev.kind === 'KIND_SYNCED' ? copy.snapshotAt : now
        copy.changedBy = ev.kind
      }
      if (ev.kind === 'KIND_SYNCED') { copy.ready = true; return }
      if (ev.entry == null) return
      const key = ev.entry.key
      remove(key)
      if (ev.kind !== 'KIND_INITIAL' && ev.kind !== 'KIND_PUT') return
      const view = toEntryView(ev.entry)
      if (view.expiresAtMs !== 0) { copy.ttl.set(key, view); return }
      const f = fingerprint(key, view)
      copy.plain.set(key, f)
      copy.sum = (copy.sum + f) % FINGERPRINT_MOD
    }
    let client
    try { client = cluster.client(i) } catch { return }
    const ended = (): void => {
      copy.ready = false
      changed = true
      if (signal.aborted || stopped) return
      setTimeout(() => { if (!signal.aborted && !stopped && cluster.status(i) === 'up') open(i, ns, signal) }, REOPEN_DELAY_MS).unref()
    }
    client.stream('Observe', { namespace: ns, prefixAll: true, follow: true }, onEvent, { signal }).then(ended, ended)
  }

  /** The latest change of any copy when all agree, else undefined. */
  function agreedSince (window: ExpiryWindow): number | undefined {
    let latest = 0
    for (const ns of namespaces) {
      let sum: bigint | undefined
      let ttl: string | undefined
      for (const node of copies) {
        const copy = node.get(ns)
        if (copy === undefined || !copy.ready) return undefined
        latest = Math.max(latest, copy.changedAt)
        const t = digest(copy.ttl, window)
        if (sum === undefined) { sum = copy.sum; ttl = t; continue }
        if (copy.sum !== sum || t !== ttl) return undefined
      }
    }
    return latest
  }

  for (let i = 0; i < cluster.size; i++) copies.push(new Map())

  return {
    observe (i) {
      controllers[i]?.abort()
      const controller = new AbortController()
      // One listener per namespace stream.
      setMaxListeners(namespaces.length + 1, controller.signal)
      controllers[i] = controller
      for (const ns of namespaces) open(i, ns, controller.signal)
    },
    async agreement (since, deadline, window) {
      changed = true
      let compared = 0
      for (;;) {
        const now = performance.now()
        if (now >= since && (changed || now - compared >= RECOMPARE_MS)) {
          changed = false
          compared = now
          const at = agreedSince(window())
          if (at !== undefined) return Math.max(since, at)
        }
        if (now > deadline || stopped) return undefined
        await new Promise(resolve => setTimeout(resolve, COMPARE_INTERVAL_MS))
      }
    },
    lastChange () {
      let last: { node: number, namespace: string, kind: string, at: number } | undefined
      copies.forEach((node, i) => {
        for (const [namespace, copy] of node) {
          if (last === undefined || copy.changedAt > last.at) last = { node: i, namespace, kind: copy.changedBy, at: copy.changedAt }
        }
      })
      return last === undefined ? undefined : { node: last.node, namespace: last.namespace, kind: last.kind }
    },
    stop () {
      stopped = true
      for (const c of controllers) c?.abort()
    }
  }
}
