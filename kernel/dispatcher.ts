/**
 * The syscall dispatcher: every transport (gRPC, HTTP gateway, pipeline, in-process) calls
 * syscalls through here. It validates, applies the per-syscall deadline, routes to the handler,
 * turns failures into public errors (stable code, gRPC status, redacted message, correlation
 * id) and records latency/outcome metrics.
 */
import { randomUUID } from 'node:crypto'
import { CamosError, ERROR_CODES, type ErrorCode, UnimplementedError } from './errors.js'
import { createUnaryCall, onCallerCancel, type CancelSource } from './call-context.js'
import { isSyscallName, SYSCALLS, type SyscallInfo, type SyscallName } from './syscalls.js'
import type { CallContext, EventSink, SyscallHandler } from './handler.js'
import type { Logger } from '../crdt/types.js'

export interface PublicError {
  code: ErrorCode
  grpcCode: number
  message: string
  correlationId: string
}

export type CallResult<T = unknown> =
  | { ok: true, response: T, correlationId: string }
  | { ok: false, error: PublicError }

export interface KernelMetrics {
  observeSyscall: (syscall: string, outcome: ErrorCode | 'OK', seconds: number) => void
}

export interface DispatcherComponents {
  log: Logger
  metrics?: KernelMetrics
}

export interface DispatcherInit {
  handlers: Partial<Record<SyscallName, SyscallHandler>>
  /** Per-syscall deadline overrides in ms. */
  deadlines?: Partial<Record<SyscallName, number>>
}

export interface CallOptions extends CancelSource {
  correlationId?: string
  transport?: CallContext['transport']
  /** Caller's deadline in ms from now; the shorter of it and the syscall's deadline applies. */
  deadlineMs?: number
}

export interface Dispatcher {
  call: <T = unknown>(name: string, request: unknown, options?: CallOptions) => Promise<CallResult<T>>
  stream: <Ev = unknown>(name: string, request: unknown, sink: EventSink<Ev>, options?: CallOptions) => Promise<CallResult<void>>
  /** Implemented syscalls (the rest answer UNIMPLEMENTED). */
  implemented: () => SyscallName[]
  /** Refuse new calls, abort open streams, wait (bounded) for in-flight unary calls. */
  drain: (timeoutMs: number) => Promise<void>
}

