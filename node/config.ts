/**
 * Node configuration. Every option can come from a command-line flag, an environment variable
 * (CAMOS_*) or a JSON config file (--config / CAMOS_CONFIG); precedence is
 * flag > env > file > default. Invalid values fail with a ConfigError naming the option and
 * where the value came from, e.g. `--grpc (flag): "x" is not host:port`.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { parseHostPort } from './address.js'
import { isLogLevel, type LogFormat, type LogLevel } from './logger.js'
import { isSyscallName, type SyscallName } from '../kernel/syscalls.js'
import { CHAOS_ENV } from '../transport/faults.js'
import { DEFAULT_MAX_BYTES as CONTEXT_MAX_BYTES, DEFAULT_MAX_KEYS as CONTEXT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES as CONTEXT_MAX_VALUE_BYTES } from '../crdt/context-types.js'

export const DEFAULT_DATA_DIR = './data'
export const DEFAULT_GRPC_LISTEN = '127.0.0.1:50051'
export const DEFAULT_HTTP_LISTEN = '127.0.0.1:8080'
export const DEFAULT_P2P_LISTEN = '/ip4/127.0.0.1/tcp/0'
export const DEFAULT_CLUSTER = 'default'
export const DEFAULT_REDIS_KEY_PREFIX = 'camos:'
/** Limits default to the memory-context model's own defaults (crdt/context-types.ts). */
export const DEFAULT_MAX_VALUE_BYTES = CONTEXT_MAX_VALUE_BYTES
export const DEFAULT_NAMESPACE_MAX_KEYS = CONTEXT_MAX_KEYS
export const DEFAULT_NAMESPACE_MAX_BYTES = CONTEXT_MAX_BYTES
/** Bound on a graceful stop (drain, flush, close) before the node gives up waiting, ms. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000

export type RedisMode = 'behind' | 'alone'
export type Source = 'flag' | 'env' | 'file' | 'default'

export interface Limits {
  maxValueBytes: number
  namespaceMaxKeys: number
  namespaceMaxBytes: number
}

export interface NodeConfig {
  /** Absolute path; undefined only in Redis-alone mode without an explicit data dir. */
  dataDir: string | undefined
  grpcListen: string
  httpListen: string
  p2pListen: string
  join: string[]
  /** Open an exchange of member lists with each member met (transport/member-exchange.ts); exchanges others open are answered either way. */
  memberExchange: boolean
  cluster: string
  /** Undefined: the insecure development secret derived from the cluster name. */
  clusterSecret: string | undefined
  redis: { url: string, mode: RedisMode, prefix: string } | undefined
  logLevel: LogLevel
  logFormat: LogFormat
  limits: Limits
  deadlines: Partial<Record<SyscallName, number>>
  shutdownTimeoutMs: number
  /** Chaos-mode fault rules file (transport/faults.ts); only accepted with CAMOS_CHAOS=1. */
  chaosControl: string | undefined
  /** libp2p's own debug logs, on when the environment sets DEBUG (the `debug` package's switch). */
  libp2pDebug: boolean
  /** Where each option's value came from, for the start-up log. */
  sources: Record<string, Source>
}

export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

type Raw = string | string[] | number | boolean | Record<string, unknown> | unknown[]

interface OptionSpec {
  /** Key in `sources` and in the config file (dotted for nested file keys). */
  key: string
  flag: string
  env: string
  multiple?: boolean
  /** Argument name and description shown by --help. */
  arg: string
  help: string
}

