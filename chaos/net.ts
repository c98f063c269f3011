/**
 * Real network faults (root only): one network namespace per node, joined to a private bridge
 * by veth pairs, a /24 of our own. Faults are iptables rules INSIDE the receiving node's
 * namespace (so they vanish with it and never touch the host's tables), `tc tbf` caps on the
 * node's interface, and the host end of a veth set down/up. The host reaches every node over
 * a second bridge of its own (a management network, 10.232.x.0/24): workloads, the probe and
 * the checkers talk to every node on it, so a node whose cluster link is down, capped or lossy
 * is still observed as promptly as the others, and the faults touch node-to-node traffic only.
 *
 * Names carry the owner's pid (c<pid>…): leftovers of a crashed run are found and removed at
 * the next start, without touching a run that is still alive.
 */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { CleanupRegistry } from './cleanup.js'
import { faketimeObjects } from './cluster.js'

const exec = promisify(execFile)

/** Where namespaces of chaos runs are named from. */
export const NETNS_PREFIX = 'camos-chaos-'
const COMMENT_PREFIX = 'camos-chaos-'

export async function sh (cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec(cmd, args, { encoding: 'utf8' })
    return stdout
  } catch (err) {
    const e = err as { stderr?: string, message: string }
    throw new Error(`${cmd} ${args.join(' ')}: ${(e.stderr ?? e.message).trim()}`)
  }
}

async function has (cmd: string, args: string[]): Promise<boolean> {
  try {
    await exec(cmd, args)
    return true
  } catch {
    return false
  }
}

