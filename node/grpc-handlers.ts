/**
 * grpc-js method handlers over the dispatcher: unary calls, server streams with backpressure,
 * and the Pipeline bidi stream. Every call carries `x-correlation-id` in its trailing metadata
 * (streams also in their initial metadata) and, on failure, `x-camos-error-code` with the
 * stable error code; the client's deadline reaches the handler as `deadlineMs`, and a stream's
 * cancellation as an abort signal.
 */
import { randomUUID } from 'node:crypto'
import * as grpc from '@grpc/grpc-js'
import { CamosError } from '../kernel/errors.js'
import { batchFieldOf, MAX_PIPELINE_CALLS, MAX_STREAM_BATCH_EVENTS, PIPELINE_FIELDS } from '../kernel/syscalls.js'
import type { CallOptions, Dispatcher, PublicError } from '../kernel/dispatcher.js'
import type { Logger } from '../crdt/types.js'
import type { GrpcMetrics } from './metrics.js'

export const CORRELATION_HEADER = 'x-correlation-id'
export const ERROR_CODE_HEADER = 'x-camos-error-code'
/** A cancellation this close to the call's deadline is reported as the deadline passing, ms. */
const DEADLINE_SLACK_MS = 50
/** Pipelined calls one stream may have running before the server stops reading from it. */
export const DEFAULT_PIPELINE_MAX_IN_FLIGHT = 1024

const CORRELATION_ID = /^[\w.:-]{1,128}$/

export interface HandlerComponents {
  dispatcher: Dispatcher
  log: Logger
  metrics?: GrpcMetrics
}

type AnyCall = grpc.ServerUnaryCall<any, any> | grpc.ServerWritableStream<any, any> | grpc.ServerDuplexStream<any, any>

/** The caller's correlation id when it sent a well-formed one, else a new one. */
export function correlationIdOf (metadata: grpc.Metadata): string {
  const given = metadata.get(CORRELATION_HEADER)[0]
  return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID()
}

function correlationMetadata (correlationId: string): grpc.Metadata {
  const md = new grpc.Metadata()
  md.set(CORRELATION_HEADER, correlationId)
  return md
}

function remainingMs (call: AnyCall): number | undefined {
  const deadline = call.getDeadline()
  const at = deadline instanceof Date ? deadline.getTime() : deadline
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined
}

/** Call options for the dispatcher, with an abort signal fired when the client cancels. */
function callOptions (call: AnyCall, correlationId: string, transport: CallOptions['transport']): CallOptions & { signal: AbortSignal } {
  const controller = new AbortController()
  const events: NodeJS.EventEmitter = call
  events.once('cancelled', () => { controller.abort() })
  return { signal: controller.signal, correlationId, transport, deadlineMs: remainingMs(call) }
}

function serviceError (error: PublicError): Partial<grpc.StatusObject> {
  const metadata = correlationMetadata(error.correlationId)
  metadata.set(ERROR_CODE_HEADER, error.code)
  return { code: error.grpcCode, details: error.message, metadata }
}

/**
 * A unary call's options. The dispatcher subscribes to the client's cancellation only when the
 * handler settles asynchronously, and then through grpc-js's own 'cancelled' event: an
 * AbortController per call, with its listener, was 1.3-1.6% of a writing node's main thread in
 * a perf profile of sequential Remembers. It unsubscribes when the handler settles, before the
 * callback answers: grpc-js also reports the end of a finished call as 'cancelled'.
 *
 * A class, not an object literal: these options were once a literal with a `get signal ()`,
 * whose accessor pair V8 allocates in old space, so its getter closure and every object of the
 * call it reached (the grpc-js call included) outlived minor GCs. That promoted ~9 KB per unary
 * call, and the node's scavenges took 4-7 ms instead of 1-2.
 */
class UnaryCallOptions implements CallOptions {
  readonly transport = 'grpc'
  readonly deadlineMs: number | undefined

  constructor (private readonly call: grpc.ServerUnaryCall<any, any>, readonly correlationId: string) {
    this.deadlineMs = remainingMs(call)
  }

  onCancel (listener: (reason: CamosError) => void): () => void {
    const call = this.call
    const onCancelled = (): void => { listener(cancelReason(call)) }
    if (call.cancelled) {
      onCancelled()
      return () => {}
    }
    call.once('cancelled', onCancelled)
    return () => { call.off('cancelled', onCancelled) }
  }
}

/**
 * grpc-js reports a passed deadline as 'cancelled' too: tell the two apart. Its deadline timer
 * can fire early by the event loop's lag, hence the slack.
 */
