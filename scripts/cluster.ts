/**
 * `npm run cluster -- --nodes N [--base-dir dir] [--cluster name] [--secret s]`: a local
 * cluster of N real `camos start` processes on free ports. Node 1 starts first; each next node
 * is given only the previous one with --join, so finding the rest exercises DHT discovery.
 * Prints every node's endpoints and example calls, waits until each node sees the other N-1
 * members alive, and on Ctrl-C / SIGTERM stops every node with SIGTERM and waits for it.
 *
 * Data dirs are <base>/node-<i>, logs <base>/node-<i>.log. Without --base-dir the base is a
 * temporary directory removed on exit; a given base dir is kept (a second run on it restarts
 * the same nodes, same peer ids, same data). Exit code: 0 when every node stopped cleanly,
 * 1 when one failed to start, died on its own or did not stop cleanly, 2 on a usage error.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { camosBin, startNodeProcess, type NodeProcess } from '../chaos/node-process.js'
import type { ClusterStatusResponse__Output } from '../proto/gen/camos/v1/ClusterStatusResponse.js'

export const DEFAULT_CLUSTER_NAME = 'local'
/** Bound on waiting for every node to see every other one alive, ms. */
export const DEFAULT_MESH_TIMEOUT_MS = 60_000
/** Bound on one node's graceful stop before it is killed, ms (camos itself bounds at 10 s). */
export const DEFAULT_STOP_TIMEOUT_MS = 15_000
/** Poll interval of the mesh check, ms. */
export const MESH_POLL_MS = 50
export const MAX_NODES = 32

const USAGE = `usage: npm run cluster -- --nodes N [--base-dir dir] [--cluster name] [--secret s]

  --nodes N        number of nodes (1-${MAX_NODES})
  --base-dir dir   data dirs and logs go under dir (kept); default a temp dir removed on exit
  --cluster name   cluster name; default ${DEFAULT_CLUSTER_NAME}
  --secret s       cluster secret; default a random one, printed
`

interface Options { nodes: number, baseDir: string | undefined, cluster: string, secret: string }

class UsageError extends Error {}

function parseOptions (argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: 'string' },
      'base-dir': { type: 'string' },
      cluster: { type: 'string' },
      secret: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  })
  if (values.help === true) return undefined
  const nodes = Number(values.nodes)
  if (values.nodes === undefined || !Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new UsageError(`--nodes must be an integer from 1 to ${MAX_NODES}`)
  }
  return {
    nodes,
    baseDir: values['base-dir'] === undefined ? undefined : resolve(values['base-dir']),
    cluster: values.cluster ?? DEFAULT_CLUSTER_NAME,
    secret: values.secret ?? randomBytes(16).toString('hex')
  }
}

interface RunningNode {
  index: number
  proc: NodeProcess
  /** Set when we asked it to stop, so its exit is expected. */
  stopping: boolean
}

const say = (line: string): void => { process.stdout.write(line + '\n') }

/** The command that runs the CLI, relative to the working directory when it lies below it. */
function camosCommand (): string {
  const rel = relative(process.cwd(), camosBin())
  return `node ${rel.startsWith('..') ? camosBin() : rel}`
}

function table (rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)))
  return rows.map(r => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n')
}

function printEndpoints (nodes: RunningNode[], options: Options, baseDir: string): void {
  const rows = [['node', 'pid', 'node id', 'peer id', 'gRPC', 'HTTP', 'p2p']]
  for (const n of nodes) {
    rows.push([String(n.index), String(n.proc.process.pid), n.proc.nodeId, n.proc.peerId, n.proc.grpcAddress, n.proc.httpAddress, n.proc.p2pAddresses[0] ?? '-'])
  }
  const camos = camosCommand()
  const first = nodes[0].proc
  const last = nodes[nodes.length - 1].proc
  say(table(rows))
  say('')
  say(`cluster "${options.cluster}", secret ${options.secret}, data and logs under ${baseDir}`)
  say('try:')
  say(`  ${camos} call Remember '{"namespace":"demo","key":"hello","value":"aGVsbG8="}' --node ${first.grpcAddress}`)
  say(`  ${camos} call Recall '{"namespace":"demo","key":"hello"}' --node ${last.grpcAddress}`)
  say(`  ${camos} call Observe '{"namespace":"demo","prefixAll":true,"follow":true}' --node ${last.grpcAddress}`)
  say(`  ${camos} peers --node ${last.grpcAddress}`)
  say('another node:')
  say(`  ${camos} start --data-dir ${join(baseDir, `node-${nodes.length + 1}`)} --grpc 127.0.0.1:0 --http 127.0.0.1:0 --join ${last.p2pAddresses[0] ?? ''} --cluster ${options.cluster} --cluster-secret ${options.secret}`)
}

async function aliveOthers (node: RunningNode): Promise<number> {
  const client = node.proc.client()
  try {
    const status: ClusterStatusResponse__Output = await client.call('ClusterStatus', {}, { timeoutMs: 2_000 })
    return status.members.filter(m => m.nodeId !== status.nodeId && m.state === 'MEMBER_STATE_ALIVE').length
  } finally {
    client.close()
  }
}

