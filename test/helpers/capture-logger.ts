/** A Logger (crdt/types.ts) that records every line, for tests asserting on warnings. */
import type { Logger } from '../../crdt/types.js'

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  component: string
  msg: string
  fields?: Record<string, unknown>
}

export interface CaptureLogger extends Logger {
  lines: LogLine[]
}

/** All children share one `lines` array; set CAMOS_TEST_LOG=1 to also print them. */
export function createCaptureLogger (component = 'test', lines: LogLine[] = []): CaptureLogger {
  const record = (level: LogLine['level']) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, component, msg, fields })
    if (process.env.CAMOS_TEST_LOG === '1') {
      console.log(`[${level}] ${component}: ${msg}`, fields ?? '')
    }
  }
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    child: (name: string) => createCaptureLogger(`${component}:${name}`, lines)
  }
}