/** Every `camos start` option; --help, parseArgs and the resolver all derive from this list. */
export const START_OPTIONS: readonly OptionSpec[] = [
  { key: 'dataDir', flag: 'data-dir', env: 'CAMOS_DATA_DIR', arg: 'path', help: `data directory (embedded log, node id); default ${DEFAULT_DATA_DIR}, none in --redis-mode alone` },
  { key: 'grpc', flag: 'grpc', env: 'CAMOS_GRPC', arg: 'host:port', help: `gRPC listen address (port 0 = any free port); default ${DEFAULT_GRPC_LISTEN}` },
  { key: 'http', flag: 'http', env: 'CAMOS_HTTP', arg: 'host:port', help: `HTTP listen address (/healthz, /readyz, /metrics, /v1/*); default ${DEFAULT_HTTP_LISTEN}` },
  { key: 'p2p', flag: 'p2p', env: 'CAMOS_P2P', arg: 'multiaddr', help: `libp2p listen multiaddr; default ${DEFAULT_P2P_LISTEN}` },
  { key: 'join', flag: 'join', env: 'CAMOS_JOIN', multiple: true, arg: 'multiaddr', help: 'a cluster member to join; repeatable (env: comma-separated)' },
  { key: 'cluster', flag: 'cluster', env: 'CAMOS_CLUSTER', arg: 'name', help: `cluster name; default ${DEFAULT_CLUSTER}` },
  { key: 'memberExchange', flag: 'member-exchange', env: 'CAMOS_MEMBER_EXCHANGE', arg: 'on|off', help: 'on (default): exchange the lists of connected members with each member met, and dial the ones missing; off: open no exchange (members that open one are still answered, and the ones their lists name dialled), so a node whose peers are off too finds members through the DHT alone' },
  { key: 'clusterSecret', flag: 'cluster-secret', env: 'CAMOS_CLUSTER_SECRET', arg: 'secret', help: 'shared secret of the cluster: only nodes with the same name and secret can connect; default: an insecure development secret derived from the cluster name' },
  { key: 'redis.url', flag: 'redis', env: 'CAMOS_REDIS', arg: 'url', help: 'Redis URL (redis:// or rediss://); enables Redis storage' },
  { key: 'redis.mode', flag: 'redis-mode', env: 'CAMOS_REDIS_MODE', arg: 'behind|alone', help: 'behind = embedded log acknowledges, Redis written behind (default); alone = Redis is the only store' },
  { key: 'redis.prefix', flag: 'redis-prefix', env: 'CAMOS_REDIS_PREFIX', arg: 'prefix', help: `Redis key prefix, one per node; default ${DEFAULT_REDIS_KEY_PREFIX}` },
  { key: 'logLevel', flag: 'log-level', env: 'CAMOS_LOG_LEVEL', arg: 'level', help: 'debug, info, warn, error or silent; default info' },
  { key: 'logFormat', flag: 'log-format', env: 'CAMOS_LOG_FORMAT', arg: 'text|json', help: 'log lines on stderr as readable text or JSON; default text' },
  { key: 'limits.maxValueBytes', flag: 'max-value-bytes', env: 'CAMOS_MAX_VALUE_BYTES', arg: 'size', help: `largest value one write may carry (e.g. 512KiB, 1MiB); default ${DEFAULT_MAX_VALUE_BYTES}` },
  { key: 'limits.namespaceMaxKeys', flag: 'namespace-max-keys', env: 'CAMOS_NAMESPACE_MAX_KEYS', arg: 'n', help: `live keys per namespace; default ${DEFAULT_NAMESPACE_MAX_KEYS}` },
  { key: 'limits.namespaceMaxBytes', flag: 'namespace-max-bytes', env: 'CAMOS_NAMESPACE_MAX_BYTES', arg: 'size', help: `bytes of live keys and values per namespace; default ${DEFAULT_NAMESPACE_MAX_BYTES}` },
  { key: 'deadlines', flag: 'deadline', env: 'CAMOS_DEADLINES', multiple: true, arg: 'Syscall=ms', help: 'per-syscall deadline override; repeatable (env: comma-separated)' },
  { key: 'shutdownTimeoutMs', flag: 'shutdown-timeout', env: 'CAMOS_SHUTDOWN_TIMEOUT_MS', arg: 'ms', help: `bound on a graceful stop; default ${DEFAULT_SHUTDOWN_TIMEOUT_MS}` },
  { key: 'chaosControl', flag: 'chaos-control', env: 'CAMOS_CHAOS_CONTROL', arg: 'file', help: `chaos testing only: JSON fault rules (delay, loss…) applied to sync frames; refused unless ${CHAOS_ENV}=1` }
]

export const CONFIG_FILE_OPTION = { flag: 'config', env: 'CAMOS_CONFIG', arg: 'file', help: 'JSON config file; keys as in `camos start --help` (e.g. {"grpc": "0.0.0.0:50051", "redis": {"url": "redis://…"}})' } as const

export interface ConfigInput {
  /** parseArgs values, keyed by flag name. */
  flags: Record<string, string | boolean | Array<string | boolean> | undefined>
  env: Record<string, string | undefined>
  /** Base for relative paths (data dir, config file); default process.cwd(). */
  cwd?: string
}

interface Found { value: Raw, source: Source, label: string }

