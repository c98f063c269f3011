/**
 * Workloads: concurrent clients that call random nodes through the public gRPC API and record
 * what was acknowledged, so the checkers can hold the cluster to it afterwards. An operation
 * that fails or times out is "indeterminate" (it may or may not have happened) and is never
 * held against the cluster; an acknowledged one always is.
 */
import { createHash } from 'node:crypto'
import { KernelCallError } from '../node/client.js'
import type { ChaosCluster } from './cluster.js'

export const NS = { unique: 'chaos-unique', contended: 'chaos-contended', deletes: 'chaos-deletes', ttl: 'chaos-ttl', quorum: 'chaos-quorum' } as const
export const CONTENDED_KEYS = 5
const BATCH_KEYS = 5
const UNIMPLEMENTED = 12

export const snapshotNamespace = (node: number): string => `chaos-snap-${node}`

export interface History {
  ops: Record<string, { ok: number, failed: number }>
  /** Acknowledged unique-key writes: namespace/key → sha256 of the value. */
  acked: Map<string, string>
  /** Every value ever sent to a contended key (acked or not). */
  attempted: Map<string, Set<string>>
  deletedPrefixes: string[]
  /** Snapshot namespace → the state its last acknowledged restore put back (undefined: unknown). */
  restored: Map<string, Map<string, string> | undefined>
  ttl: Array<{ key: string, expiresAtMs: number }>
  monotonicViolations: string[]
  quorum: { supported: boolean | undefined, acked: number, failed: number, falseAcks: string[] }
}

export function createHistory (): History {
  return {
    ops: {},
    acked: new Map(),
    attempted: new Map(),
    deletedPrefixes: [],
    restored: new Map(),
    ttl: [],
    monotonicViolations: [],
    quorum: { supported: undefined, acked: 0, failed: 0, falseAcks: [] }
  }
}

export const sha256 = (value: Buffer): string => createHash('sha256').update(value).digest('hex')

export interface Workloads {
  resume: () => void
  /** Stops issuing operations and resolves when none is in flight. */
  pause: () => Promise<void>
  /** Forgets what a client read from node i (its data dir was wiped: reads may legally go back). */
  wiped: (i: number) => void
  stop: () => Promise<void>
}

export interface WorkloadsInit {
  clients: number
  paceMs: number
  rng: () => number
}

