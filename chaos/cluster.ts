/**
 * The chaos cluster: N real `camos start` processes, each in its own network namespace when
 * a ChaosNetwork is given (else on loopback), every one in chaos mode with its own fault-rules
 * file and clock-skew file. Process faults: SIGKILL + restart on the same data dir, SIGSTOP /
 * SIGCONT, a wiped data dir; clock skew through libfaketime, changed at runtime.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createKernelClient, type KernelClient } from '../node/client.js'
import { CHAOS_ENV, type LinkFaults } from '../transport/faults.js'
import { freePort, startNodeProcess, type NodeProcess } from './node-process.js'
import type { ChaosNetwork } from './net.js'
import type { CleanupRegistry } from './cleanup.js'

/** libfaketime's preload library (Debian: apt-get install libfaketime). */
export const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1'
/**
 * What libfaketime leaves of a process in /dev/shm: a semaphore and a shared memory object
 * named by its pid. Only the process that created them removes them, and only when it exits
 * normally. Under `ip netns exec` the creator is `ip`, which execs the node (same pid) and so
 * never exits; a SIGKILL skips it as well. The harness removes them when the node is gone.
 */
export function faketimeObjects (pid: number): string[] {
  return [`/dev/shm/sem.faketime_sem_${pid}`, `/dev/shm/faketime_shm_${pid}`]
}
/** Per-call deadline of the harness's clients: a paused node must not stall a workload for long. */
export const CHAOS_CALL_TIMEOUT_MS = 2_000
/** grpc-js shares one connection among the clients of an address unless a client is given this. */
export const OWN_CONNECTION = { 'grpc.use_local_subchannel_pool': 1 }
const RULES_APPLIED_TIMEOUT_MS = 5_000
const CLUSTER = 'chaos'

export interface ChaosClusterInit {
  nodes: number
  runDir: string
  seed: number
  secret: string
  /** Sync engine anti-entropy period; a huge value disables it (proves the suite can fail). */
  antiEntropyMs?: number
  /** False turns the sync engine's requests for lost updates off (with the above: no repair). */
  gapRepair?: boolean
  network?: ChaosNetwork
  onLog?: (node: number, line: string) => void
}

/** 'crashed': the process exited without the harness asking it to (a finding in itself). */
export type NodeStatus = 'up' | 'killed' | 'paused' | 'stopped' | 'crashed'

export interface NodeCrash {
  node: number
  at: string
  code: number | null
  signal: string | null
  /** The node's last output lines (the stack trace, normally). */
  output: string[]
}

export interface ChaosCluster {
  readonly size: number
  readonly skewAvailable: boolean
  status: (i: number) => NodeStatus
  /** A client of node i's current incarnation (calls time out after CHAOS_CALL_TIMEOUT_MS). */
  client: (i: number) => KernelClient
  /**
   * The same on a connection of its own, for the latency probe: on the shared one, its write
   * and the Observe events that time it would queue behind the workloads' calls and the state
   * mirror's events (one HTTP/2 connection per node, in order at both ends).
   */
  probeClient: (i: number) => KernelClient
  peerId: (i: number) => string
  /** Node i's HTTP address (host:port): /metrics, /readyz. */
  httpAddress: (i: number) => string
  /** The process id of node i's current incarnation; undefined while it is not running. */
  pid: (i: number) => number | undefined
  start: () => Promise<void>
  kill: (i: number) => Promise<void>
  /**
   * Starts node i again on its data dir and waits until it applied its rules file; `onServing`
   * runs as soon as it serves (before that wait), e.g. to open the harness's streams to it.
   */
  restart: (i: number, onServing?: () => void) => Promise<void>
  pause: (i: number) => void
  resume: (i: number) => void
  /** Kills node i and deletes its data dir (identity included); restart() brings it back empty. */
  wipe: (i: number) => Promise<void>
  /** Fault-layer rules of node i's outgoing links (key: target node index, or '*'). */
  setFaults: (i: number, links: Record<string, LinkFaults>) => Promise<void>
  skew: (i: number, seconds: number) => void
  crashes: () => NodeCrash[]
  stop: () => Promise<void>
}