export function resolveConfig (input: ConfigInput): NodeConfig {
  const cwd = input.cwd ?? process.cwd()
  const file = readConfigFile(input, cwd)
  const sources: Record<string, Source> = {}

  function find (spec: OptionSpec): Found | undefined {
    const flag = input.flags[spec.flag]
    if (flag !== undefined && flag !== false) return { value: flag as Raw, source: 'flag', label: `--${spec.flag} (flag)` }
    const env = input.env[spec.env]
    if (env !== undefined && env !== '') {
      const value = spec.multiple === true ? env.split(',').map(s => s.trim()).filter(s => s !== '') : env
      return { value, source: 'env', label: `${spec.env} (env)` }
    }
    if (file !== undefined) {
      const value = file.values.get(spec.key)
      if (value !== undefined && value !== null) return { value: value as Raw, source: 'file', label: `${spec.key} (file ${file.path})` }
    }
    return undefined
  }

  function get<T> (key: string, parse: (found: Found) => T, fallback: T): T {
    const spec = START_OPTIONS.find(s => s.key === key)
    if (spec === undefined) throw new Error(`no option ${key}`)
    const found = find(spec)
    sources[key] = found?.source ?? 'default'
    return found === undefined ? fallback : parse(found)
  }

  const redisUrl = get<string | undefined>('redis.url', f => redisUrlOf(f), undefined)
  const redisMode = get<RedisMode>('redis.mode', f => oneOf(f, ['behind', 'alone']), 'behind')
  const redisPrefix = get('redis.prefix', f => nonEmpty(f), DEFAULT_REDIS_KEY_PREFIX)
  if (redisUrl === undefined) {
    for (const key of ['redis.mode', 'redis.prefix']) {
      if (sources[key] !== 'default') throw new ConfigError(`${labelOf(key, sources[key], file?.path)}: needs a Redis URL (--redis / CAMOS_REDIS / redis.url)`)
    }
  }
  const alone = redisUrl !== undefined && redisMode === 'alone'

  return {
    dataDir: get<string | undefined>('dataDir', f => resolve(f.source === 'file' && file !== undefined ? dirname(file.path) : cwd, nonEmpty(f)), alone ? undefined : resolve(cwd, DEFAULT_DATA_DIR)),
    grpcListen: get('grpc', f => hostPort(f), DEFAULT_GRPC_LISTEN),
    httpListen: get('http', f => hostPort(f), DEFAULT_HTTP_LISTEN),
    p2pListen: get('p2p', f => multiaddr(f), DEFAULT_P2P_LISTEN),
    join: get('join', f => list(f).map(v => multiaddr({ ...f, value: v })), []),
    memberExchange: get('memberExchange', f => oneOf(f, ['on', 'off']) === 'on', true),
    cluster: get('cluster', f => clusterName(f), DEFAULT_CLUSTER),
    clusterSecret: get<string | undefined>('clusterSecret', f => nonEmpty(f), undefined),
    redis: redisUrl === undefined ? undefined : { url: redisUrl, mode: redisMode, prefix: redisPrefix },
    logLevel: get<LogLevel>('logLevel', f => { const v = str(f); if (!isLogLevel(v)) bad(f, v, 'debug, info, warn, error or silent'); return v }, 'info'),
    logFormat: get<LogFormat>('logFormat', f => oneOf(f, ['text', 'json']), 'text'),
    limits: {
      maxValueBytes: get('limits.maxValueBytes', f => size(f, 1), DEFAULT_MAX_VALUE_BYTES),
      namespaceMaxKeys: get('limits.namespaceMaxKeys', f => size(f, 1), DEFAULT_NAMESPACE_MAX_KEYS),
      namespaceMaxBytes: get('limits.namespaceMaxBytes', f => size(f, 1), DEFAULT_NAMESPACE_MAX_BYTES)
    },
    deadlines: get('deadlines', f => deadlines(f), {}),
    shutdownTimeoutMs: get('shutdownTimeoutMs', f => size(f, 1), DEFAULT_SHUTDOWN_TIMEOUT_MS),
    chaosControl: get<string | undefined>('chaosControl', f => chaosControl(f, input, cwd), undefined),
    libp2pDebug: input.env.DEBUG !== undefined && input.env.DEBUG !== '',
    sources
  }
}

/** The fault layer must never switch on by accident: the option AND the environment switch. */
function chaosControl (f: Found, input: ConfigInput, cwd: string): string {
  if (input.env[CHAOS_ENV] !== '1') throw new ConfigError(`${f.label}: the chaos fault layer is for test clusters only; set ${CHAOS_ENV}=1 as well to enable it`)
  return resolve(cwd, nonEmpty(f))
}

function labelOf (key: string, source: Source, filePath: string | undefined): string {
  const spec = START_OPTIONS.find(s => s.key === key)
  if (spec === undefined || source === 'default') return key
  if (source === 'flag') return `--${spec.flag} (flag)`
  if (source === 'env') return `${spec.env} (env)`
  return `${key} (file ${filePath ?? ''})`
}

