/**
 * The gRPC endpoint: camos.v1.Kernel bound to the dispatcher (every method of the syscall
 * table, plus Pipeline), the standard grpc.health.v1 service (status follows readiness) and
 * server reflection (so grpcurl works without .proto files).
 */
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check'
import { ReflectionService } from '@grpc/reflection'
import { SYSCALL_NAMES, SYSCALLS, type SyscallInfo } from '../kernel/syscalls.js'
import { KERNEL_SERVICE, LOADER_OPTIONS, type KernelProto } from '../proto/load.js'
import { formatHostPort, parseHostPort } from './address.js'
import { pipelineHandler, serverStreamHandler, unaryHandler, type HandlerComponents } from './grpc-handlers.js'
import type { Dispatcher } from '../kernel/dispatcher.js'
import type { Logger, Startable } from '../crdt/types.js'
import type { GrpcMetrics } from './metrics.js'

/** How long stop() lets open calls finish before cancelling them, ms. */
export const DEFAULT_GRPC_SHUTDOWN_MS = 5_000

export interface GrpcServerComponents {
  dispatcher: Dispatcher
  proto: KernelProto
  log: Logger
  metrics?: GrpcMetrics
}

export interface GrpcServerInit {
  /** host:port; port 0 picks a free port (see address()). */
  listen: string
  credentials?: grpc.ServerCredentials
  pipelineMaxInFlight?: number
  shutdownMs?: number
}

export interface GrpcServer extends Startable {
  /** The bound host:port (valid after start). */
  address: () => string
  /** Sets the grpc.health.v1 status of the server and of camos.v1.Kernel. */
  setServing: (serving: boolean) => void
}

export function createGrpcServer (components: GrpcServerComponents, init: GrpcServerInit): GrpcServer {
  const { dispatcher, proto, log, metrics } = components
  const shutdownMs = init.shutdownMs ?? DEFAULT_GRPC_SHUTDOWN_MS
  const { host } = parseHostPort(init.listen)
  const health = new HealthImplementation({ '': 'NOT_SERVING', [KERNEL_SERVICE]: 'NOT_SERVING' })
  const implementation = kernelImplementation({ dispatcher, log, metrics }, init)
  // Reflection describes the kernel and the health service alike.
  const reflected = oneEntryPerFileSet({ ...protoLoader.loadSync(healthProtoPath, LOADER_OPTIONS), ...proto.packageDefinition })
  let server: grpc.Server | undefined
  let bound = ''

  return {
    address: () => bound,
    setServing (serving) {
      const status = serving ? 'SERVING' : 'NOT_SERVING'
      health.setStatus('', status)
      health.setStatus(KERNEL_SERVICE, status)
    },
    async start () {
      if (server !== undefined) return
      // Nothing serves channelz here, and its per-call bookkeeping costs every call.
      const s = new grpc.Server({ 'grpc.enable_channelz': 0 })
      s.addService(proto.grpc.camos.v1.Kernel.service, implementation)
      health.addToServer(s)
      new ReflectionService(reflected).addToServer(s)
      const port = await new Promise<number>((resolve, reject) => {
        s.bindAsync(init.listen, init.credentials ?? grpc.ServerCredentials.createInsecure(), (err, port) => {
          if (err !== null) reject(new Error(`cannot listen for gRPC on ${init.listen}: ${err.message}`, { cause: err }))
          else resolve(port)
        })
      })
      server = s
      bound = formatHostPort(host, port)
      log.info('gRPC listening', { address: bound })
    },
    async stop () {
      const s = server
      if (s === undefined) return
      server = undefined
      health.setStatus('', 'NOT_SERVING')
      health.setStatus(KERNEL_SERVICE, 'NOT_SERVING')
      await new Promise<void>(resolve => {
        const timer = setTimeout(() => {
          log.warn('gRPC calls still open after shutdown bound; cancelling them', { ms: shutdownMs })
          s.forceShutdown()
          resolve()
        }, shutdownMs)
        s.tryShutdown(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
}

/**
 * The package definition with one entry per distinct set of file descriptors. Every type of a
 * package carries the same descriptor set, and ReflectionService decodes the set of every entry
 * it is given (then keeps one copy per file): on the whole definition that was ~90 ms of each
 * start-up, on this the same files in a few ms.
 */
function oneEntryPerFileSet (definition: protoLoader.PackageDefinition): protoLoader.PackageDefinition {
  const seen = new Set<unknown>()
  const out: protoLoader.PackageDefinition = {}
  for (const [name, entry] of Object.entries(definition)) {
    const files = (entry as { fileDescriptorProtos?: unknown }).fileDescriptorProtos
    if (files === undefined || seen.has(files)) continue
    seen.add(files)
    out[name] = entry
  }
  return out
}

/** One handler per method of camos.v1.Kernel, derived from the syscall table. */
function kernelImplementation (components: HandlerComponents, init: GrpcServerInit): grpc.UntypedServiceImplementation {
  const implementation: grpc.UntypedServiceImplementation = {
    Pipeline: pipelineHandler(components, { maxInFlight: init.pipelineMaxInFlight })
  }
  for (const name of SYSCALL_NAMES) {
    implementation[name] = (SYSCALLS[name] as SyscallInfo).kind === 'unary'
      ? unaryHandler(components, name)
      : serverStreamHandler(components, name)
  }
  return implementation
}
