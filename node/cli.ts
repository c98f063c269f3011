/**
 * The `camos` command line: `start` runs a node; `call`, `status` and `peers` talk to one. Exit codes:
 * 0 success, 1 a failed call or start, 2 a usage error (unknown verb/flag, bad option value).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CONFIG_FILE_OPTION, ConfigError, resolveConfig, START_OPTIONS, type NodeConfig } from './config.js'
import { callVerb, DEFAULT_NODE, peersVerb, statusVerb, UsageError, type CliIO } from './cli-client.js'
import type { CamosNode } from './node.js'

export type { CliIO }

const CLIENT_OPTIONS = [
  { flag: 'node', env: 'CAMOS_NODE', arg: 'host:port', help: `gRPC address of the node; default ${DEFAULT_NODE}` },
  { flag: 'timeout', env: 'CAMOS_TIMEOUT_MS', arg: 'ms', help: 'call deadline; default 30000 for unary calls, none for streams' }
] as const

function optionLines (options: ReadonlyArray<{ flag: string, env: string, arg: string, help: string, multiple?: boolean }>): string {
  return options.map(o => `  --${o.flag} <${o.arg}>${o.multiple === true ? '...' : ''}\n      ${o.help}\n      env ${o.env}`).join('\n')
}

export const USAGE = `camos — CAM-OS node

usage:
  camos start [options]              run a node
  camos call <Syscall> ['<json>'] [--node host:port] [--timeout ms]
                                     call one syscall (proto3 JSON in and out; '-' reads stdin)
  camos status [--node host:port]    health of a node
  camos peers [--node host:port]     cluster members seen by a node
  camos <verb> --help                options of a verb

exit codes: 0 ok, 1 call or start failed, 2 usage error
`

const START_USAGE = `usage: camos start [options]

Runs a node until SIGINT/SIGTERM (graceful stop; a second signal exits at once).
Precedence: flag > env > config file > default.

options:
${optionLines([...START_OPTIONS, { ...CONFIG_FILE_OPTION }])}
`

const CALL_USAGE = `usage: camos call <Syscall> ['<json>'] [options]

Sends one syscall request, written in proto3 canonical JSON (lowerCamelCase fields, bytes as
base64, 64-bit integers as strings or numbers), and prints the response as JSON. Streaming
syscalls (Observe, AgentSession) print one JSON object per line until the stream ends or Ctrl-C.
On failure prints "error: CODE message (correlation id …)" and exits 1.

example: camos call Remember '{"namespace":"notes","key":"a","value":"aGk="}'

options:
${optionLines(CLIENT_OPTIONS)}
`

const STATUS_USAGE = `usage: camos status [options]

Prints the node's HealthCheck: id, version, state, uptime, documents, storage backlog and the
state of each component. Exits 0 when the node serves (possibly degraded), 1 otherwise.

options:
${optionLines(CLIENT_OPTIONS)}
`

const PEERS_USAGE = `usage: camos peers [options]

Prints the node's ClusterStatus: the node itself, then every member it knows with its peer
id, node id, state (alive, suspect, down), last sign of life, sync lag, version and p2p
addresses.

options:
${optionLines(CLIENT_OPTIONS)}
`

function parse (args: string[], options: ParseArgsConfig['options'], positionals: boolean): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: positionals, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

function clientOptions (values: Record<string, unknown>, env: CliIO['env']): { node: string, timeoutMs?: number } {
  const node = (values.node as string | undefined) ?? env.CAMOS_NODE ?? DEFAULT_NODE
  const timeout = (values.timeout as string | undefined) ?? env.CAMOS_TIMEOUT_MS
  if (timeout === undefined) return { node }
  const timeoutMs = Number(timeout)
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout: "${timeout}" is not a positive number of milliseconds`)
  return { node, timeoutMs }
}

const CLIENT_PARSE_OPTIONS: ParseArgsConfig['options'] = { node: { type: 'string' }, timeout: { type: 'string' } }

/** Runs the CLI; resolves with the exit code. */
export async function runCli (argv: string[], io: CliIO): Promise<number> {
  const [verb, ...rest] = argv
  try {
    switch (verb) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE)
        return verb === undefined ? 2 : 0
      case 'start': {
        const { values } = parse(rest, Object.fromEntries([
          ...START_OPTIONS.map(o => [o.flag, { type: 'string' as const, multiple: o.multiple === true }]),
          [CONFIG_FILE_OPTION.flag, { type: 'string' as const }]
        ]), false)
        if (values.help === true) { io.stdout.write(START_USAGE); return 0 }
        return await startVerb(io, resolveConfig({ flags: values, env: io.env }))
      }
      case 'call': {
        const { values, positionals } = parse(rest, CLIENT_PARSE_OPTIONS, true)
        if (values.help === true) { io.stdout.write(CALL_USAGE); return 0 }
        if (positionals.length < 1 || positionals.length > 2) throw new UsageError('call needs <Syscall> and an optional JSON request')
        const json = positionals[1] === '-' ? await readStdin() : positionals[1] ?? '{}'
        return await callVerb(io, positionals[0], json, clientOptions(values, io.env))
      }
      case 'status': {
        const { values } = parse(rest, CLIENT_PARSE_OPTIONS, false)
        if (values.help === true) { io.stdout.write(STATUS_USAGE); return 0 }
        return await statusVerb(io, clientOptions(values, io.env))
      }
      case 'peers': {
        const { values } = parse(rest, CLIENT_PARSE_OPTIONS, false)
        if (values.help === true) { io.stdout.write(PEERS_USAGE); return 0 }
        return await peersVerb(io, clientOptions(values, io.env))
      }
      default:
        throw new UsageError(`unknown verb "${verb}"`)
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr.write(`error: ${err.message}\n${err instanceof UsageError ? 'see camos --help\n' : ''}`)
      return 2
    }
    io.stderr.write(`error: ${(err as Error).message}\n`)
    return 1
  }
}

