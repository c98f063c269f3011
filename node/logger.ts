/**
 * A small structured logger implementing crdt/types.ts Logger. Lines go to a writable (stderr
 * by default), either as JSON objects (one per line, for machines) or as readable text:
 *
 *   2025-01-01T00:00:00.000Z INFO  [node-1a2b/storage] opened {"docs":3}
 *
 * `child(component)` namespaces lines with the component path; the node id prefix tells nodes
 * apart when several run in one process (tests) or share a terminal.
 */
import type { Logger } from '../crdt/types.js'

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]
export type LogFormat = 'text' | 'json'

export const DEFAULT_LOG_LEVEL: LogLevel = 'info'
export const DEFAULT_LOG_FORMAT: LogFormat = 'text'

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export function isLogLevel (value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}

export interface LoggerInit {
  level?: LogLevel
  format?: LogFormat
  /** Shown on every line; empty to omit. */
  nodeId?: string
  component?: string
  /** Where lines go; defaults to process.stderr. */
  out?: { write: (line: string) => unknown }
  /** Clock for timestamps (tests pass a fixed one). */
  now?: () => Date
}

export function createLogger (init: LoggerInit = {}): Logger {
  const threshold = SEVERITY[init.level ?? DEFAULT_LOG_LEVEL]
  const format = init.format ?? DEFAULT_LOG_FORMAT
  const out = init.out ?? process.stderr
  const now = init.now ?? (() => new Date())
  const nodeId = init.nodeId ?? ''
  const component = init.component ?? ''

  function write (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>): void {
    if (SEVERITY[level] < threshold) return
    const time = now().toISOString()
    if (format === 'json') {
      const record: Record<string, unknown> = { time, level, msg }
      if (nodeId !== '') record.node = nodeId
      if (component !== '') record.component = component
      out.write(safeStringify({ ...record, ...fields }) + '\n')
      return
    }
    const scope = [nodeId, component].filter(s => s !== '').join('/')
    const tail = fields === undefined || Object.keys(fields).length === 0 ? '' : ' ' + safeStringify(fields)
    out.write(`${time} ${level.toUpperCase().padEnd(5)} ${scope === '' ? '' : `[${scope}] `}${msg}${tail}\n`)
  }

  return {
    debug: (msg, fields) => { write('debug', msg, fields) },
    info: (msg, fields) => { write('info', msg, fields) },
    warn: (msg, fields) => { write('warn', msg, fields) },
    error: (msg, fields) => { write('error', msg, fields) },
    child: (name) => createLogger({ ...init, component: component === '' ? name : `${component}/${name}` })
  }
}

/** JSON that never throws: bigints as strings, errors as their stack, cycles marked. */
function safeStringify (value: unknown): string {
  const seen = new WeakSet<object>()
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString()
    if (v instanceof Error) return v.stack ?? v.message
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[circular]'
      seen.add(v)
    }
    return v
  })
}
