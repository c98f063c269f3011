/** Small shared contracts of the crdt layer. */

/** Structured logger injected into every component (see node/logger.ts). */
export interface Logger {
  debug: (msg: string, fields?: Record<string, unknown>) => void
  info: (msg: string, fields?: Record<string, unknown>) => void
  warn: (msg: string, fields?: Record<string, unknown>) => void
  error: (msg: string, fields?: Record<string, unknown>) => void
  child: (component: string) => Logger
}

/** Resource-holding components implement this; both calls are idempotent. */
export interface Startable {
  start: () => Promise<void>
  stop: () => Promise<void>
}
