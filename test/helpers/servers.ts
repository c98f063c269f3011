/**
 * In-process gRPC + HTTP servers on port 0 over a dispatcher with the test handler table
 * (test-handlers.ts) and the real HealthCheck syscall, for transport tests.
 */
import * as grpc from '@grpc/grpc-js'
import { createDispatcher, type Dispatcher } from '../../kernel/dispatcher.js'
import { createHealthSyscalls } from '../../kernel/health.js'
import { createGrpcServer, type GrpcServer } from '../../node/grpc-server.js'
import { createHttpServer, type HttpServer, type Readiness } from '../../node/http-server.js'
import { createJsonCodec } from '../../node/json.js'
import { createLogger } from '../../node/logger.js'
import { createNodeMetrics, type GrpcMetrics, type NodeMetrics } from '../../node/metrics.js'
import { loadKernelProto, type KernelProto } from '../../proto/load.js'
import { createTestKernel, type TestKernel } from './test-handlers.js'
import type { StorageHealth } from '../../crdt/storage/adapter.js'
import type { SyscallName } from '../../kernel/syscalls.js'

export interface TestServers {
  proto: KernelProto
  kernel: TestKernel
  dispatcher: Dispatcher
  metrics: NodeMetrics
  grpc: GrpcServer
  http: HttpServer
  /** Kernel client connected to the gRPC server. */
  client: grpc.Client & Record<string, any>
  httpUrl: string
  storage: StorageHealth
  serving: { value: boolean }
  /** Highest pipeline in-flight count seen by the metrics sink. */
  pipelinePeak: () => number
  pipelineInFlight: () => number
  stop: () => Promise<void>
}

export interface TestServersInit {
  deadlines?: Partial<Record<SyscallName, number>>
  pipelineMaxInFlight?: number
  maxBodyBytes?: number
}

export async function startTestServers (init: TestServersInit = {}): Promise<TestServers> {
  const log = createLogger({ level: process.env.CAMOS_TEST_LOG === '1' ? 'debug' : 'silent' })
  const proto = loadKernelProto()
  const kernel = createTestKernel()
  const storage: StorageHealth = { state: 'ok', detail: '', backlog: 0 }
  const serving = { value: true }
  const metrics = createNodeMetrics({ nodeId: 'test-node', version: '0.0.0-test' })
  const health = createHealthSyscalls({ storageHealth: () => storage, documentCount: () => kernel.entries.size }, { nodeId: 'test-node', version: '0.0.0-test', startedAt: performance.now() })
  const dispatcher = createDispatcher({ log, metrics: metrics.kernel }, { handlers: { ...kernel.handlers, HealthCheck: health.HealthCheck }, deadlines: init.deadlines })

  let inFlight = 0
  let peak = 0
  const grpcMetrics: GrpcMetrics = {
    ...metrics.grpc,
    pipelineInFlight (delta) {
      metrics.grpc.pipelineInFlight(delta)
      inFlight += delta
      peak = Math.max(peak, inFlight)
    }
  }

  const readiness = (): Readiness => {
    const report = health.report()
    const components = report.components.map(c => ({ name: c.name, state: c.state, detail: c.detail }))
    if (!serving.value) return { ready: false, status: 'stopping', components }
    return { ready: report.state !== 'SERVING_STATE_NOT_SERVING', status: report.state === 'SERVING_STATE_DEGRADED' ? 'degraded' : 'serving', components }
  }
  metrics.watch({ storageHealth: () => storage, documentCount: () => kernel.entries.size, ready: () => readiness().ready })

  const grpcServer = createGrpcServer({ dispatcher, proto, log, metrics: grpcMetrics }, { listen: '127.0.0.1:0', pipelineMaxInFlight: init.pipelineMaxInFlight, shutdownMs: 1_000 })
  const http = createHttpServer({ dispatcher, codec: createJsonCodec(proto.root), log, readiness, renderMetrics: metrics.render, metrics: metrics.http }, { listen: '127.0.0.1:0', maxBodyBytes: init.maxBodyBytes, shutdownMs: 1_000 })
  await grpcServer.start()
  await http.start()
  grpcServer.setServing(true)
  const client = new proto.grpc.camos.v1.Kernel(grpcServer.address(), grpc.credentials.createInsecure()) as unknown as TestServers['client']

  return {
    proto,
    kernel,
    dispatcher,
    metrics,
    grpc: grpcServer,
    http,
    client,
    httpUrl: `http://${http.address()}`,
    storage,
    serving,
    pipelinePeak: () => peak,
    pipelineInFlight: () => inFlight,
    async stop () {
      client.close()
      await dispatcher.drain(1_000)
      await Promise.all([grpcServer.stop(), http.stop()])
    }
  }
}

/** Promisified unary call returning the response and the trailing metadata the server sent. */
export async function unary (client: TestServers['client'], method: string, request: unknown, options: { metadata?: grpc.Metadata, deadlineMs?: number } = {}): Promise<{ err: grpc.ServiceError | null, response: any, metadata: grpc.Metadata | undefined }> {
  return await new Promise(resolve => {
    let result: { err: grpc.ServiceError | null, response: any } | undefined
    let trailers: grpc.Metadata | undefined
    const done = (): void => { if (result !== undefined && trailers !== undefined) resolve({ ...result, metadata: trailers }) }
    const callOptions = options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs }
    const call = client[method](request, options.metadata ?? new grpc.Metadata(), callOptions, (err: grpc.ServiceError | null, response: unknown) => {
      result = { err, response }
      done()
    }) as grpc.ClientUnaryCall
    call.on('status', (status: grpc.StatusObject) => { trailers = status.metadata; done() })
  })
}