/** Reads the JSON config file and flattens it to dotted keys, rejecting unknown keys. */
function readConfigFile (input: ConfigInput, cwd: string): { path: string, values: Map<string, unknown> } | undefined {
  const flag = input.flags[CONFIG_FILE_OPTION.flag]
  const given = typeof flag === 'string' ? flag : input.env[CONFIG_FILE_OPTION.env]
  if (given === undefined || given === '') return undefined
  const label = typeof flag === 'string' ? '--config (flag)' : 'CAMOS_CONFIG (env)'
  const path = isAbsolute(given) ? given : resolve(cwd, given)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`${label}: cannot read ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`${label}: ${path} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`${label}: ${path} must hold a JSON object`)
  const known = new Set(START_OPTIONS.map(s => s.key))
  const values = new Map<string, unknown>()
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix === '' ? k : `${prefix}.${k}`
      if (known.has(key)) {
        values.set(key, v)
      } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && [...known].some(n => n.startsWith(key + '.'))) {
        walk(v as Record<string, unknown>, key)
      } else {
        throw new ConfigError(`${key} (file ${path}): unknown option (known: ${[...known].join(', ')})`)
      }
    }
  }
  walk(json as Record<string, unknown>, '')
  return { path, values }
}

function bad (f: Found, value: unknown, expected: string): never {
  throw new ConfigError(`${f.label}: ${JSON.stringify(value)} is not valid; expected ${expected}`)
}

function str (f: Found): string {
  if (typeof f.value !== 'string') bad(f, f.value, 'a string')
  return f.value
}

function nonEmpty (f: Found): string {
  const v = str(f)
  if (v.trim() === '') bad(f, v, 'a non-empty string')
  return v
}

function oneOf<T extends string> (f: Found, values: readonly T[]): T {
  const v = str(f)
  if (!(values as readonly string[]).includes(v)) bad(f, v, `one of ${values.join(', ')}`)
  return v as T
}

function list (f: Found): string[] {
  const values = Array.isArray(f.value) ? f.value : [f.value]
  for (const v of values) if (typeof v !== 'string') bad(f, f.value, 'a list of strings')
  return values as string[]
}

function hostPort (f: Found): string {
  const v = str(f)
  try {
    parseHostPort(v)
  } catch (err) {
    throw new ConfigError(`${f.label}: ${(err as Error).message} (e.g. 127.0.0.1:50051, [::1]:0)`)
  }
  return v
}

function multiaddr (f: Found): string {
  const v = str(f)
  if (!/^(\/[^/\s]+\/[^/\s]+)+(\/p2p\/[^/\s]+)?$/.test(v)) bad(f, v, 'a multiaddr such as /ip4/10.0.0.5/tcp/4001/p2p/12D3Koo…')
  return v
}

function clusterName (f: Found): string {
  const v = str(f)
  if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(v)) bad(f, v, 'a name matching ^[a-z0-9][a-z0-9_.-]{0,63}$')
  return v
}

function redisUrlOf (f: Found): string {
  const v = str(f)
  let url: URL
  try {
    url = new URL(v)
  } catch {
    return bad(f, v, 'a URL such as redis://127.0.0.1:6379/0')
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') bad(f, v, 'a redis:// or rediss:// URL')
  return v
}

const UNITS: Record<string, number> = { '': 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 }

/** A positive integer, as a JSON number or a string with an optional size unit (KiB, MiB, …). */
function size (f: Found, min: number): number {
  let n: number
  if (typeof f.value === 'number') {
    n = f.value
  } else {
    const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(str(f))
    const unit = m === null ? undefined : UNITS[m[2].toLowerCase()]
    if (m === null || unit === undefined) return bad(f, f.value, 'an integer, optionally with a unit (KiB, MiB, GiB)')
    n = Number(m[1]) * unit
  }
  if (!Number.isSafeInteger(n) || n < min) bad(f, f.value, `an integer ≥ ${min}`)
  return n
}

function deadlines (f: Found): Partial<Record<SyscallName, number>> {
  const out: Partial<Record<SyscallName, number>> = {}
  const entries: Array<[string, unknown]> = typeof f.value === 'object' && f.value !== null && !Array.isArray(f.value)
    ? Object.entries(f.value)
    : list(f).map(item => {
      const eq = item.indexOf('=')
      if (eq < 1) bad(f, item, 'Syscall=ms, e.g. Remember=2000')
      return [item.slice(0, eq), item.slice(eq + 1)]
    })
  for (const [name, ms] of entries) {
    if (!isSyscallName(name)) bad(f, name, 'a syscall name such as Remember or Recall')
    out[name] = size({ ...f, label: `${f.label} ${name}`, value: ms as Raw }, 1)
  }
  return out
}
