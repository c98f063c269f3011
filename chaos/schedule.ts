/**
 * Profiles and the fault schedule. The schedule is a pure function of (profile, seed): the same
 * seed always prints and runs the same rounds, which is what makes a failure replayable.
 */
import { createSeededRng } from '../transport/faults.js'
import { DEFAULT_DOWN_AFTER_MS } from '../transport/membership.js'

export type FaultStep =
  | { kind: 'clean' }
  | { kind: 'latency', delayMs: number, jitterMs: number }
  | { kind: 'lossy', loss: number, duplicate: number, reorder: number }
  | { kind: 'partition', shape: 'majority-minority' | 'symmetric' | 'isolate', groups: number[][] }
  | { kind: 'one-way', from: number, to: number }
  | { kind: 'bridge', left: number[], right: number[], bridge: number }
  | { kind: 'bandwidth', node: number, kbit: number }
  | { kind: 'packet-loss', node: number, probability: number }
  | { kind: 'link-down', node: number }
  | { kind: 'kill', node: number }
  | { kind: 'pause', node: number }
  | { kind: 'wipe', node: number }
  | { kind: 'skew', node: number, seconds: number }

export type FaultKind = FaultStep['kind']

/** Faults made with namespaces, iptables and tc: root only. */
export const NETWORK_FAULTS: ReadonlySet<FaultKind> = new Set(['partition', 'one-way', 'bridge', 'bandwidth', 'packet-loss', 'link-down'])

/**
 * A symmetric partition lasts at least this long, ms: past membership's down time, so each
 * side has seen the other go down and QUORUM writes are tested against a view that lost the
 * far side (a node that counted only the members it still heard from acked with a minority).
 */
export const PARTITION_MIN_DWELL_MS = DEFAULT_DOWN_AFTER_MS + 2_000

export interface Round {
  index: number
  fault: FaultStep
  dwellMs: number
}

export interface Profile {
  name: string
  nodes: number
  rounds: number
  dwellMs: number
  /**
   * Unfaulted workload after node processes start, reported as "warm-up": before the first round,
   * and after a round that restarted a node (counted from the restart), so that no round is
   * measured while a fresh process is still compiling its hot paths.
   */
  warmupMs: number
  /** Fault kinds drawn from; the first rounds cover every kind once (seeded order). */
  kinds: FaultKind[]
  /** Concurrent workload clients and the pause between one client's operations, ms. */
  clients: number
  paceMs: number
  /** How long the cluster may take to converge after a heal before it counts as divergent. */
  convergeBoundMs: number
  /** Seeds one run covers, one after another from the given one (S, S+1, …), each on a fresh cluster. */
  seeds: number
}

export const FAULT_KINDS: FaultKind[] = ['clean', 'latency', 'lossy', 'partition', 'one-way', 'bridge', 'bandwidth', 'packet-loss', 'link-down', 'kill', 'pause', 'wipe', 'skew']

export const PROFILES: Record<string, Profile> = {
  /** Under a minute: what `npm test` runs to keep the harness itself working. */
  smoke: { name: 'smoke', nodes: 3, rounds: 6, dwellMs: 1_500, warmupMs: 3_000, kinds: ['clean', 'latency', 'kill', 'lossy', 'partition', 'pause'], clients: 3, paceMs: 30, convergeBoundMs: 20_000, seeds: 1 },
  /** ≤ 8 minutes, 5 nodes, every fault kind at least twice. */
  ci: { name: 'ci', nodes: 5, rounds: 30, dwellMs: 4_000, warmupMs: 15_000, kinds: FAULT_KINDS, clients: 4, paceMs: 40, convergeBoundMs: 15_000, seeds: 1 },
  /** Fault-layer loss only: with anti-entropy disabled it must end divergent (the suite can fail). */
  lossy: { name: 'lossy', nodes: 3, rounds: 2, dwellMs: 2_000, warmupMs: 1_000, kinds: ['lossy'], clients: 3, paceMs: 20, convergeBoundMs: 5_000, seeds: 1 },
  /** ≥ 30 minutes, 7 nodes, three seeds of 62 rounds of 10 s (over 10 minutes each). */
  long: { name: 'long', nodes: 7, rounds: 62, dwellMs: 10_000, warmupMs: 15_000, kinds: FAULT_KINDS, clients: 6, paceMs: 40, convergeBoundMs: 30_000, seeds: 3 }
}

/** What `--kinds`, `--rounds`, `--clients` and `--seeds` change of a profile. */
export interface ProfileOverrides {
  kinds?: FaultKind[]
  rounds?: number
  /** Workload clients (0: only the latency probe writes, e.g. to see the host's own latency). */
  clients?: number
  seeds?: number
}

/** A profile narrowed to some fault kinds, a number of rounds, of workload clients and/or of seeds. */
export function narrowProfile (profile: Profile, over: ProfileOverrides): Profile {
  return { ...profile, kinds: over.kinds ?? profile.kinds, rounds: over.rounds ?? profile.rounds, clients: over.clients ?? profile.clients, seeds: over.seeds ?? profile.seeds }
}

/** The seeds a run of this profile from `seed` covers, in order. */
export function runSeeds (profile: Profile, seed: number): number[] {
  return Array.from({ length: profile.seeds }, (_, i) => seed + i)
}

/** The command that replays a run: seed and profile, and the narrowing options if any. */
export function replayCommand (profile: string, seed: number, over: ProfileOverrides = {}): string {
  return `npm run chaos -- --seed ${seed} --profile ${profile}` +
    (over.kinds === undefined ? '' : ` --kinds ${over.kinds.join(',')}`) + (over.rounds === undefined ? '' : ` --rounds ${over.rounds}`) +
    (over.clients === undefined ? '' : ` --clients ${over.clients}`) + (over.seeds === undefined ? '' : ` --seeds ${over.seeds}`)
}

