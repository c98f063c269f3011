/**
 * A TCP listener that accepts connections and never sends a byte: what the kernel of a paused
 * or hung node does (and, to a dialler, like a connection whose SYN-ACK is lost for good).
 * With `greeting`, it sends those bytes on every connection and then nothing: a peer that
 * answers and then stalls.
 */
import { once } from 'node:events'
import { createServer, type AddressInfo, type Socket } from 'node:net'

export interface BlackHole {
  port: number
  /** Connections accepted so far. */
  accepted: () => number
  /** True once every accepted connection was closed by its dialler. */
  allClosed: () => boolean
  /** True once the first `n` accepted connections were closed by their dialler. */
  firstClosed: (n: number) => boolean
  close: () => void
}

export async function startBlackHole (port = 0, greeting?: Uint8Array): Promise<BlackHole> {
  const sockets: Socket[] = []
  const closed: boolean[] = []
  const server = createServer(socket => {
    const i = sockets.push(socket) - 1
    closed.push(false)
    socket.on('error', () => {})
    socket.on('close', () => { closed[i] = true })
    if (greeting !== undefined) socket.write(greeting)
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => sockets.length,
    allClosed: () => closed.every(c => c),
    firstClosed: n => closed.length >= n && closed.slice(0, n).every(c => c),
    close () {
      for (const s of sockets) s.destroy()
      server.close()
    }
  }
}