function cancelReason (call: grpc.ServerUnaryCall<any, any>): CamosError {
  const deadline = call.getDeadline()
  const at = deadline instanceof Date ? deadline.getTime() : deadline
  return Date.now() >= at - DEADLINE_SLACK_MS
    ? new CamosError('CAMOS_ERR_DEADLINE_EXCEEDED', 'the client deadline passed')
    : new CamosError('CAMOS_ERR_CANCELLED', 'call cancelled by the client')
}

/**
 * A unary call carries its correlation id in the trailing metadata only, which keeps its cost
 * near a bare grpc-js handler's.
 */
export function unaryHandler (components: HandlerComponents, syscall: string): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    const correlationId = correlationIdOf(call.metadata)
    components.dispatcher.call(syscall, call.request, new UnaryCallOptions(call, correlationId)).then(result => {
      if (result.ok) callback(null, result.response, correlationMetadata(correlationId))
      else callback(serviceError(result.error))
    }, err => {
      components.log.error('unary dispatch failed', { syscall, correlationId, err })
      callback({ code: grpc.status.INTERNAL, details: `internal error (correlation id ${correlationId})` })
    })
  }
}

/** Resolves once the stream can take more, or at once when the call is gone. */
async function drained (stream: NodeJS.EventEmitter, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  await new Promise<void>(resolve => {
    const done = (): void => {
      stream.off('drain', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    stream.on('drain', done)
    signal.addEventListener('abort', done, { once: true })
  })
}

interface StreamOut {
  sink: (event: unknown) => Promise<void>
  /** Resolves once every event given to the sink has been written. */
  flushed: () => Promise<void>
}

/** One gRPC message per event. */
function singleEvents (call: grpc.ServerWritableStream<any, any>, signal: AbortSignal): StreamOut {
  return {
    async sink (event) {
      if (signal.aborted) return
      if (!call.write(event)) await drained(call, signal)
    },
    flushed: async () => {}
  }
}

/**
 * Events gathered while the work that produced them finishes (a transaction's changes come in
 * one promise-job drain) and written as one message `{ [field]: events }`. The batch is closed
 * with process.nextTick, not setImmediate: Node's HTTP/2 sends what a write queued in the next
 * check phase, so a batch written from a setImmediate went out a whole loop turn later, after
 * every socket that turn's poll found ready. The producer waits while a whole batch is queued
 * behind a full transport, so a slow client holds back the stream (which ends it once its own
 * buffer limit is reached) instead of the memory.
 */
function batchedEvents (call: grpc.ServerWritableStream<any, any>, signal: AbortSignal, field: string): StreamOut {
  const outbox: unknown[] = []
  let writing: Promise<void> | undefined

  function kick (): Promise<void> {
    writing ??= (async () => {
      await new Promise(resolve => process.nextTick(resolve))
      try {
        while (outbox.length > 0 && !signal.aborted) {
          const events = outbox.splice(0, MAX_STREAM_BATCH_EVENTS)
          if (!call.write({ [field]: events })) await drained(call, signal)
        }
      } finally {
        writing = undefined
      }
    })()
    return writing
  }

  return {
    async sink (event) {
      if (signal.aborted) return
      outbox.push(event)
      const written = kick()
      if (outbox.length >= MAX_STREAM_BATCH_EVENTS) await written
    },
    async flushed () {
      while ((outbox.length > 0 && !signal.aborted) || writing !== undefined) await (writing ?? kick())
    }
  }
}

export function serverStreamHandler (components: HandlerComponents, syscall: string): grpc.handleServerStreamingCall<any, any> {
  return call => {
    const correlationId = correlationIdOf(call.metadata)
    const options = callOptions(call, correlationId, 'grpc')
    components.metrics?.streamOpened(syscall)
    call.sendMetadata(correlationMetadata(correlationId))
    const batchField = batchFieldOf(syscall)
    const out = batchField === undefined ? singleEvents(call, options.signal) : batchedEvents(call, options.signal, batchField)
    components.dispatcher.stream(syscall, call.request, out.sink, options).then(async result => {
      await out.flushed()
      if (result.ok) call.end(correlationMetadata(correlationId))
      else call.emit('error', serviceError(result.error))
    }, err => {
      components.log.error('stream dispatch failed', { syscall, correlationId, err })
      call.emit('error', { code: grpc.status.INTERNAL, details: `internal error (correlation id ${correlationId})` })
    }).finally(() => {
      components.metrics?.streamClosed(syscall)
    })
  }
}

export interface PipelineInit {
  maxInFlight?: number
}

/**
 * Pipeline: each PipelineRequest carries calls { id, <syscall field> }, and each call runs as its
 * own unary call. Results are gathered and written once per event-loop turn, many to a
 * PipelineResponse, each carrying its call's id: per-message transport costs are paid per batch,
 * not per call. At most `maxInFlight` calls (counting results waiting for the transport) run per
 * stream: past that the server stops reading, so a client cannot queue unbounded work.
 */
export function pipelineHandler (components: HandlerComponents, init: PipelineInit = {}): grpc.handleBidiStreamingCall<any, any> {
  const maxInFlight = init.maxInFlight ?? DEFAULT_PIPELINE_MAX_IN_FLIGHT
  const { dispatcher, log, metrics } = components

  return call => {
    const streamId = correlationIdOf(call.metadata)
    const options = callOptions(call, streamId, 'pipeline')
    let inFlight = 0
    let paused = false
    let inputEnded = false
    let finished = false
    const outbox: Array<Record<string, unknown>> = []
    let flushQueued = false
    let waitingForDrain = false
    metrics?.streamOpened('Pipeline')
    call.sendMetadata(correlationMetadata(streamId))

    const finish = (): void => {
      if (finished) return
      finished = true
      metrics?.streamClosed('Pipeline')
      if (!options.signal.aborted) call.end(correlationMetadata(streamId))
    }

    const settled = (n: number): void => {
      inFlight -= n
      metrics?.pipelineInFlight(-n)
      if (paused && inFlight < maxInFlight) {
        paused = false
        call.resume()
      }
      if (inputEnded && inFlight === 0) finish()
    }

    /** Writes the gathered results; a full transport holds the rest until it drains. */
    async function flush (): Promise<void> {
      flushQueued = false
      if (waitingForDrain) return
      while (outbox.length > 0) {
        const results = outbox.splice(0, MAX_PIPELINE_CALLS)
        if (!options.signal.aborted && !call.write({ results })) {
          waitingForDrain = true
          await drained(call, options.signal)
          waitingForDrain = false
        }
        settled(results.length)
      }
    }

    const answer = (result: Record<string, unknown>): void => {
      outbox.push(result)
      if (flushQueued || waitingForDrain) return
      flushQueued = true
      setImmediate(() => {
        flush().catch(err => { log.error('pipeline flush failed', { streamId, err }) })
      })
    }

    const invalid = (id: unknown, message: string): Record<string, unknown> => {
      const correlationId = randomUUID()
      return { id, correlationId, error: { code: grpc.status.INVALID_ARGUMENT, message, errorCode: 'CAMOS_ERR_INVALID_ARGUMENT', correlationId } }
    }

    async function run (request: Record<string, unknown>): Promise<Record<string, unknown>> {
      const id = request.id ?? 0
      const field = typeof request.call === 'string' ? request.call : undefined
      const syscall = field === undefined ? undefined : PIPELINE_FIELDS.get(field)
      if (field === undefined || syscall === undefined) return invalid(id, 'call: exactly one syscall field must be set')
      // No per-call cancel signal (thousands may be in flight): a cancelled stream's calls end
      // by their deadline and their answers are dropped.
      const result = await dispatcher.call(syscall, request[field], { transport: 'pipeline', deadlineMs: remainingMs(call) })
      return result.ok
        ? { id, correlationId: result.correlationId, [field]: result.response }
        : { id, correlationId: result.error.correlationId, error: { code: result.error.grpcCode, message: result.error.message, errorCode: result.error.code, correlationId: result.error.correlationId } }
    }

    call.on('data', (request: { calls?: Array<Record<string, unknown>> }) => {
      const calls = request.calls ?? []
      if (calls.length === 0) return
      inFlight += calls.length
      metrics?.pipelineInFlight(calls.length)
      if (inFlight >= maxInFlight && !paused) {
        paused = true
        call.pause()
      }
      if (calls.length > MAX_PIPELINE_CALLS) {
        const message = `calls: ${calls.length} calls in one message; the limit is ${MAX_PIPELINE_CALLS}`
        for (const c of calls) answer(invalid(c.id ?? 0, message))
        return
      }
      for (const c of calls) {
        run(c).then(answer, err => {
          log.error('pipelined call failed', { streamId, err })
          settled(1)
        })
      }
    })
    call.on('end', () => {
      inputEnded = true
      if (inFlight === 0) finish()
    })
    options.signal.addEventListener('abort', finish, { once: true })
    call.on('error', err => { log.debug('pipeline stream error', { streamId, err: err.message }) })
  }
}
