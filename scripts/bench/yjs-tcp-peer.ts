/**
 * One peer of bench:sync's baseline: Yjs sync over plain TCP sockets with the sync protocol's
 * own framing (varint-length frames of transport/framing.ts around SYNC/Update frames of
 * transport/sync/frame-codec.ts), no libp2p, no kernel. Runs as its own process, driven by its
 * parent over the IPC channel (child_process.fork).
 *
 *   reader: listens on 127.0.0.1:0, applies every update frame it receives to its Y.Doc and
 *           tells the parent when a watched key appears (keys starting with `lat-` or ending
 *           with `-end`), like an Observe stream would.
 *   writer: connects to the readers and writes version records shaped like the kernel's
 *           (crdt/context-doc.ts) into a `versions` map; every local update is sent to every
 *           reader at once as one frame, honouring socket backpressure.
 *
 * Messages from the parent: { op: 'connect', ports } | { op: 'set', key } |
 * { op: 'flood', prefix, n }. To the parent: { op: 'listening', port } | { op: 'connected' } |
 * { op: 'put', key } | { op: 'flooded', ms }.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import * as Y from 'yjs'
import { createFrameDecoder, encodeFrameHeader } from '../../transport/framing.js'
import { decodeFrame, encodeUpdate } from '../../transport/sync/frame-codec.js'

const DOC = 'ctx/bench'
const MAX_FRAME_BYTES = 1024 * 1024
const VALUE = new Uint8Array(100).fill(7)
const SHA = createHash('sha256').update(VALUE).digest('hex')

type ParentMessage = { op: 'connect', ports: number[] } | { op: 'set', key: string } | { op: 'flood', prefix: string, n: number }

function send (message: unknown): void {
  process.send?.(message)
}

function watched (key: string): boolean {
  return key.startsWith('lat-') || key.endsWith('-end')
}

function runReader (): void {
  const doc = new Y.Doc()
  const versions = doc.getMap('versions')
  versions.observe(event => {
    for (const composite of event.keysChanged) {
      const key = composite.slice(0, composite.indexOf('\0'))
      if (watched(key)) send({ op: 'put', key })
    }
  })
  const server = createServer(socket => {
    socket.setNoDelay(true)
    const decoder = createFrameDecoder(MAX_FRAME_BYTES)
    socket.on('data', chunk => {
      for (const bytes of decoder.push(chunk)) {
        const result = decodeFrame(bytes, MAX_FRAME_BYTES)
        if (!result.ok) throw new Error(result.error.message)
        if (result.frame.kind === 'update' || result.frame.kind === 'step2') Y.applyUpdate(doc, result.frame.update, 'remote')
      }
    })
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    send({ op: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 })
  })
}

function runWriter (): void {
  const doc = new Y.Doc()
  const versions = doc.getMap('versions')
  let sockets: Socket[] = []
  let writtenAt = Date.now()
  doc.on('update', (update: Uint8Array) => {
    const frame = encodeUpdate(DOC, update)
    const header = encodeFrameHeader(frame.byteLength)
    for (const socket of sockets) {
      socket.cork()
      socket.write(header)
      socket.write(frame)
      socket.uncork()
    }
  })

  function set (key: string): void {
    writtenAt++
    versions.set(`${key}\0${writtenAt.toString(36)}-0000-node1`, {
      value: new Uint8Array(VALUE),
      contentType: 'application/octet-stream',
      metadata: {},
      sha256: SHA,
      author: 'node1',
      writtenAt,
      expiresAt: 0,
      deleted: false
    })
  }

  async function flood (prefix: string, n: number): Promise<void> {
    const start = performance.now()
    for (let i = 0; i < n; i++) {
      set(`${prefix}-${i}`)
      const full = sockets.filter(s => s.writableNeedDrain)
      if (full.length > 0) await Promise.all(full.map(async s => await once(s, 'drain')))
    }
    set(`${prefix}-end`)
    send({ op: 'flooded', ms: performance.now() - start })
  }

  process.on('message', (message: ParentMessage) => {
    switch (message.op) {
      case 'connect':
        sockets = message.ports.map(port => {
          const socket = connect(port, '127.0.0.1')
          socket.setNoDelay(true)
          return socket
        })
        Promise.all(sockets.map(async s => await once(s, 'connect')))
          .then(() => { send({ op: 'connected' }) }, err => { throw err })
        break
      case 'set':
        set(message.key)
        break
      case 'flood':
        flood(message.prefix, message.n).catch(err => { throw err })
        break
    }
  })
  send({ op: 'ready' })
}

process.on('disconnect', () => { process.exit(0) })
if (process.argv[2] === 'writer') runWriter()
else runReader()