async function main (argv: string[]): Promise<number> {
  let options: Options | undefined
  try {
    options = parseOptions(argv)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (options === undefined) {
    say(USAGE)
    return 0
  }

  const keepBase = options.baseDir !== undefined
  const baseDir = options.baseDir ?? mkdtempSync(join(tmpdir(), 'camos-cluster-'))
  mkdirSync(baseDir, { recursive: true })
  const nodes: RunningNode[] = []
  let failed = false
  let ready = false
  let stopRequested = false
  let onStopRequest: () => void = () => {}
  const stopRequest = new Promise<void>(resolve => { onStopRequest = resolve })

  // A second signal while stopping kills what is left at once.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      say(`${signal} again: killing the remaining nodes`)
      for (const n of nodes) n.proc.process.kill('SIGKILL')
      return
    }
    stopRequested = true
    say(`${signal}: stopping ${nodes.length} node(s)`)
    onStopRequest()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // The nodes run in their own process groups: never leave one behind if this script crashes.
  process.on('exit', () => {
    for (const n of nodes) {
      if (n.proc.process.exitCode === null && n.proc.process.signalCode === null) n.proc.process.kill('SIGKILL')
    }
  })

  const launchedAt = Date.now()
  try {
    for (let i = 1; i <= options.nodes && !stopRequested && !failed; i++) {
      const dataDir = join(baseDir, `node-${i}`)
      const logPath = join(baseDir, `node-${i}.log`)
      const log = createWriteStream(logPath, { flags: 'a' })
      const previous = nodes[nodes.length - 1]
      const joinArgs = previous === undefined ? [] : ['--join', previous.proc.p2pAddresses[0]]
      const proc = await startNodeProcess({
        dataDir,
        args: ['--cluster', options.cluster, '--cluster-secret', options.secret, '--p2p', '/ip4/127.0.0.1/tcp/0', ...joinArgs],
        detached: true,
        onOutput: line => { log.write(line + '\n') }
      }).catch((err: Error) => {
        log.end()
        throw new Error(`node ${i} did not start: ${err.message} (log: ${logPath})`)
      })
      const node: RunningNode = { index: i, proc, stopping: false }
      nodes.push(node)
      proc.process.once('exit', (code, signal) => {
        log.end()
        if (node.stopping) return
        failed = true
        say(`node ${i} (pid ${String(proc.process.pid)}) exited unexpectedly (code ${String(code)}, signal ${String(signal)}); log: ${logPath}`)
        // Once the cluster is up the others keep running (a killed node is a test of theirs).
        if (!ready || nodes.every(n => n.proc.process.exitCode !== null || n.proc.process.signalCode !== null)) onStopRequest()
      })
      say(`node ${i} up (pid ${String(proc.process.pid)}, gRPC ${proc.grpcAddress})${previous === undefined ? '' : `, joined through node ${previous.index}`}`)
    }
    if (!stopRequested && !failed) {
      printEndpoints(nodes, options, baseDir)
      const lastUpAt = Date.now()
      const deadline = lastUpAt + DEFAULT_MESH_TIMEOUT_MS
      for (;;) {
        if (stopRequested || failed) break
        const counts = await Promise.all(nodes.map(async n => await aliveOthers(n).catch(() => -1)))
        if (counts.every(c => c === nodes.length - 1)) {
          const now = Date.now()
          ready = true
          say(`ready: every node sees ${nodes.length - 1} alive members; full mesh ${now - lastUpAt} ms after the last node was up (${now - launchedAt} ms after the first was launched). Ctrl-C stops the cluster.`)
          break
        }
        if (Date.now() > deadline) {
          failed = true
          say(`no full mesh within ${DEFAULT_MESH_TIMEOUT_MS} ms; alive members seen per node: ${counts.join(', ')}`)
          break
        }
        await new Promise(resolve => setTimeout(resolve, MESH_POLL_MS))
      }
    }
    if (ready) await stopRequest
  } catch (err) {
    failed = true
    say((err as Error).message)
  }

  const clean = await stopAll(nodes)
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  if (!keepBase) rmSync(baseDir, { recursive: true, force: true })
  say(clean && !failed ? 'cluster stopped' : 'cluster stopped with errors')
  return clean && !failed ? 0 : 1
}

/** SIGTERM every node still running, wait (bounded) for each; true when all exited with 0. */
async function stopAll (nodes: RunningNode[]): Promise<boolean> {
  const results = await Promise.all(nodes.map(async n => {
    const child = n.proc.process
    if (child.exitCode !== null || child.signalCode !== null) return n.stopping
    n.stopping = true
    let timer: NodeJS.Timeout | undefined
    const code = await Promise.race([
      n.proc.stop(),
      new Promise<'timeout'>(resolve => { timer = setTimeout(() => { resolve('timeout') }, DEFAULT_STOP_TIMEOUT_MS) })
    ])
    clearTimeout(timer)
    if (code === 'timeout') {
      say(`node ${n.index} did not stop within ${DEFAULT_STOP_TIMEOUT_MS} ms; killing it`)
      await n.proc.kill()
      return false
    }
    say(`node ${n.index} stopped (exit code ${String(code)})`)
    return code === 0
  }))
  return results.every(Boolean)
}

process.exitCode = await main(process.argv.slice(2))
