/**
 * A TCP proxy to one target that delays every chunk, in both directions, by a fixed time (order
 * kept): a link with that one-way latency, for the parts of libp2p the fault layer does not
 * reach (it delays sync frames only).
 */
import { once } from 'node:events'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

export interface SlowLink {
  port: number
  close: () => void
}

export async function startSlowLink (targetPort: number, delayMs: number): Promise<SlowLink> {
  const sockets = new Set<Socket>()
  const delayed = (from: Socket, to: Socket): void => {
    from.on('data', chunk => { setTimeout(() => { if (!to.destroyed) to.write(chunk) }, delayMs) })
    from.on('end', () => { setTimeout(() => { to.end() }, delayMs) })
  }
  const server = createServer(inbound => {
    const outbound = connect(targetPort, '127.0.0.1')
    for (const s of [inbound, outbound]) {
      sockets.add(s)
      s.on('error', () => { inbound.destroy(); outbound.destroy() })
      s.on('close', () => { sockets.delete(s) })
    }
    delayed(inbound, outbound)
    delayed(outbound, inbound)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as AddressInfo).port,
    close () {
      server.close()
      for (const s of sockets) s.destroy()
    }
  }
}
