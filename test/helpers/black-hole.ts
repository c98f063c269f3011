/**
 * A TCP listener that accepts connections and never sends a byte: what the kernel of a paused
 * or hung node does (and, to a dialler, like a connection whose SYN-ACK is lost for good).
 */
import { once } from 'node:events'
import { createServer, type AddressInfo, type Socket } from 'node:net'

export interface BlackHole {
  port: number
  /** Connections accepted so far. */
  accepted: () => number
  /** True once every accepted connection was closed by its dialler. */
  allClosed: () => boolean
  close: () => void
}

export async function startBlackHole (port = 0): Promise<BlackHole> {
  const sockets: Socket[] = []
  let closed = 0
  const server = createServer(socket => {
    sockets.push(socket)
    socket.on('error', () => {})
    socket.on('close', () => { closed++ })
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => sockets.length,
    allClosed: () => closed === sockets.length,
    close () {
      for (const s of sockets) s.destroy()
      server.close()
    }
  }
}