/** Why namespaces cannot be used here, or undefined when they can. */
export async function netnsUnavailable (): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not running as root'
  for (const [cmd, args] of [['ip', ['-V']], ['iptables', ['-V']], ['tc', ['-V']]] as const) {
    if (!await has(cmd, [...args])) return `${cmd} is not installed (apt-get install iproute2 iptables)`
  }
  // Root is not enough in some containers (no CAP_SYS_ADMIN, no nf_tables): try it for real.
  const probe = `${NETNS_PREFIX}${process.pid}-probe`
  try {
    await sh('ip', ['netns', 'add', probe])
    await sh('ip', ['netns', 'exec', probe, 'iptables', '-w', '-S'])
    return undefined
  } catch (err) {
    return `network namespaces or iptables unusable here: ${(err as Error).message.split('\n')[0]}`
  } finally {
    await sh('ip', ['netns', 'del', probe]).catch(() => {})
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Run directories are named camos-chaos-<pid>-…: how leftovers are told from a live run's. */
export const runDirPrefix = (pid = process.pid): string => `camos-chaos-${pid}-`

/**
 * Removes what chaos runs whose process is gone left behind: node processes (found by their
 * data dir in the run directory), namespaces, bridges, host rules (root only) and run dirs.
 */
export async function removeLeftovers (log: (line: string) => void): Promise<void> {
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    let cmdline = ''
    try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8') } catch { continue }
    const m = /camos-chaos-(\d+)-/.exec(cmdline)
    if (m === null || alive(Number(m[1])) || !cmdline.includes('camos.js')) continue
    try {
      process.kill(Number(pid), 'SIGKILL')
      log(`killed leftover node process ${pid} of chaos run ${m[1]}`)
    } catch {}
    for (const path of faketimeObjects(Number(pid))) rmSync(path, { force: true })
  }
  for (const name of readdirSync(tmpdir())) {
    const m = /^camos-chaos-(\d+)-/.exec(name)
    if (m === null || alive(Number(m[1]))) continue
    rmSync(join(tmpdir(), name), { recursive: true, force: true })
    log(`removed leftover run dir ${join(tmpdir(), name)}`)
  }
  if (process.getuid?.() !== 0) return
  const list = await sh('ip', ['netns', 'list']).catch(() => '')
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0]
    const m = new RegExp(`^${NETNS_PREFIX}(\\d+)-\\w+$`).exec(name)
    if (m === null || alive(Number(m[1]))) continue
    const pids = await sh('ip', ['netns', 'pids', name]).catch(() => '')
    for (const pid of pids.split('\n').filter(p => p !== '')) {
      try { process.kill(Number(pid), 'SIGKILL') } catch {}
    }
    await sh('ip', ['netns', 'del', name]).catch(() => {})
    log(`removed leftover namespace ${name} (${pids.split('\n').filter(p => p !== '').length} processes killed)`)
  }
  const links = await sh('ip', ['-o', 'link', 'show', 'type', 'bridge']).catch(() => '')
  for (const m of links.matchAll(/^\d+: (c(\d+)(?:br|mb)):/gm)) {
    if (alive(Number(m[2]))) continue
    await sh('ip', ['link', 'del', m[1]]).catch(() => {})
    log(`removed leftover bridge ${m[1]}`)
  }
  const rules = await sh('iptables', ['-w', '-S', 'FORWARD']).catch(() => '')
  for (const rule of rules.split('\n')) {
    const m = new RegExp(`--comment "?${COMMENT_PREFIX}(\\d+)"?`).exec(rule)
    if (m === null || alive(Number(m[1])) || !rule.startsWith('-A ')) continue
    await sh('iptables', ['-w', '-D', ...rule.slice(3).replace(/"/g, '').split(' ')]).catch(() => {})
    log(`removed leftover host rule: ${rule}`)
  }
}

export interface ChaosNetwork {
  readonly subnet: string
  readonly controlSubnet: string
  /** Address of node i on the cluster network (inside its namespace). */
  ip: (i: number) => string
  /** Address of node i on the management network, where the harness reaches it. */
  controlIp: (i: number) => string
  /** Command prefix that runs a program inside node i's namespace. */
  wrapper: (i: number) => string[]
  /** Drops every packet from `from` to `to` (one direction: TCP through it breaks both ways). */
  block: (from: number, to: number) => Promise<void>
  /** Drops a fraction of packets arriving at `to` from every other node (iptables statistic). */
  lossy: (to: number, probability: number) => Promise<void>
  /** Caps node i's outgoing bandwidth with a token bucket filter. */
  bandwidth: (i: number, kbit: number) => Promise<void>
  linkDown: (i: number) => Promise<void>
  /**
   * Removes the faults applied since the last heal (rules, caps, downed links), all at once:
   * convergence is timed from the end of this call, so it runs nothing else. Restoring every
   * node one after another took 0.1–0.6 s on a loaded 2-core host, and a node healed early in
   * that loop had part of its recovery hidden in it.
   */
  heal: () => Promise<void>
}

/** Builds the bridge and one namespace per node; everything is registered for cleanup. */
export async function createChaosNetwork (cleanup: CleanupRegistry, nodes: number): Promise<ChaosNetwork> {
  const pid = process.pid
  const subnet = `10.231.${(pid % 250) + 1}`
  const bridge = `c${pid}br`
  const controlSubnet = `10.232.${(pid % 250) + 1}`
  const controlBridge = `c${pid}mb`
  const controlIp = (i: number): string => `${controlSubnet}.${10 + i}`
  const ns = (i: number): string => `${NETNS_PREFIX}${pid}-${i}`
  const hostVeth = (i: number): string => `c${pid}h${i}`
  const ip = (i: number): string => `${subnet}.${10 + i}`
  const inNs = async (i: number, cmd: string, args: string[]): Promise<string> => await sh('ip', ['netns', 'exec', ns(i), cmd, ...args])

  for (const [name, net] of [[bridge, subnet], [controlBridge, controlSubnet]]) {
    await sh('ip', ['link', 'add', name, 'type', 'bridge'])
    cleanup.add(`bridge ${name}`, async () => { await sh('ip', ['link', 'del', name]) })
    await sh('ip', ['addr', 'add', `${net}.1/24`, 'dev', name])
    await sh('ip', ['link', 'set', name, 'up'])
  }
  // With br_netfilter loaded bridged packets cross the host's FORWARD chain: let ours through.
  // (-w everywhere: concurrent runs and other tools share the xtables lock.)
  const accept = ['FORWARD', '-i', bridge, '-o', bridge, '-m', 'comment', '--comment', `${COMMENT_PREFIX}${pid}`, '-j', 'ACCEPT']
  await sh('iptables', ['-w', '-I', ...accept])
  cleanup.add('host FORWARD rule', async () => { await sh('iptables', ['-w', '-D', ...accept]) })

  for (let i = 0; i < nodes; i++) {
    await sh('ip', ['netns', 'add', ns(i)])
    cleanup.add(`namespace ${ns(i)}`, async () => { await sh('ip', ['netns', 'del', ns(i)]) })
    await sh('ip', ['link', 'add', hostVeth(i), 'type', 'veth', 'peer', 'name', `c${pid}n${i}`])
    // Deleted before the namespace: a veth end inside a deleted namespace goes with it only when
    // the kernel gets round to it, and the next run of this process reuses the name.
    cleanup.add(`veth ${hostVeth(i)}`, async () => { await sh('ip', ['link', 'del', hostVeth(i)]) })
    await sh('ip', ['link', 'set', `c${pid}n${i}`, 'netns', ns(i)])
    await inNs(i, 'ip', ['link', 'set', `c${pid}n${i}`, 'name', 'eth0'])
    await inNs(i, 'ip', ['addr', 'add', `${ip(i)}/24`, 'dev', 'eth0'])
    await inNs(i, 'ip', ['link', 'set', 'eth0', 'up'])
    await inNs(i, 'ip', ['link', 'set', 'lo', 'up'])
    await sh('ip', ['link', 'set', hostVeth(i), 'master', bridge])
    await sh('ip', ['link', 'set', hostVeth(i), 'up'])
    await sh('ip', ['link', 'add', `c${pid}m${i}`, 'type', 'veth', 'peer', 'name', `c${pid}k${i}`])
    cleanup.add(`veth c${pid}m${i}`, async () => { await sh('ip', ['link', 'del', `c${pid}m${i}`]) })
    await sh('ip', ['link', 'set', `c${pid}k${i}`, 'netns', ns(i)])
    await inNs(i, 'ip', ['link', 'set', `c${pid}k${i}`, 'name', 'mgmt0'])
    await inNs(i, 'ip', ['addr', 'add', `${controlIp(i)}/24`, 'dev', 'mgmt0'])
    await inNs(i, 'ip', ['link', 'set', 'mgmt0', 'up'])
    await sh('ip', ['link', 'set', `c${pid}m${i}`, 'master', controlBridge])
    await sh('ip', ['link', 'set', `c${pid}m${i}`, 'up'])
  }

  const filtered = new Set<number>()
  const shaped = new Set<number>()
  const downed = new Set<number>()
  return {
    subnet: `${subnet}.0/24`,
    controlSubnet: `${controlSubnet}.0/24`,
    ip,
    controlIp,
    wrapper: i => ['ip', 'netns', 'exec', ns(i)],
    async block (from, to) {
      filtered.add(to)
      await inNs(to, 'iptables', ['-w', '-A', 'INPUT', '-s', ip(from), '-j', 'DROP'])
    },
    async lossy (to, probability) {
      filtered.add(to)
      for (let from = 0; from < nodes; from++) {
        if (from === to) continue
        await inNs(to, 'iptables', ['-w', '-A', 'INPUT', '-s', ip(from), '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP'])
      }
    },
    async bandwidth (i, kbit) {
      await inNs(i, 'tc', ['qdisc', 'replace', 'dev', 'eth0', 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '16kbit', 'latency', '200ms'])
      shaped.add(i)
    },
    async linkDown (i) {
      downed.add(i)
      await sh('ip', ['link', 'set', hostVeth(i), 'down'])
    },
    async heal () {
      const steps = [
        ...[...downed].map(async i => { await sh('ip', ['link', 'set', hostVeth(i), 'up']) }),
        ...[...filtered].map(async i => { await inNs(i, 'iptables', ['-w', '-F', 'INPUT']) }),
        ...[...shaped].map(async i => { await inNs(i, 'tc', ['qdisc', 'del', 'dev', 'eth0', 'root']).catch(() => {}) })
      ]
      downed.clear()
      filtered.clear()
      shaped.clear()
      await Promise.all(steps)
    }
  }
}
