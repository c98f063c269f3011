/**
 * Checkers: they read every node through the public API only (Observe initial entries, never
 * a node's internals) and hold the cluster to the workloads' history. A checker is a named
 * function of the final state and the history; more (e.g. the scheduler's "exactly one
 * accepted completion per task") are added by appending to CHECKERS.
 */
import { CONTENDED_KEYS, NS, type History } from './workloads.js'
import type { KernelClient } from '../node/client.js'
import type { ObserveEvent__Output } from '../proto/gen/camos/v1/ObserveEvent.js'

export interface EntryView {
  version: string
  sha256: string
  value: string
  /** 0 = never. */
  expiresAtMs: number
}

/** namespace → key → entry, for one node. */
export type NodeState = Map<string, Map<string, EntryView>>

export interface FinalState {
  nodes: NodeState[]
  namespaces: string[]
  /** When the final state was read (host clock), for TTL. */
  readAtMs: number
  /** Largest |clock skew| injected during the run, ms. */
  maxSkewMs: number
}

export interface CheckResult {
  name: string
  ok: boolean
  violations: number
  /** A few examples, readable. */
  details: string[]
}

export interface Checker {
  name: string
  check: (state: FinalState, history: History) => CheckResult
}

const MAX_DETAILS = 10

export function toEntryView (entry: NonNullable<ObserveEvent__Output['entry']>): EntryView {
  return { version: entry.version, sha256: entry.sha256, value: Buffer.from(entry.value).toString('utf8'), expiresAtMs: Number(entry.expiresAtMs) }
}

/** The visible state of one namespace on one node: Observe's initial entries, without follow. */
export async function readNamespace (client: KernelClient, namespace: string, timeoutMs = 10_000): Promise<Map<string, EntryView>> {
  const entries = new Map<string, EntryView>()
  await client.stream('Observe', { namespace, prefixAll: true, follow: false }, (ev: ObserveEvent__Output) => {
    if (ev.kind === 'KIND_INITIAL' && ev.entry != null) entries.set(ev.entry.key, toEntryView(ev.entry))
  }, { timeoutMs })
  return entries
}

export async function readNode (client: KernelClient, namespaces: string[]): Promise<NodeState> {
  const state: NodeState = new Map()
  for (const ns of namespaces) state.set(ns, await readNamespace(client, ns))
  return state
}

/** Margin around an entry's expiry within which nodes may legitimately disagree on it, ms. */
export const EXPIRY_MARGIN_MS = 2_000

/**
 * An entry whose expiry is this close to now is visible on some nodes and not on others: each
 * node judges expiry by its own (HLC) clock, so the window is the clock skew plus a margin.
 */
export interface ExpiryWindow { nowMs: number, uncertaintyMs: number }

const settled = (e: EntryView, w: ExpiryWindow | undefined): boolean =>
  w === undefined || e.expiresAtMs === 0 || Math.abs(e.expiresAtMs - w.nowMs) > w.uncertaintyMs

/** Canonical text of one namespace's state: equal strings = identical visible state. */
export function digest (entries: Map<string, EntryView>, window?: ExpiryWindow): string {
  return [...entries].filter(([, e]) => settled(e, window)).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([k, e]) => `${k}\u0000${e.version}\u0000${e.sha256}`).join('\n')
}

/** Nodes whose state differs from the most common one (0 = converged). */
export function divergentNodes (nodes: NodeState[], namespaces: string[], window?: ExpiryWindow): { count: number, details: string[] } {
  const keys = nodes.map(n => namespaces.map(ns => digest(n.get(ns) ?? new Map(), window)).join('\u0001'))
  const tally = new Map<string, number>()
  for (const k of keys) tally.set(k, (tally.get(k) ?? 0) + 1)
  const majority = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0]
  const details: string[] = []
  let count = 0
  keys.forEach((k, i) => {
    if (k === majority) return
    count++
    for (const ns of namespaces) {
      const mine = nodes[i].get(ns) ?? new Map()
      const ref = nodes[keys.indexOf(majority as string)].get(ns) ?? new Map()
      if (digest(mine, window) === digest(ref, window)) continue
      const missing = [...ref].filter(([key, e]) => settled(e, window) && !mine.has(key)).length
      const extra = [...mine].filter(([key, e]) => settled(e, window) && !ref.has(key)).length
      const differ = [...mine.keys()].filter(key => ref.has(key) && ref.get(key)?.version !== mine.get(key)?.version).length
      details.push(`node ${i} ${ns}: ${missing} missing, ${extra} extra, ${differ} at another version`)
    }
  })
  return { count, details: details.slice(0, MAX_DETAILS) }
}

