/**
 * Bare grpc-js unary echo server, the baseline of bench:kernel. Runs as its own process and
 * prints its port on stdout.
 */
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'

const protoPath = fileURLToPath(new URL('../../../scripts/bench/echo.proto', import.meta.url))
const def = protoLoader.loadSync(protoPath, { keepCase: false, longs: Number, enums: String, bytes: Buffer, defaults: true })
const pkg = grpc.loadPackageDefinition(def) as any

const server = new grpc.Server()
server.addService(pkg.camos.bench.Echo.service, {
  Echo: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => { callback(null, call.request) }
})
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err != null) throw err
  console.log(String(port))
})
process.on('SIGTERM', () => { server.forceShutdown(); process.exit(0) })
