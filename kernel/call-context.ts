/**
 * The context of one unary call, built to cost almost nothing on the hot path: a synchronous
 * handler (Recall) gets no timer and no AbortController at all; an asynchronous one gets one
 * deadline timer, and an AbortSignal only if it reads `ctx.signal`.
 */
import { CamosError } from './errors.js'
import type { CallContext } from './handler.js'

export interface UnaryCall {
  ctx: CallContext
  /** Settles with `pending`, or rejects when the deadline passes or the caller cancels. */
  settle: <T>(pending: Promise<T>) => Promise<T>
}

/** How a caller says it has gone (part of the dispatcher's CallOptions). */
export interface CancelSource {
  signal?: AbortSignal
  /**
   * Used instead of `signal` when given: subscribes `listener` to the caller's cancellation
   * (calling it at once if the caller is gone already) and returns the unsubscribe. It spares a
   * transport an AbortController per call (node/grpc-handlers.ts says what that cost).
   */
  onCancel?: (listener: (reason: CamosError) => void) => () => void
}

const nothingToUndo = (): void => {}

/**
 * Subscribes `listener` to the caller's cancellation (called at once if the caller is gone
 * already); returns the unsubscribe.
 */
export function onCallerCancel (caller: CancelSource, listener: (reason: CamosError) => void): () => void {
  if (caller.onCancel !== undefined) return caller.onCancel(listener)
  const signal = caller.signal
  if (signal === undefined) return nothingToUndo
  if (signal.aborted) {
    listener(cancelReason(signal))
    return nothingToUndo
  }
  const onAbort = (): void => { listener(cancelReason(signal)) }
  signal.addEventListener('abort', onAbort, { once: true })
  return () => { signal.removeEventListener('abort', onAbort) }
}

/**
 * The caller's cancellation is subscribed to only when the call settles asynchronously, so a
 * synchronous handler's call (Recall) costs no listener at all.
 */
export function createUnaryCall (correlationId: string, transport: CallContext['transport'], deadlineMs: number, caller: CancelSource): UnaryCall {
  const ctx = new LazyCallContext(correlationId, transport)

  return {
    ctx,
    async settle (pending) {
      if (ctx.reason !== undefined) throw ctx.reason
      return await new Promise((resolve, reject) => {
        // A handler watching its signal may answer the abort with a more precise error of the
        // same kind (e.g. how many replicas acked a write): it gets until the end of this turn.
        let ended = false
        const fail = (): void => {
          ended = true
          if (ctx.controller === undefined) reject(ctx.reason)
          else setImmediate(() => { reject(ctx.reason) })
        }
        const timer = setTimeout(() => {
          ctx.abort(new CamosError('CAMOS_ERR_DEADLINE_EXCEEDED', `deadline of ${deadlineMs} ms exceeded`))
          fail()
        }, deadlineMs)
        const unsubscribe = onCallerCancel(caller, reason => {
          ctx.abort(reason)
          fail()
        })
        const done = (): void => {
          clearTimeout(timer)
          unsubscribe()
        }
        pending.then(
          value => { done(); if (ended) reject(ctx.reason); else resolve(value) },
          err => { done(); reject(ended && !sameKind(err, ctx.reason) ? ctx.reason : err) }
        )
      })
    }
  }
}

/**
 * The handler's view of the call. A class, not an object literal with a `get signal ()`: V8
 * allocates such a literal's accessor pair in old space, which kept every call's objects alive
 * through minor GCs (see node/grpc-handlers.ts).
 */
class LazyCallContext implements CallContext {
  controller: AbortController | undefined
  reason: CamosError | undefined

  constructor (readonly correlationId: string, readonly transport: CallContext['transport']) {}

  get signal (): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController()
      if (this.reason !== undefined) this.controller.abort(this.reason)
    }
    return this.controller.signal
  }

  abort (err: CamosError): void {
    this.reason ??= err
    this.controller?.abort(this.reason)
  }
}

function sameKind (err: unknown, reason: CamosError | undefined): boolean {
  return err instanceof CamosError && reason !== undefined && err.grpcStatus === reason.grpcStatus
}

/** The caller's own reason when it is a CamosError (e.g. a transport's deadline), else CANCELLED. */
function cancelReason (caller: AbortSignal): CamosError {
  return caller.reason instanceof CamosError ? caller.reason : new CamosError('CAMOS_ERR_CANCELLED', 'call cancelled')
}