interface Slot {
  dataDir: string
  rulesFile: string
  skewFile: string
  grpc: string
  http: string
  p2p: string
  proc: NodeProcess | undefined
  client: KernelClient | undefined
  probeClient: KernelClient | undefined
  status: NodeStatus
  peerId: string
  generation: number
  /** The harness is stopping or killing this process: its exit is not a crash. */
  exiting: boolean
  tail: string[]
  applied: number
  waiters: Array<() => void>
}

export async function createChaosCluster (cleanup: CleanupRegistry, init: ChaosClusterInit): Promise<ChaosCluster> {
  const { network } = init
  const skewAvailable = existsSync(FAKETIME_LIB)
  const slots: Slot[] = []
  const crashes: NodeCrash[] = []
  for (let i = 0; i < init.nodes; i++) {
    const dir = join(init.runDir, `node-${i}`)
    mkdirSync(dir, { recursive: true })
    const host = network?.ip(i) ?? '127.0.0.1'
    const control = network?.controlIp(i) ?? '127.0.0.1'
    const port = async (fixed: number): Promise<number> => network === undefined ? await freePort() : fixed
    slots.push({
      dataDir: join(dir, 'data'),
      rulesFile: join(dir, 'chaos.json'),
      skewFile: join(dir, 'skew'),
      grpc: `${control}:${await port(50051)}`,
      http: `${control}:${await port(8080)}`,
      p2p: `/ip4/${host}/tcp/${await port(4001)}`,
      proc: undefined,
      client: undefined,
      probeClient: undefined,
      status: 'stopped',
      peerId: '',
      generation: 0,
      applied: 0,
      exiting: false,
      tail: [],
      waiters: []
    })
    writeSkew(slots[i], 0)
  }

  function writeRules (slot: Slot, links: Record<string, LinkFaults>): void {
    slot.generation++
    const tmp = slot.rulesFile + '.tmp'
    writeFileSync(tmp, JSON.stringify({ generation: slot.generation, seed: init.seed, antiEntropyMs: init.antiEntropyMs, gapRepair: init.gapRepair, links }))
    renameSync(tmp, slot.rulesFile)
  }
  function writeSkew (slot: Slot, seconds: number): void {
    writeFileSync(slot.skewFile + '.tmp', `${seconds >= 0 ? '+' : ''}${seconds}s\n`)
    renameSync(slot.skewFile + '.tmp', slot.skewFile)
  }
  const knownLinks = slots.map(() => ({} as Record<string, LinkFaults>))
  for (const s of slots) writeRules(s, {})

  async function launch (i: number): Promise<void> {
    const slot = slots[i]
    const others = slots.filter((s, j) => j !== i && s.peerId !== '').map(s => `${s.p2p}/p2p/${s.peerId}`)
    const env: Record<string, string> = { [CHAOS_ENV]: '1' }
    if (skewAvailable) {
      Object.assign(env, { LD_PRELOAD: FAKETIME_LIB, FAKETIME_TIMESTAMP_FILE: slot.skewFile, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' })
    }
    slot.applied = 0
    const proc = await startNodeProcess({
      dataDir: slot.dataDir,
      grpcAddress: slot.grpc,
      httpAddress: slot.http,
      wrapper: network?.wrapper(i),
      env,
      args: ['--cluster', CLUSTER, '--cluster-secret', init.secret, '--p2p', slot.p2p, '--chaos-control', slot.rulesFile,
        '--log-level', 'info', '--shutdown-timeout', '3000', ...others.flatMap(a => ['--join', a])],
      onOutput: line => {
        const m = /chaos rules applied \{"generation":(\d+)/.exec(line)
        if (m !== null) {
          slot.applied = Math.max(slot.applied, Number(m[1]))
          for (const w of slot.waiters.splice(0)) w()
        }
        slot.tail.push(line)
        if (slot.tail.length > 40) slot.tail.shift()
        init.onLog?.(i, line)
      }
    })
    slot.proc = proc
    slot.exiting = false
    const pid = proc.process.pid
    proc.process.once('exit', (code, signal) => {
      if (skewAvailable && pid !== undefined) for (const path of faketimeObjects(pid)) rmSync(path, { force: true })
      if (slot.proc !== proc || slot.exiting) return
      slot.status = 'crashed'
      slot.proc = undefined
      closeClient(slot)
      crashes.push({ node: i, at: new Date().toISOString(), code, signal, output: [...slot.tail] })
      for (const w of slot.waiters.splice(0)) w()
    })
    slot.peerId = proc.peerId
    slot.status = 'up'
    slot.client = createKernelClient({ address: slot.grpc, timeoutMs: CHAOS_CALL_TIMEOUT_MS })
    slot.probeClient = createKernelClient({ address: slot.grpc, timeoutMs: CHAOS_CALL_TIMEOUT_MS, channelOptions: OWN_CONNECTION })
    cleanup.add(`node ${i} (pid ${String(proc.process.pid)})`, async () => {
      if (proc.process.exitCode === null && proc.process.signalCode === null) {
        proc.process.kill('SIGCONT')
        await proc.kill()
      }
    })
  }

  function closeClient (slot: Slot): void {
    slot.client?.close()
    slot.probeClient?.close()
    slot.client = undefined
    slot.probeClient = undefined
  }

  async function kill (i: number): Promise<void> {
    const slot = slots[i]
    // Marked first: workloads and the probe pick nodes by status while the kill is under way.
    slot.status = 'killed'
    closeClient(slot)
    slot.exiting = true
    await slot.proc?.kill()
    slot.proc = undefined
  }

  async function waitApplied (slot: Slot, generation: number): Promise<void> {
    const deadline = Date.now() + RULES_APPLIED_TIMEOUT_MS
    while (slot.status === 'up' && slot.applied < generation) {
      if (Date.now() > deadline) throw new Error(`fault rules generation ${generation} not applied within ${RULES_APPLIED_TIMEOUT_MS} ms`)
      await new Promise<void>(resolve => {
        const t = setTimeout(resolve, 100)
        slot.waiters.push(() => { clearTimeout(t); resolve() })
      })
    }
  }

  function resume (i: number): void {
    const slot = slots[i]
    if (slot.status !== 'paused') return
    slot.proc?.process.kill('SIGCONT')
    slot.status = 'up'
  }

  function current (i: number, client: KernelClient | undefined): KernelClient {
    if (client === undefined) throw new Error(`node ${i} is ${slots[i].status}`)
    return client
  }

  const links = (i: number): Record<string, LinkFaults> => Object.fromEntries(Object.entries(knownLinks[i]).map(([k, v]) => [k === '*' ? '*' : slots[Number(k)].peerId, v]))

  return {
    size: init.nodes,
    skewAvailable,
    status: i => slots[i].status,
    client: i => current(i, slots[i].client),
    probeClient: i => current(i, slots[i].probeClient),
    peerId: i => slots[i].peerId,
    httpAddress: i => slots[i].http,
    pid: i => slots[i].proc?.process.pid,
    async start () {
      // The first node starts alone; the others join it (and later, everyone known).
      await launch(0)
      await Promise.all(slots.slice(1).map(async (_, j) => { await launch(j + 1) }))
    },
    kill,
    async restart (i, onServing) {
      if (slots[i].status === 'paused') resume(i)
      if (slots[i].status === 'up') return
      await launch(i)
      onServing?.()
      // A restarted node may have a new peer id (wiped): every rules file names it again.
      for (let j = 0; j < slots.length; j++) if (j !== i && Object.keys(knownLinks[j]).length > 0) writeRules(slots[j], links(j))
      writeRules(slots[i], links(i))
      await waitApplied(slots[i], slots[i].generation)
    },
    pause (i) {
      const slot = slots[i]
      if (slot.status !== 'up') return
      slot.proc?.process.kill('SIGSTOP')
      slot.status = 'paused'
    },
    resume,
    async wipe (i) {
      await kill(i)
      rmSync(slots[i].dataDir, { recursive: true, force: true })
    },
    async setFaults (i, l) {
      knownLinks[i] = l
      const slot = slots[i]
      writeRules(slot, links(i))
      await waitApplied(slot, slot.generation)
    },
    skew (i, seconds) { writeSkew(slots[i], seconds) },
    crashes: () => crashes,
    async stop () {
      await Promise.all(slots.map(async (slot) => {
        closeClient(slot)
        if (slot.proc === undefined) return
        slot.proc.process.kill('SIGCONT')
        slot.exiting = true
        await slot.proc.stop()
        slot.proc = undefined
        slot.status = 'stopped'
      }))
    }
  }
}
