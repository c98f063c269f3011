/**
 * The HTTP endpoint (node:http):
 *
 *   GET  /healthz          200 while the process runs.
 *   GET  /readyz           200 when the node serves syscalls, 503 when it does not; the JSON
 *                          body lists component states. A "degraded" node (e.g. the Redis
 *                          written behind the embedded log is unreachable) answers 200 with
 *                          status "degraded": it still serves reads and acknowledged writes,
 *                          and taking it out of rotation would turn a Redis hiccup into an
 *                          outage.
 *   GET  /metrics          Prometheus exposition.
 *   POST /v1/<Syscall>     JSON gateway over the dispatcher (proto3 canonical JSON, node/json.ts).
 *                          Server-streaming syscalls answer NDJSON: one event object per line;
 *                          a failure after the first event is a final line {"error": {…}}.
 *
 * Errors are JSON { code, message, correlationId } with the HTTP status of node/http-status.ts;
 * every gateway answer carries the `x-correlation-id` header.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { CamosError, ERROR_CODES } from '../kernel/errors.js'
import { isSyscallName, SYSCALLS, type SyscallInfo } from '../kernel/syscalls.js'
import { formatHostPort, parseHostPort } from './address.js'
import { CORRELATION_HEADER } from './grpc-handlers.js'
import { httpStatusOf } from './http-status.js'
import { METRICS_CONTENT_TYPE, type HttpMetrics } from './metrics.js'
import type { Dispatcher, PublicError } from '../kernel/dispatcher.js'
import type { Logger, Startable } from '../crdt/types.js'
import type { JsonCodec } from './json.js'

/** Largest accepted request body: a 1 MiB value in base64 plus the rest of the request. */
export const DEFAULT_HTTP_MAX_BODY_BYTES = 4 * 1024 * 1024
/** How long stop() lets open requests finish before closing their connections, ms. */
export const DEFAULT_HTTP_SHUTDOWN_MS = 5_000

const CORRELATION_ID = /^[\w.:-]{1,128}$/
const JSON_TYPE = 'application/json; charset=utf-8'
const NDJSON_TYPE = 'application/x-ndjson; charset=utf-8'

export interface ComponentState {
  name: string
  /** 'ok' | 'degraded' | 'down' | 'starting' | 'stopping' … */
  state: string
  detail: string
}

export interface Readiness {
  ready: boolean
  /** 'serving' | 'degraded' | 'not_serving' | 'starting' | 'stopping' */
  status: string
  components: ComponentState[]
}

export interface HttpServerComponents {
  dispatcher: Dispatcher
  codec: JsonCodec
  log: Logger
  readiness: () => Readiness
  renderMetrics: () => Promise<string>
  metrics?: HttpMetrics
}

export interface HttpServerInit {
  /** host:port; port 0 picks a free port (see address()). */
  listen: string
  maxBodyBytes?: number
  shutdownMs?: number
}

export interface HttpServer extends Startable {
  /** The bound host:port (valid after start). */
  address: () => string
}