export function createDispatcher (components: DispatcherComponents, init: DispatcherInit): Dispatcher {
  const { log, metrics } = components
  const handlers = init.handlers
  const deadline = (name: SyscallName): number => init.deadlines?.[name] ?? (SYSCALLS[name] as SyscallInfo).deadlineMs
  /** Open server streams, aborted on drain (unary calls are left to finish). */
  const openStreams = new Set<AbortController>()
  let inFlight = 0
  let draining = false
  let idle: (() => void) | undefined

  function publicError (name: string, err: unknown, correlationId: string): PublicError {
    let camos: CamosError
    if (err instanceof CamosError) {
      camos = err
    } else {
      log.error('syscall failed', { syscall: name, correlationId, err: err instanceof Error ? err.stack : String(err) })
      camos = new CamosError('CAMOS_ERR_INTERNAL', `internal error (correlation id ${correlationId})`)
    }
    return { code: camos.code, grpcCode: ERROR_CODES[camos.code].grpc, message: camos.message, correlationId }
  }

  function finish (name: string, started: bigint, outcome: ErrorCode | 'OK'): void {
    metrics?.observeSyscall(name, outcome, Number(process.hrtime.bigint() - started) / 1e9)
  }

  function resolveHandler (name: string, kind: SyscallHandler['kind']): SyscallHandler {
    if (!isSyscallName(name)) throw new CamosError('CAMOS_ERR_UNKNOWN_SYSCALL', `unknown syscall "${name}"`)
    if (draining) throw new CamosError('CAMOS_ERR_SHUTTING_DOWN', 'node is shutting down')
    const handler = handlers[name]
    if (handler === undefined) throw new UnimplementedError(name)
    if (handler.kind !== kind) {
      throw new CamosError('CAMOS_ERR_INVALID_ARGUMENT', `${name} is a ${handler.kind} syscall; call it as one`)
    }
    return handler
  }

  /** Signal aborted by the deadline or the caller's cancellation; and its cleanup. */
  function callSignal (ms: number, caller: CallOptions): { signal: AbortSignal, timer: NodeJS.Timeout, controller: AbortController, detach: () => void } {
    const controller = new AbortController()
    const timer = setTimeout(() => { controller.abort(new CamosError('CAMOS_ERR_DEADLINE_EXCEEDED', `deadline of ${ms} ms exceeded`)) }, ms)
    const unsubscribe = onCallerCancel(caller, () => { controller.abort(new CamosError('CAMOS_ERR_CANCELLED', 'call cancelled')) })
    const detach = (): void => {
      clearTimeout(timer)
      unsubscribe()
    }
    return { signal: controller.signal, timer, controller, detach }
  }

  function leave (): void {
    inFlight--
    if (inFlight === 0 && idle !== undefined) idle()
  }

  async function call<T> (name: string, request: unknown, options: CallOptions = {}): Promise<CallResult<T>> {
    const started = process.hrtime.bigint()
    const correlationId = options.correlationId ?? randomUUID()
    inFlight++
    try {
      const handler = resolveHandler(name, 'unary')
      if (handler.kind !== 'unary') throw new Error('unreachable')
      const req = handler.validate(request ?? {})
      const ms = Math.min(deadline(name as SyscallName), options.deadlineMs ?? Infinity)
      const unary = createUnaryCall(correlationId, options.transport ?? 'inproc', ms, options)
      let result = handler.handle(req, unary.ctx)
      if (result instanceof Promise) result = await unary.settle(result)
      finish(name, started, 'OK')
      return { ok: true, response: result as T, correlationId }
    } catch (err) {
      const error = publicError(name, err, correlationId)
      finish(name, started, error.code)
      return { ok: false, error }
    } finally {
      leave()
    }
  }

  async function stream<Ev> (name: string, request: unknown, sink: EventSink<Ev>, options: CallOptions = {}): Promise<CallResult<void>> {
    const started = process.hrtime.bigint()
    const correlationId = options.correlationId ?? randomUUID()
    let sig: ReturnType<typeof callSignal> | undefined
    try {
      const handler = resolveHandler(name, 'server-stream')
      if (handler.kind !== 'server-stream') throw new Error('unreachable')
      const req = handler.validate(request ?? {})
      const ms = Math.min(deadline(name as SyscallName), options.deadlineMs ?? Infinity)
      sig = callSignal(ms, options)
      openStreams.add(sig.controller)
      const timer = sig.timer
      const ctx: CallContext = { correlationId, signal: sig.signal, transport: options.transport ?? 'inproc' }
      await raceAbort(handler.handle(req, ctx, sink, () => { clearTimeout(timer) }), sig.signal, true)
      finish(name, started, 'OK')
      return { ok: true, response: undefined, correlationId }
    } catch (err) {
      const error = publicError(name, err, correlationId)
      finish(name, started, error.code)
      return { ok: false, error }
    } finally {
      if (sig !== undefined) {
        sig.detach()
        openStreams.delete(sig.controller)
      }
    }
  }

  return {
    call,
    stream,
    implemented: () => (Object.keys(handlers) as SyscallName[]).filter(n => handlers[n] !== undefined),
    async drain (timeoutMs) {
      draining = true
      for (const stream of openStreams) stream.abort(new CamosError('CAMOS_ERR_CANCELLED', 'node is shutting down'))
      if (inFlight === 0) return
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, timeoutMs)
        idle = () => { clearTimeout(timer); resolve() }
      })
    }
  }
}

/**
 * Settles with the promise, or rejects with the signal's reason when it aborts first. A
 * following stream ends normally when it is cancelled by its caller (`cancelEndsStream`).
 */
async function raceAbort<T> (promise: Promise<T>, signal: AbortSignal, cancelEndsStream = false): Promise<T> {
  if (signal.aborted) throw signal.reason
  return await new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      const reason = signal.reason
      if (cancelEndsStream && reason instanceof CamosError && reason.code === 'CAMOS_ERR_CANCELLED') {
        promise.then(resolve, reject)
        return
      }
      reject(reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      value => { signal.removeEventListener('abort', onAbort); resolve(value) },
      err => { signal.removeEventListener('abort', onAbort); reject(err) }
    )
  })
}
