/**
 * The client verbs of the CLI: `camos call` (any syscall, canonical JSON in and out through
 * node/json.ts, unary or NDJSON stream), `camos status` (HealthCheck, readable) and
 * `camos peers` (ClusterStatus, readable).
 */
import { isSyscallName, SYSCALL_NAMES, SYSCALLS, type SyscallInfo } from '../kernel/syscalls.js'
import { loadKernelProto, type KernelProto } from '../proto/load.js'
import { CamosError } from '../kernel/errors.js'
import { createKernelClient, KernelCallError, type KernelClient } from './client.js'
import { createJsonCodec } from './json.js'
import type { HealthCheckResponse__Output } from '../proto/gen/camos/v1/HealthCheckResponse.js'
import type { ClusterStatusResponse__Output } from '../proto/gen/camos/v1/ClusterStatusResponse.js'

/** Default node address of the client verbs. */
export const DEFAULT_NODE = '127.0.0.1:50051'
/** Default deadline of a unary call from the CLI, ms (streams have none unless --timeout). */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000

export interface CliIO {
  stdout: { write: (text: string) => unknown }
  stderr: { write: (text: string) => unknown }
  env: Record<string, string | undefined>
  /**
   * Resolves when the user asks to stop (SIGINT/SIGTERM): ends a following stream or a
   * running node. Called only by verbs that wait for it, so Ctrl-C keeps its default meaning
   * elsewhere.
   */
  interrupted: () => Promise<void>
}

export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface ClientOptions {
  node: string
  timeoutMs?: number
}

/** Runs `camos call`; returns the exit code. */
export async function callVerb (io: CliIO, syscall: string, jsonText: string, options: ClientOptions): Promise<number> {
  if (!isSyscallName(syscall)) throw new UsageError(`unknown syscall "${syscall}"; one of: ${SYSCALL_NAMES.join(', ')}`)
  let json: unknown
  try {
    json = JSON.parse(jsonText)
  } catch (err) {
    throw new UsageError(`the request is not valid JSON: ${(err as Error).message}`)
  }
  const proto = loadKernelProto()
  const codec = createJsonCodec(proto.root)
  let request: Record<string, unknown>
  try {
    request = codec.requestFromJson(syscall, json)
  } catch (err) {
    if (err instanceof CamosError) throw new UsageError(`${err.code} ${err.message}`)
    throw err
  }
  return await withClient(io, options, async client => {
    if ((SYSCALLS[syscall] as SyscallInfo).kind === 'unary') {
      const response = await client.call(syscall, request, { timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS })
      io.stdout.write(JSON.stringify(codec.responseToJson(syscall, response), null, 2) + '\n')
      return 0
    }
    const stop = new AbortController()
    void io.interrupted().then(() => { stop.abort() })
    await client.stream(syscall, request, event => {
      io.stdout.write(JSON.stringify(codec.responseToJson(syscall, event)) + '\n')
    }, { signal: stop.signal, timeoutMs: options.timeoutMs })
    return 0
  }, proto)
}

/**
 * Runs `fn` with a client of the node; a failed call prints `error: CODE message (correlation
 * id …)` and gives exit code 1.
 */
export async function withClient (io: CliIO, options: ClientOptions, fn: (client: KernelClient) => Promise<number>, proto?: KernelProto): Promise<number> {
  const client = createKernelClient({ address: options.node, proto })
  try {
    return await fn(client)
  } catch (err) {
    if (!(err instanceof KernelCallError)) throw err
    io.stderr.write(err.describe() + '\n')
    return 1
  } finally {
    client.close()
  }
}

/** Runs `camos status`; exit 0 when the node serves (possibly degraded), 1 otherwise. */
export async function statusVerb (io: CliIO, options: ClientOptions): Promise<number> {
  return await withClient(io, options, async client => {
    const res: HealthCheckResponse__Output = await client.call('HealthCheck', {}, { timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS })
    io.stdout.write(formatHealth(res, options.node))
    return res.state === 'SERVING_STATE_SERVING' || res.state === 'SERVING_STATE_DEGRADED' ? 0 : 1
  })
}

export function formatHealth (res: HealthCheckResponse__Output, node: string): string {
  const state = (s: string): string => s.replace('SERVING_STATE_', '')
  const width = Math.max(...res.components.map(c => c.name.length), 8)
  const lines = [
    `node       ${res.nodeId} at ${node}`,
    `version    ${res.version}`,
    `state      ${state(res.state)}`,
    `uptime     ${formatDuration(res.uptimeMs)}`,
    `documents  ${res.documents}`,
    `backlog    ${res.storageBacklog} (writes not yet in the secondary store)`,
    'components'
  ]
  for (const c of res.components) lines.push(`  ${c.name.padEnd(width)}  ${state(c.state)}${c.detail === '' ? '' : `  ${c.detail}`}`)
  return lines.join('\n') + '\n'
}

/** Runs `camos peers`; exit 0 when the call succeeded. */
export async function peersVerb (io: CliIO, options: ClientOptions): Promise<number> {
  return await withClient(io, options, async client => {
    const res: ClusterStatusResponse__Output = await client.call('ClusterStatus', {}, { timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS })
    io.stdout.write(formatPeers(res, options.node, Date.now()))
    return 0
  })
}

/** One row per member: the node itself first, then the others; addresses indented below. */
export function formatPeers (res: ClusterStatusResponse__Output, node: string, nowMs: number): string {
  const others = res.members.filter(m => m.nodeId !== res.nodeId)
  const count = (state: string): number => others.filter(m => m.state === state).length
  const rows = res.members.map(m => {
    const self = m.nodeId === res.nodeId
    return [
      m.peerId,
      m.nodeId === '' ? '?' : m.nodeId,
      self ? 'self' : m.state.replace('MEMBER_STATE_', '').toLowerCase(),
      self ? '-' : m.lastHeartbeatMs === 0 ? 'never' : `${formatDuration(Math.max(0, nowMs - m.lastHeartbeatMs))} ago`,
      self ? '-' : `${m.syncLagMs} ms`,
      m.version === '' ? '?' : m.version
    ]
  })
  const header = ['PEER ID', 'NODE', 'STATE', 'LAST SEEN', 'SYNC LAG', 'VERSION']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()
  const lines = [
    `cluster ${res.cluster}: node ${res.nodeId} at ${node} sees ${others.length} other member${others.length === 1 ? '' : 's'} ` +
      `(${count('MEMBER_STATE_ALIVE')} alive, ${count('MEMBER_STATE_SUSPECT')} suspect, ${count('MEMBER_STATE_DOWN')} down)`,
    line(header)
  ]
  res.members.forEach((m, i) => {
    lines.push(line(rows[i]))
    for (const a of m.addresses) lines.push(`    ${a}`)
  })
  return lines.join('\n') + '\n'
}

function formatDuration (ms: number): string {
  const s = Math.floor(ms / 1000)
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'm'], [s % 60, 's']] as const
  const shown = parts.filter(([n], i) => n > 0 || i === parts.length - 1)
  return shown.map(([n, u]) => `${n}${u}`).join(' ')
}