export function createHttpServer (components: HttpServerComponents, init: HttpServerInit): HttpServer {
  const { dispatcher, codec, log, metrics } = components
  const maxBodyBytes = init.maxBodyBytes ?? DEFAULT_HTTP_MAX_BODY_BYTES
  const shutdownMs = init.shutdownMs ?? DEFAULT_HTTP_SHUTDOWN_MS
  const { host, port } = parseHostPort(init.listen)
  let server: Server | undefined
  let bound = ''

  function sendJson (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers })
    res.end(text)
  }

  function sendError (res: ServerResponse, error: PublicError, status = httpStatusOf(error.grpcCode, error.code)): number {
    sendJson(res, status, { code: error.code, message: error.message, correlationId: error.correlationId }, { [CORRELATION_HEADER]: error.correlationId })
    return status
  }

  function toPublic (err: CamosError, correlationId: string): PublicError {
    return { code: err.code, grpcCode: ERROR_CODES[err.code].grpc, message: err.message, correlationId }
  }

  async function readBody (req: IncomingMessage): Promise<Buffer> {
    const declared = Number(req.headers['content-length'] ?? NaN)
    if (declared > maxBodyBytes) throw new CamosError('CAMOS_ERR_REQUEST_TOO_LARGE', `request body of ${declared} bytes exceeds the limit of ${maxBodyBytes} bytes`)
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > maxBodyBytes) throw new CamosError('CAMOS_ERR_REQUEST_TOO_LARGE', `request body exceeds the limit of ${maxBodyBytes} bytes`)
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks)
  }

  function parseJson (body: Buffer): unknown {
    const text = body.toString('utf8')
    if (text.trim() === '') return {}
    try {
      return JSON.parse(text)
    } catch (err) {
      throw new CamosError('CAMOS_ERR_MALFORMED_REQUEST', `request body is not valid JSON: ${(err as Error).message}`)
    }
  }

  /** Aborted when the client goes away before the answer is complete. */
  function clientSignal (res: ServerResponse): AbortSignal {
    const controller = new AbortController()
    res.once('close', () => { if (!res.writableFinished) controller.abort() })
    return controller.signal
  }

  async function gateway (req: IncomingMessage, res: ServerResponse, syscall: string): Promise<number> {
    const given = req.headers[CORRELATION_HEADER]
    const correlationId = typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID()
    let request: Record<string, unknown>
    try {
      if (!isSyscallName(syscall)) throw new CamosError('CAMOS_ERR_UNKNOWN_SYSCALL', `unknown syscall "${syscall}"`)
      request = codec.requestFromJson(syscall, parseJson(await readBody(req)))
    } catch (err) {
      if (!(err instanceof CamosError)) throw err
      if (err.code === 'CAMOS_ERR_REQUEST_TOO_LARGE') res.setHeader('connection', 'close')
      return sendError(res, toPublic(err, correlationId))
    }
    const signal = clientSignal(res)
    const options = { signal, correlationId, transport: 'http' as const }

    if ((SYSCALLS[syscall] as SyscallInfo).kind === 'unary') {
      const result = await dispatcher.call(syscall, request, options)
      if (!result.ok) return sendError(res, result.error)
      sendJson(res, 200, codec.responseToJson(syscall, result.response), { [CORRELATION_HEADER]: correlationId })
      return 200
    }

    // Headers wait for the first event, so a call that fails at once gets a real error status.
    const start = (): void => {
      if (res.headersSent) return
      res.writeHead(200, { 'content-type': NDJSON_TYPE, [CORRELATION_HEADER]: correlationId, 'cache-control': 'no-store' })
    }
    const sink = async (event: unknown): Promise<void> => {
      if (signal.aborted) return
      start()
      if (!res.write(JSON.stringify(codec.responseToJson(syscall, event)) + '\n')) {
        await new Promise<void>(resolve => {
          const done = (): void => { res.off('drain', done); res.off('close', done); resolve() }
          res.on('drain', done)
          res.on('close', done)
        })
      }
    }
    const result = await dispatcher.stream(syscall, request, sink, options)
    if (!result.ok && !res.headersSent) return sendError(res, result.error)
    start()
    if (!result.ok) {
      const { code, message, correlationId: id } = result.error
      res.write(JSON.stringify({ error: { code, message, correlationId: id } }) + '\n')
    }
    res.end()
    return 200
  }

  async function route (req: IncomingMessage, res: ServerResponse): Promise<{ route: string, status: number }> {
    const path = (req.url ?? '/').split('?')[0]
    const method = req.method ?? 'GET'
    const only = (allowed: string): boolean => {
      if (method === allowed) return true
      const err = new CamosError('CAMOS_ERR_ROUTE_NOT_FOUND', `${method} is not allowed on ${path}; use ${allowed}`)
      sendError(res, toPublic(err, randomUUID()), 405)
      return false
    }
    if (path === '/healthz') {
      if (!only('GET')) return { route: path, status: 405 }
      sendJson(res, 200, { status: 'alive' })
      return { route: path, status: 200 }
    }
    if (path === '/readyz') {
      if (!only('GET')) return { route: path, status: 405 }
      const readiness = components.readiness()
      const status = readiness.ready ? 200 : 503
      sendJson(res, status, { status: readiness.status, components: readiness.components })
      return { route: path, status }
    }
    if (path === '/metrics') {
      if (!only('GET')) return { route: path, status: 405 }
      const text = await components.renderMetrics()
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) })
      res.end(text)
      return { route: path, status: 200 }
    }
    if (path.startsWith('/v1/')) {
      const syscall = path.slice('/v1/'.length)
      const label = isSyscallName(syscall) ? path : '/v1/unknown'
      if (!only('POST')) return { route: label, status: 405 }
      return { route: label, status: await gateway(req, res, syscall) }
    }
    sendError(res, toPublic(new CamosError('CAMOS_ERR_ROUTE_NOT_FOUND', `no route for ${method} ${path}`), randomUUID()))
    return { route: 'unknown', status: 404 }
  }

  function onRequest (req: IncomingMessage, res: ServerResponse): void {
    route(req, res).then(({ route, status }) => {
      metrics?.request(route, status)
    }, err => {
      const correlationId = randomUUID()
      log.error('http request failed', { url: req.url, correlationId, err })
      if (!res.headersSent) {
        sendError(res, { code: 'CAMOS_ERR_INTERNAL', grpcCode: ERROR_CODES.CAMOS_ERR_INTERNAL.grpc, message: `internal error (correlation id ${correlationId})`, correlationId })
      } else {
        res.destroy()
      }
      metrics?.request('error', 500)
    })
  }

  return {
    address: () => bound,
    async start () {
      if (server !== undefined) return
      const s = createServer(onRequest)
      s.on('connection', (socket: Socket) => {
        metrics?.connectionOpened()
        socket.once('close', () => { metrics?.connectionClosed() })
      })
      await new Promise<void>((resolve, reject) => {
        s.once('error', err => { reject(new Error(`cannot listen for HTTP on ${init.listen}: ${err.message}`, { cause: err })) })
        s.listen(port, host, () => { resolve() })
      })
      server = s
      bound = formatHostPort(host, (s.address() as AddressInfo).port)
      log.info('HTTP listening', { address: bound })
    },
    async stop () {
      const s = server
      if (s === undefined) return
      server = undefined
      await new Promise<void>(resolve => {
        const timer = setTimeout(() => {
          log.warn('HTTP connections still open after shutdown bound; closing them', { ms: shutdownMs })
          s.closeAllConnections()
        }, shutdownMs)
        s.close(() => { clearTimeout(timer); resolve() })
        s.closeIdleConnections()
      })
    }
  }
}
