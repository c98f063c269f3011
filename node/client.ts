/**
 * Typed TypeScript client of a node's gRPC endpoint, used by the CLI, the benchmarks and the
 * end-to-end tests. Unary calls resolve with the decoded response or reject with a
 * KernelCallError carrying the gRPC status, the CAM-OS error message and the correlation id.
 */
import * as grpc from '@grpc/grpc-js'
import { loadKernelProto, type KernelProto } from '../proto/load.js'
import { CORRELATION_HEADER, ERROR_CODE_HEADER } from './grpc-handlers.js'
import type { KernelClient as GeneratedKernelClient } from '../proto/gen/camos/v1/Kernel.js'
import { batchFieldOf, MAX_PIPELINE_CALLS } from '../kernel/syscalls.js'
import type { PipelineCall } from '../proto/gen/camos/v1/PipelineCall.js'
import type { PipelineRequest } from '../proto/gen/camos/v1/PipelineRequest.js'
import type { PipelineResponse__Output } from '../proto/gen/camos/v1/PipelineResponse.js'
import type { PipelineResult__Output } from '../proto/gen/camos/v1/PipelineResult.js'

/** Default per-call timeout of the client, ms. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 10_000

export class KernelCallError extends Error {
  readonly grpcCode: grpc.status
  /** Stable CAM-OS code (e.g. CAMOS_ERR_KEY_INVALID) when the node sent one. */
  readonly errorCode: string | undefined
  readonly correlationId: string | undefined

  constructor (grpcCode: grpc.status, message: string, errorCode?: string, correlationId?: string) {
    super(message)
    this.name = 'KernelCallError'
    this.grpcCode = grpcCode
    this.errorCode = errorCode === '' ? undefined : errorCode
    this.correlationId = correlationId === '' ? undefined : correlationId
  }

  /** Name of the gRPC status, e.g. INVALID_ARGUMENT. */
  get codeName (): string {
    return grpc.status[this.grpcCode] ?? String(this.grpcCode)
  }

  /** `error: CODE message (correlation id …)`, as the CLI prints it. */
  describe (): string {
    const id = this.correlationId === undefined ? '' : ` (correlation id ${this.correlationId})`
    return `error: ${this.errorCode ?? this.codeName} ${this.message}${id}`
  }
}

export interface KernelClientInit {
  /** host:port of the node's gRPC endpoint. */
  address: string
  proto?: KernelProto
  timeoutMs?: number
  /** grpc-js channel options, e.g. a short reconnect backoff for a client polling a starting node. */
  channelOptions?: grpc.ChannelOptions
}

export interface PipelineStream {
  /**
   * Queues one call; resolves with its result (or rejects with KernelCallError). Calls queued
   * in the same event-loop turn travel in one message.
   */
  call: (request: Omit<PipelineCall, 'id'>) => Promise<PipelineResult__Output>
  end: () => void
}

export interface KernelClient {
  /** Unary syscall by name, with the proto-loader object shape. */
  call: <Res = any>(syscall: string, request: unknown, options?: { timeoutMs?: number }) => Promise<Res>
  /**
   * Server-streaming syscall; `onEvent` sees every event; resolves when the stream ends or
   * when `signal` aborts it.
   */
  stream: <Ev = any>(syscall: string, request: unknown, onEvent: (event: Ev) => void, options?: { signal?: AbortSignal, timeoutMs?: number }) => Promise<void>
  pipeline: () => PipelineStream
  close: () => void
  raw: GeneratedKernelClient
}

export function toCallError (err: grpc.ServiceError): KernelCallError {
  const header = (name: string): string | undefined => {
    const value = err.metadata?.get(name)[0]
    return value === undefined ? undefined : String(value)
  }
  return new KernelCallError(err.code, err.details ?? err.message, header(ERROR_CODE_HEADER), header(CORRELATION_HEADER))
}

export function createKernelClient (init: KernelClientInit): KernelClient {
  const proto = init.proto ?? loadKernelProto()
  const raw = new proto.grpc.camos.v1.Kernel(init.address, grpc.credentials.createInsecure(), init.channelOptions)
  const defaultTimeout = init.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS
  const methods = raw as unknown as Record<string, (...args: any[]) => any>

  function method (syscall: string): (...args: any[]) => any {
    const fn = methods[syscall]
    if (typeof fn !== 'function') throw new TypeError(`unknown syscall "${syscall}"`)
    return fn.bind(raw)
  }

  return {
    raw,
    async call (syscall, request, options) {
      const fn = method(syscall)
      const deadline = Date.now() + (options?.timeoutMs ?? defaultTimeout)
      return await new Promise((resolve, reject) => {
        fn(request, { deadline }, (err: grpc.ServiceError | null, response: any) => {
          if (err != null) reject(toCallError(err))
          else resolve(response)
        })
      })
    },
    async stream (syscall, request, onEvent, options) {
      const callOptions = options?.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs }
      const call: grpc.ClientReadableStream<any> = method(syscall)(request, callOptions)
      // Batched streams (Observe) carry several events per message; callers see single events.
      const batchField = batchFieldOf(syscall)
      const onAbort = (): void => { call.cancel() }
      options?.signal?.addEventListener('abort', onAbort, { once: true })
      try {
        await new Promise<void>((resolve, reject) => {
          const emit = onEvent as (event: unknown) => void
          if (batchField === undefined) call.on('data', emit)
          else call.on('data', (batch: Record<string, unknown[] | undefined>) => { for (const event of batch[batchField] ?? []) emit(event) })
          call.on('error', (err: grpc.ServiceError) => {
            if (err.code === grpc.status.CANCELLED && options?.signal?.aborted === true) resolve()
            else reject(toCallError(err))
          })
          call.on('end', () => { resolve() })
        })
      } finally {
        options?.signal?.removeEventListener('abort', onAbort)
      }
    },
    pipeline () {
      const duplex: grpc.ClientDuplexStream<PipelineRequest, PipelineResponse__Output> = raw.Pipeline()
      const waiting = new Map<number, { resolve: (r: PipelineResult__Output) => void, reject: (e: Error) => void }>()
      let queued: PipelineCall[] = []
      let flushQueued = false
      let nextId = 1
      let failed: Error | undefined
      const flush = (): void => {
        flushQueued = false
        if (failed !== undefined) return
        for (let i = 0; i < queued.length; i += MAX_PIPELINE_CALLS) duplex.write({ calls: queued.slice(i, i + MAX_PIPELINE_CALLS) })
        queued = []
      }
      duplex.on('data', (res: PipelineResponse__Output) => {
        for (const r of res.results) {
          const w = waiting.get(r.id)
          if (w === undefined) continue
          waiting.delete(r.id)
          if (r.result === 'error' && r.error != null) {
            w.reject(new KernelCallError(r.error.code, r.error.message, r.error.errorCode, r.error.correlationId))
          } else {
            w.resolve(r)
          }
        }
      })
      const failAll = (err: Error): void => {
        failed = err
        queued = []
        for (const w of waiting.values()) w.reject(err)
        waiting.clear()
      }
      duplex.on('error', (err: grpc.ServiceError) => { failAll(toCallError(err)) })
      duplex.on('end', () => { failAll(new Error('pipeline stream ended')) })
      return {
        async call (request) {
          if (failed !== undefined) throw failed
          const id = nextId++
          return await new Promise((resolve, reject) => {
            waiting.set(id, { resolve, reject })
            queued.push({ ...request, id })
            if (!flushQueued) {
              flushQueued = true
              setImmediate(flush)
            }
          })
        },
        end () {
          flush()
          duplex.end()
        }
      }
    },
    close () { raw.close() }
  }
}
