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

/**
 * `caller` holds the caller's cancel signal; it is read only when the call settles
 * asynchronously, so a transport may create its signal lazily (node/grpc-handlers.ts).
 */
export function createUnaryCall (correlationId: string, transport: CallContext['transport'], deadlineMs: number, caller: { readonly signal?: AbortSignal }): UnaryCall {
  let controller: AbortController | undefined
  let reason: CamosError | undefined

  const abort = (err: CamosError): void => {
    reason ??= err
    controller?.abort(reason)
  }

  const ctx: CallContext = {
    correlationId,
    transport,
    get signal () {
      if (controller === undefined) {
        controller = new AbortController()
        if (reason !== undefined) controller.abort(reason)
      }
      return controller.signal
    }
  }

  return {
    ctx,
    async settle (pending) {
      const signal = caller.signal
      if (signal?.aborted === true) abort(cancelReason(signal))
      if (reason !== undefined) throw reason
      return await new Promise((resolve, reject) => {
        // A handler watching its signal may answer the abort with a more precise error of the
        // same kind (e.g. how many replicas acked a write): it gets until the end of this turn.
        let ended = false
        const fail = (): void => {
          ended = true
          if (controller === undefined) reject(reason)
          else setImmediate(() => { reject(reason) })
        }
        const timer = setTimeout(() => {
          abort(new CamosError('CAMOS_ERR_DEADLINE_EXCEEDED', `deadline of ${deadlineMs} ms exceeded`))
          fail()
        }, deadlineMs)
        const onCancel = (): void => {
          abort(cancelReason(signal as AbortSignal))
          fail()
        }
        signal?.addEventListener('abort', onCancel, { once: true })
        const done = (): void => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onCancel)
        }
        pending.then(
          value => { done(); if (ended) reject(reason); else resolve(value) },
          err => { done(); reject(ended && !sameKind(err, reason) ? reason : err) }
        )
      })
    }
  }
}

function sameKind (err: unknown, reason: CamosError | undefined): boolean {
  return err instanceof CamosError && reason !== undefined && err.grpcStatus === reason.grpcStatus
}

/** The caller's own reason when it is a CamosError (e.g. a transport's deadline), else CANCELLED. */
function cancelReason (caller: AbortSignal): CamosError {
  return caller.reason instanceof CamosError ? caller.reason : new CamosError('CAMOS_ERR_CANCELLED', 'call cancelled')
}
