/**
 * A small in-memory handler table for transport tests (gRPC, HTTP gateway, CLI): it lets the
 * servers be exercised before (and independently of) the real kernel subsystems.
 *
 * - Remember/Recall/Forget over a Map; Recall of a missing key → CAMOS_ERR_KEY_NOT_FOUND.
 * - Forget of key "gate" waits until a Remember of key "release": gives deterministic
 *   out-of-order completion in Pipeline tests without sleeps.
 * - Decide never answers; it ends only by its deadline or cancellation.
 * - Observe sends INITIAL entries, SYNCED, then (follow) every PUT until cancelled; namespace
 *   "broken" fails after the first event.
 * - Echo of every field is visible in Remember's response (sha256 of the value, expiresAtMs =
 *   ttlMs, durability) so the JSON mapping can be checked end to end.
 */
import { createHash } from 'node:crypto'
import { EventEmitter, once } from 'node:events'
import { CamosError, InvalidArgumentError } from '../../kernel/errors.js'
import type { SyscallHandler } from '../../kernel/handler.js'
import type { SyscallName } from '../../kernel/syscalls.js'

export interface TestEntry {
  namespace: string
  key: string
  value: Buffer
  version: string
}

export interface TestKernel {
  handlers: Partial<Record<SyscallName, SyscallHandler>>
  entries: Map<string, TestEntry>
  /** Decide calls currently waiting inside the handler. */
  decidesRunning: () => number
}

function required (request: Record<string, unknown>, field: string): string {
  const v = request[field]
  if (typeof v !== 'string' || v === '') throw new InvalidArgumentError(field, 'is required')
  return v
}

export function createTestKernel (): TestKernel {
  const entries = new Map<string, TestEntry>()
  const events = new EventEmitter()
  events.setMaxListeners(100)
  let seq = 0
  let decides = 0

  const handlers: Partial<Record<SyscallName, SyscallHandler>> = {
    Remember: {
      kind: 'unary',
      validate: (r: Record<string, any>) => ({ ...r, namespace: required(r, 'namespace'), key: required(r, 'key') }),
      handle: (r: Record<string, any>) => {
        const version = `000000000000.${(++seq).toString(16).padStart(4, '0')}.test`
        const entry = { namespace: r.namespace, key: r.key, value: r.value as Buffer, version }
        entries.set(`${r.namespace}/${r.key}`, entry)
        events.emit('put', entry)
        if (r.key === 'release') events.emit('release')
        return {
          version,
          sha256: createHash('sha256').update(r.value as Buffer).digest('hex'),
          expiresAtMs: r.ttlMs,
          durability: r.durability === 'DURABILITY_UNSPECIFIED' ? 'DURABILITY_LOCAL' : r.durability
        }
      }
    },
    Recall: {
      kind: 'unary',
      validate: (r: Record<string, any>) => ({ namespace: required(r, 'namespace'), key: required(r, 'key') }),
      handle: (r: { namespace: string, key: string }) => {
        const e = entries.get(`${r.namespace}/${r.key}`)
        if (e === undefined) throw new CamosError('CAMOS_ERR_KEY_NOT_FOUND', `key "${r.key}" not found in namespace "${r.namespace}"`)
        return { entry: { namespace: e.namespace, key: e.key, value: e.value, version: e.version, writtenAtMs: 2 ** 53 - 1 } }
      }
    },
    Forget: {
      kind: 'unary',
      validate: (r: Record<string, any>) => ({ namespace: required(r, 'namespace'), key: required(r, 'key') }),
      handle: async (r: { namespace: string, key: string }, ctx) => {
        if (r.key === 'gate') await once(events, 'release', { signal: ctx.signal })
        const existed = entries.delete(`${r.namespace}/${r.key}`)
        return { version: `forget-${r.key}`, count: existed ? 1 : 0 }
      }
    },
    Decide: {
      kind: 'unary',
      validate: () => ({}),
      handle: async (_r, ctx) => {
        decides++
        try {
          await once(events, 'never', { signal: ctx.signal })
        } finally {
          decides--
        }
      }
    },
    Observe: {
      kind: 'server-stream',
      validate: (r: Record<string, any>) => ({ namespace: required(r, 'namespace'), prefix: r.prefix as string, follow: r.follow === true }),
      handle: async (r: { namespace: string, prefix: string, follow: boolean }, ctx, sink, ready) => {
        const matches = (e: TestEntry): boolean => e.namespace === r.namespace && e.key.startsWith(r.prefix)
        for (const e of entries.values()) {
          if (!matches(e)) continue
          await sink({ kind: 'KIND_INITIAL', entry: { namespace: e.namespace, key: e.key, value: e.value, version: e.version } })
          if (r.namespace === 'broken') throw new CamosError('CAMOS_ERR_STORAGE_UNAVAILABLE', 'storage went away mid-stream')
        }
        await sink({ kind: 'KIND_SYNCED' })
        ready()
        if (!r.follow) return
        const queue: TestEntry[] = []
        let wake: (() => void) | undefined
        const onPut = (e: TestEntry): void => { if (matches(e)) { queue.push(e); wake?.() } }
        events.on('put', onPut)
        try {
          while (!ctx.signal.aborted) {
            const e = queue.shift()
            if (e === undefined) {
              await new Promise<void>(resolve => {
                wake = resolve
                ctx.signal.addEventListener('abort', () => { resolve() }, { once: true })
              })
              continue
            }
            await sink({ kind: 'KIND_PUT', entry: { namespace: e.namespace, key: e.key, value: e.value, version: e.version } })
          }
        } finally {
          events.off('put', onPut)
        }
      }
    }
  }
  return { handlers, entries, decidesRunning: () => decides }
}