export function createWorkloads (cluster: ChaosCluster, history: History, init: WorkloadsInit): Workloads {
  const { rng } = init
  const int = (n: number): number => Math.floor(rng() * n)
  let running = true
  let paused = true
  let inFlight = 0
  let idle: Array<() => void> = []
  let wake: Array<() => void> = []
  let seq = 0
  const epoch = new Array<number>(cluster.size).fill(0)
  const lastRead = new Map<string, string>()
  const snapBusy = new Set<number>()

  const count = (op: string, ok: boolean): void => {
    const c = history.ops[op] ??= { ok: 0, failed: 0 }
    if (ok) c.ok++
    else c.failed++
  }
  const anyNode = (): number | undefined => {
    const up = Array.from({ length: cluster.size }, (_, i) => i).filter(i => cluster.status(i) === 'up' || cluster.status(i) === 'paused')
    return up.length === 0 ? undefined : up[int(up.length)]
  }
  async function attempt<T> (op: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await fn()
      count(op, true)
      return result
    } catch {
      count(op, false)
      return undefined
    }
  }
  const remember = async (node: number, namespace: string, key: string, value: Buffer, extra: Record<string, unknown> = {}): Promise<any> =>
    await cluster.client(node).call('Remember', { namespace, key, value, ...extra })

  const ops: Array<[number, (client: number) => Promise<void>]> = [
    [40, async client => {
      const node = anyNode()
      if (node === undefined) return
      const key = `c${client}-${seq++}`
      const value = Buffer.from(`${key}@${node}:${rng().toString(36).slice(2)}`)
      const ok = await attempt('unique write', async () => await remember(node, NS.unique, key, value))
      if (ok !== undefined) history.acked.set(`${NS.unique}/${key}`, sha256(value))
    }],
    [20, async client => {
      const node = anyNode()
      if (node === undefined) return
      const key = `k${int(CONTENDED_KEYS)}`
      const value = `${client}:${seq++}`
      const set = history.attempted.get(key) ?? new Set<string>()
      history.attempted.set(key, set.add(value))
      await attempt('contended write', async () => await remember(node, NS.contended, key, Buffer.from(value)))
    }],
    [20, async client => {
      const node = anyNode()
      if (node === undefined) return
      const key = `k${int(CONTENDED_KEYS)}`
      const entry = await attempt('read', async () => (await cluster.client(node).call('Recall', { namespace: NS.contended, key })).entry)
      if (entry === undefined) return
      const slot = `${client}/${node}/${epoch[node]}/${key}`
      const last = lastRead.get(slot)
      if (last !== undefined && entry.version < last) history.monotonicViolations.push(`client ${client} on node ${node}: ${key} read ${String(entry.version)} after ${last}`)
      if (last === undefined || entry.version > last) lastRead.set(slot, entry.version)
    }],
    [6, async () => {
      const node = anyNode()
      if (node === undefined) return
      const prefix = `b${seq++}/`
      for (let j = 0; j < BATCH_KEYS; j++) {
        if (await attempt('batch write', async () => await remember(node, NS.deletes, `${prefix}${j}`, Buffer.from(`${j}`))) === undefined) return
      }
      const done = await attempt('prefix delete', async () => await cluster.client(node).call('Forget', { namespace: NS.deletes, prefix }))
      if (done !== undefined) history.deletedPrefixes.push(prefix)
    }],
    [6, async () => {
      const node = anyNode()
      if (node === undefined) return
      const key = `t${seq++}`
      const res = await attempt('ttl write', async () => await remember(node, NS.ttl, key, Buffer.from(key), { ttlMs: 500 + int(1500) }))
      if (res !== undefined) history.ttl.push({ key, expiresAtMs: Number(res.expiresAtMs) })
    }],
    [3, async () => {
      const node = anyNode()
      if (node === undefined || snapBusy.has(node)) return
      snapBusy.add(node)
      try { await snapshotRestore(node) } finally { snapBusy.delete(node) }
    }],
    [5, async () => {
      if (history.quorum.supported === false) return
      const node = anyNode()
      if (node === undefined) return
      await quorumWrite(node)
    }]
  ]
  const totalWeight = ops.reduce((s, [w]) => s + w, 0)

  /** Writes, snapshots, changes, restores; all on the namespace's own node (see DESIGN: a restore only knows what its node knows). */
  async function snapshotRestore (node: number): Promise<void> {
    const namespace = snapshotNamespace(node)
    const id = seq++
    const before = new Map(Array.from({ length: 3 }, (_, j) => [`s${j}`, `v${id}-${j}`]))
    // Any failure from here on leaves the namespace in an unknown state until the next restore.
    history.restored.set(namespace, undefined)
    const c = cluster.client(node)
    if (await attempt('snapshot clear', async () => await c.call('Forget', { namespace, prefixAll: true })) === undefined) return
    for (const [key, value] of before) {
      if (await attempt('snapshot write', async () => await remember(node, namespace, key, Buffer.from(value))) === undefined) return
    }
    if (await attempt('snapshot', async () => await c.call('ContextSnapshot', { namespace, name: `snap-${id}` })) === undefined) return
    if (await attempt('snapshot write', async () => await remember(node, namespace, 's0', Buffer.from('changed'))) === undefined) return
    if (await attempt('snapshot write', async () => await remember(node, namespace, `extra${id}`, Buffer.from('extra'))) === undefined) return
    if (await attempt('restore', async () => await c.call('ContextRestore', { namespace, name: `snap-${id}` })) === undefined) return
    history.restored.set(namespace, new Map([...before].map(([k, v]) => [k, sha256(Buffer.from(v))])))
  }

  async function quorumWrite (node: number): Promise<void> {
    const key = `q${seq++}`
    const value = Buffer.from(key)
    try {
      await remember(node, NS.quorum, key, value, { durability: 'DURABILITY_QUORUM' })
    } catch (err) {
      if (err instanceof KernelCallError && err.grpcCode === UNIMPLEMENTED) {
        history.quorum.supported = false
        return
      }
      history.quorum.supported = true
      history.quorum.failed++
      count('quorum write', false)
      return
    }
    history.quorum.supported = true
    history.quorum.acked++
    count('quorum write', true)
    history.acked.set(`${NS.quorum}/${key}`, sha256(value))
    // Never a false ack: right after it, a majority must hold the write (unreachable nodes get the benefit of the doubt).
    let holders = 0
    let unknown = 0
    await Promise.all(Array.from({ length: cluster.size }, async (_, i) => {
      try {
        await cluster.client(i).call('Recall', { namespace: NS.quorum, key }, { timeoutMs: 1_000 })
        holders++
      } catch (err) {
        if (!(err instanceof KernelCallError && err.errorCode === 'CAMOS_ERR_KEY_NOT_FOUND')) unknown++
      }
    }))
    if (holders + unknown < Math.floor(cluster.size / 2) + 1) history.quorum.falseAcks.push(`${key} acked by node ${node}, held by ${holders} of ${cluster.size}`)
  }

  async function client (id: number): Promise<void> {
    while (running) {
      if (paused) {
        await new Promise<void>(resolve => wake.push(resolve))
        continue
      }
      let pick = rng() * totalWeight
      const op = ops.find(([w]) => (pick -= w) < 0) ?? ops[0]
      inFlight++
      try {
        await op[1](id)
      } catch {
        // The node went away between picking it and calling it (killed, crashed): nothing was acknowledged.
      } finally {
        inFlight--
        if (inFlight === 0) for (const r of idle.splice(0)) r()
      }
      await new Promise(resolve => setTimeout(resolve, init.paceMs))
    }
  }

  const loops = Array.from({ length: init.clients }, async (_, i) => { await client(i) })

  async function pause (): Promise<void> {
    paused = true
    if (inFlight > 0) await new Promise<void>(resolve => idle.push(resolve))
  }

  return {
    resume () {
      paused = false
      for (const w of wake.splice(0)) w()
    },
    pause,
    wiped (i) { epoch[i]++ },
    async stop () {
      running = false
      await pause()
      for (const w of wake.splice(0)) w()
      await Promise.all(loops)
      idle = []
      wake = []
    }
  }
}