async function readStdin (): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Password-free form of a Redis URL for printing. */
function redactUrl (url: string): string {
  const u = new URL(url)
  if (u.password !== '') u.password = '***'
  return u.toString()
}

/** How the start banner introduces each listen address (startBannerAddress reads them back). */
const BANNER_PREFIX = { grpc: '  gRPC     ', http: '  HTTP     http://' }

/**
 * The gRPC or HTTP listen address a line of the start banner names, if it is that line: a node
 * started on port 0 tells here which port it got.
 */
export function startBannerAddress (line: string, which: keyof typeof BANNER_PREFIX): string | undefined {
  return line.startsWith(BANNER_PREFIX[which]) ? line.slice(BANNER_PREFIX[which].length).split(' ')[0] : undefined
}

export function describeStart (node: CamosNode): string {
  const { grpc, http } = node.addresses()
  const config: NodeConfig = node.config
  const redis = config.redis === undefined ? '' : `${redactUrl(config.redis.url)} (prefix ${config.redis.prefix})`
  const storage = {
    embedded: `embedded log in ${config.dataDir ?? ''}`,
    'redis-behind': `embedded log in ${config.dataDir ?? ''}, Redis ${redis} written behind`,
    'redis-alone': `Redis ${redis} only`
  }[node.storageMode]
  const lines = [
    `camos node ${node.nodeId} (version ${node.version}) serving`,
    `${BANNER_PREFIX.grpc}${grpc}`,
    `${BANNER_PREFIX.http}${http}  (/healthz /readyz /metrics /v1/<Syscall>)`,
    `  storage  ${storage}`,
    `  data dir ${config.dataDir ?? '(none)'}`,
    `  cluster  ${config.cluster}`,
    `  peer id  ${node.p2p.peerId}`,
    ...node.p2p.addresses().map((a, i) => `  ${i === 0 ? 'p2p     ' : '        '} ${a}`),
    '',
    'to add a node to this cluster, run on it:',
    `  ${joinLine(node)}`,
    '  (on this same host, also give it its own --data-dir, --grpc and --http, e.g. --data-dir ./data-2 --grpc 127.0.0.1:0 --http 127.0.0.1:0)'
  ]
  if (node.insecureClusterSecret) {
    lines.push('', `WARNING: no cluster secret is set: the cluster "${config.cluster}" uses a development secret derived from its name,`,
      '         so anyone who can reach this port can join it and read every document. Set --cluster-secret / CAMOS_CLUSTER_SECRET.')
  }
  return lines.join('\n') + '\n'
}

/** The `camos start` line that joins another node to this one's cluster. */
export function joinLine (node: CamosNode): string {
  const addresses = node.p2p.addresses()
  // Prefer an address another host can reach; loopback when that is all there is.
  const target = addresses.find(a => !/^\/ip[46]\/(127\.|::1\/)/.test(a)) ?? addresses[0] ?? node.config.p2pListen
  const secret = node.insecureClusterSecret ? '' : ' --cluster-secret <the same secret>'
  return `camos start --join ${target} --cluster ${node.config.cluster}${secret}`
}

/** Runs a node until a signal; a second signal exits at once. */
async function startVerb (io: CliIO, config: NodeConfig): Promise<number> {
  // Loaded here: the client verbs need none of the node (libp2p, Yjs, storage), and loading it
  // was most of their start-up.
  const { createNode } = await import('./node.js')
  const node = await createNode(config)
  await node.start()
  io.stdout.write(describeStart(node))
  await io.interrupted()
  io.stderr.write('stopping (signal again to exit at once)\n')
  await node.stop()
  return 0
}
