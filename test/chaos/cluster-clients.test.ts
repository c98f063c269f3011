import { once } from 'node:events'
import { createServer, type ServerHttp2Stream } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { OWN_CONNECTION } from '../../chaos/cluster.js'
import { createKernelClient } from '../../node/client.js'

/** Answers every gRPC call UNIMPLEMENTED at once: enough for a client to connect and finish. */
function unimplemented (stream: ServerHttp2Stream): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true })
  stream.on('wantTrailers', () => { stream.sendTrailers({ 'grpc-status': '12', 'grpc-message': 'not here' }) })
  stream.end()
}

describe('chaos cluster clients', () => {
  it('gives the latency probe a connection of its own while the other clients share one', async () => {
    const server = createServer()
    let connections = 0
    server.on('session', () => { connections++ })
    server.on('stream', unimplemented)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`
    const workload = createKernelClient({ address })
    const mirror = createKernelClient({ address })
    const probe = createKernelClient({ address, channelOptions: OWN_CONNECTION })
    try {
      await expect(workload.call('ClusterStatus', {})).rejects.toThrow()
      await expect(mirror.call('ClusterStatus', {})).rejects.toThrow()
      expect(connections).toBe(1)
      await expect(probe.call('ClusterStatus', {})).rejects.toThrow()
      expect(connections).toBe(2)
    } finally {
      for (const c of [workload, mirror, probe]) c.close()
      server.close()
    }
  })
})