function result (name: string, violations: string[]): CheckResult {
  return { name, ok: violations.length === 0, violations: violations.length, details: violations.slice(0, MAX_DETAILS) }
}

export const CHECKERS: Checker[] = [
  {
    name: 'convergence',
    check: (s) => {
      const d = divergentNodes(s.nodes, s.namespaces, { nowMs: s.readAtMs, uncertaintyMs: s.maxSkewMs + EXPIRY_MARGIN_MS })
      return { name: 'convergence', ok: d.count === 0, violations: d.count, details: d.details }
    }
  },
  {
    name: 'no lost acknowledged write',
    check: (s, h) => {
      const lost: string[] = []
      for (const [path, sha] of h.acked) {
        const slash = path.indexOf('/')
        const [ns, key] = [path.slice(0, slash), path.slice(slash + 1)]
        s.nodes.forEach((node, i) => {
          const e = node.get(ns)?.get(key)
          if (e === undefined) lost.push(`${path} missing on node ${i}`)
          else if (e.sha256 !== sha) lost.push(`${path} on node ${i} holds another value`)
        })
      }
      return result('no lost acknowledged write', lost)
    }
  },
  {
    name: 'no resurrected delete',
    check: (s, h) => {
      const back: string[] = []
      s.nodes.forEach((node, i) => {
        for (const key of node.get(NS.deletes)?.keys() ?? []) {
          if (h.deletedPrefixes.some(p => key.startsWith(p))) back.push(`${NS.deletes}/${key} visible on node ${i} after its prefix delete`)
        }
      })
      return result('no resurrected delete', back)
    }
  },
  {
    name: 'contended keys hold a written value',
    check: (s, h) => {
      const bad: string[] = []
      s.nodes.forEach((node, i) => {
        for (let k = 0; k < CONTENDED_KEYS; k++) {
          const e = node.get(NS.contended)?.get(`k${k}`)
          if (e !== undefined && h.attempted.get(`k${k}`)?.has(e.value) !== true) bad.push(`k${k} on node ${i} = "${e.value}", never written`)
        }
      })
      return result('contended keys hold a written value', bad)
    }
  },
  {
    name: 'restore puts the snapshot back',
    check: (s, h) => {
      const bad: string[] = []
      for (const [ns, expected] of h.restored) {
        if (expected === undefined) continue
        s.nodes.forEach((node, i) => {
          const state = node.get(ns) ?? new Map()
          const got = [...state].map(([k, e]) => `${k}=${e.sha256.slice(0, 8)}`).sort().join(',')
          const want = [...expected].map(([k, sha]) => `${k}=${sha.slice(0, 8)}`).sort().join(',')
          if (got !== want) bad.push(`${ns} on node ${i}: {${got}} instead of {${want}}`)
        })
      }
      return result('restore puts the snapshot back', bad)
    }
  },
  {
    name: 'expired TTL entries are gone',
    check: (s, h) => {
      const bad: string[] = []
      const cutoff = s.readAtMs - s.maxSkewMs - 2_000
      for (const t of h.ttl) {
        if (t.expiresAtMs > cutoff) continue
        s.nodes.forEach((node, i) => { if (node.get(NS.ttl)?.has(t.key) === true) bad.push(`${t.key} (expired at ${t.expiresAtMs}) visible on node ${i}`) })
      }
      return result('expired TTL entries are gone', bad)
    }
  },
  {
    name: 'monotonic reads per client and node',
    check: (_s, h) => result('monotonic reads per client and node', h.monotonicViolations)
  },
  {
    name: 'QUORUM never acks without a majority',
    check: (_s, h) => result('QUORUM never acks without a majority', h.quorum.falseAcks)
  }
]