/** Parses `--kinds a,b`: every name must be a fault kind. */
export function parseKinds (text: string): FaultKind[] {
  const kinds = text.split(',').map(k => k.trim()).filter(k => k !== '')
  const unknown = kinds.filter(k => !(FAULT_KINDS as string[]).includes(k))
  if (kinds.length === 0 || unknown.length > 0) {
    throw new Error(`--kinds: ${kinds.length === 0 ? 'no fault kind given' : `unknown fault kind ${unknown.map(k => `"${k}"`).join(', ')}`}; the kinds are ${FAULT_KINDS.join(', ')}`)
  }
  return kinds as FaultKind[]
}

export function buildSchedule (profile: Profile, seed: number): Round[] {
  const rng = createSeededRng(seed)
  const int = (n: number): number => Math.floor(rng() * n)
  const shuffled = <T>(items: T[]): T[] => {
    const a = [...items]
    for (let i = a.length - 1; i > 0; i--) {
      const j = int(i + 1)
      const t = a[i]
      a[i] = a[j]
      a[j] = t
    }
    return a
  }
  const n = profile.nodes
  const nodes = Array.from({ length: n }, (_, i) => i)
  const order = [...shuffled(profile.kinds), ...shuffled(profile.kinds)]

  function step (kind: FaultKind): FaultStep {
    switch (kind) {
      case 'clean': return { kind }
      case 'latency': return { kind, delayMs: 20, jitterMs: 10 }
      case 'lossy': return { kind, loss: (10 + int(20)) / 100, duplicate: 0.05, reorder: 0.05 }
      case 'partition': {
        const s = shuffled(nodes)
        const shape = (['majority-minority', 'symmetric', 'isolate'] as const)[int(3)]
        const cut = shape === 'isolate' ? 1 : shape === 'majority-minority' ? Math.floor(n / 2) : 1 + int(n - 1)
        return { kind, shape, groups: [s.slice(0, cut).sort(), s.slice(cut).sort()] }
      }
      case 'one-way': {
        const [from, to] = shuffled(nodes)
        return { kind, from, to }
      }
      case 'bridge': {
        const [bridge, ...rest] = shuffled(nodes)
        const cut = Math.max(1, Math.floor(rest.length / 2))
        return { kind, bridge, left: rest.slice(0, cut).sort(), right: rest.slice(cut).sort() }
      }
      case 'bandwidth': return { kind, node: int(n), kbit: 256 + int(4) * 256 }
      case 'packet-loss': return { kind, node: int(n), probability: (2 + int(3)) / 10 }
      case 'link-down': return { kind, node: int(n) }
      case 'kill': return { kind, node: int(n) }
      case 'pause': return { kind, node: int(n) }
      case 'wipe': return { kind, node: int(n) }
      case 'skew': return { kind, node: int(n), seconds: (rng() < 0.5 ? -1 : 1) * (5 + int(115)) }
    }
  }

  return Array.from({ length: profile.rounds }, (_, index) => {
    const fault = step(order[index] ?? profile.kinds[int(profile.kinds.length)])
    return { index, fault, dwellMs: fault.kind === 'partition' ? Math.max(profile.dwellMs, PARTITION_MIN_DWELL_MS) : profile.dwellMs }
  })
}

export function describeFault (f: FaultStep): string {
  switch (f.kind) {
    case 'clean': return 'clean (no fault: baseline propagation)'
    case 'latency': return `latency ${f.delayMs} ± ${f.jitterMs} ms on every link (fault layer)`
    case 'lossy': return `fault layer: loss ${f.loss.toFixed(2)}, duplicate ${f.duplicate}, reorder ${f.reorder} on every link`
    case 'partition': return `partition ${f.shape} ${f.groups.map(g => `{${g.join(',')}}`).join(' | ')} (iptables)`
    case 'one-way': return `one-way partition: ${f.from} → ${f.to} dropped (iptables)`
    case 'bridge': return `non-transitive bridge: {${f.left.join(',')}} ↔ ${f.bridge} ↔ {${f.right.join(',')}}, left ↮ right (iptables)`
    case 'bandwidth': return `bandwidth cap ${f.kbit} kbit/s on node ${f.node} (tc tbf)`
    case 'packet-loss': return `packet loss ${f.probability} into node ${f.node} (iptables statistic)`
    case 'link-down': return `link down on node ${f.node}`
    case 'kill': return `SIGKILL node ${f.node} mid-round, restart on the same data dir at heal`
    case 'pause': return `SIGSTOP node ${f.node}, SIGCONT at heal`
    case 'wipe': return `wipe node ${f.node}'s data dir (new identity), restart at heal`
    case 'skew': return `clock skew ${f.seconds > 0 ? '+' : ''}${f.seconds} s on node ${f.node} (libfaketime)`
  }
}

export function describeSchedule (profile: Profile, seed: number, rounds: Round[], replay = replayCommand(profile.name, seed)): string {
  return [
    `chaos profile ${profile.name}, seed ${seed}: ${profile.nodes} nodes, ${rounds.length} rounds of ${profile.dwellMs} ms, ${profile.clients} workload clients`,
    `replay: ${replay}`,
    ...rounds.map(r => `  round ${String(r.index).padStart(3)}: ${describeFault(r.fault)}${r.dwellMs === profile.dwellMs ? '' : `, for ${r.dwellMs} ms`}`)
  ].join('\n')
}
