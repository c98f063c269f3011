/**
 * Framing of the sync protocol over a libp2p stream, and the adapter from such a stream to the
 * engine's SyncChannel (transport/sync/channel.ts).
 *
 * Wire format: each frame is `varint(length) ‖ payload`, the length an unsigned LEB128 varint in
 * its shortest form, 1 ≤ length ≤ maxFrameBytes. A longer frame, a zero length, a non-minimal
 * or overlong varint is a protocol violation: the stream is aborted, the violation reported
 * against the peer, and nothing of it reaches the engine. Splitting large payloads into frames
 * is the engine's job.
 *
 * Backpressure both ways: `send()` returns false when the stream's buffer is full (await
 * `drain()`), and reading pauses the stream while more than `readHighWaterBytes` of decoded
 * frames wait for the engine, so a slow engine slows the sender instead of buffering without
 * bound.
 */
import { Uint8ArrayList } from 'uint8arraylist'
import type { Stream } from '@libp2p/interface'
import type { Logger } from '../crdt/types.js'
import type { SyncChannel } from './sync/channel.js'

export const SYNC_PROTOCOL = '/camos/sync/1.0.0'
/** Largest frame accepted or sent, bytes (yamux and it-length-prefixed default to 4 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024
/** Decoded frames waiting for the engine above which reading pauses, bytes. */
export const DEFAULT_READ_HIGH_WATER_BYTES = 4 * 1024 * 1024
/** How long a graceful close may flush before the stream is aborted, ms. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000
/** A 32-bit length needs at most 5 varint bytes. */
const MAX_VARINT_BYTES = 5

export type FrameViolation = 'oversized' | 'malformed'

export class FrameError extends Error {
  readonly reason: FrameViolation
  constructor (reason: FrameViolation, message: string) {
    super(message)
    this.name = 'FrameError'
    this.reason = reason
  }
}

/** The varint length prefix of a frame of `length` bytes. */
export function encodeFrameHeader (length: number): Uint8Array {
  const out: number[] = []
  let n = length
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Uint8Array.from(out)
}

/** One whole frame as bytes (header and payload). */
export function encodeFrame (payload: Uint8Array): Uint8Array {
  const header = encodeFrameHeader(payload.byteLength)
  const out = new Uint8Array(header.byteLength + payload.byteLength)
  out.set(header)
  out.set(payload, header.byteLength)
  return out
}

export interface FrameDecoder {
  /** Appends received bytes; returns the frames they complete. Throws FrameError on a violation. */
  push: (chunk: Uint8Array | Uint8ArrayList) => Uint8Array[]
  /** Bytes received and not yet part of a whole frame. */
  buffered: () => number
}

/** Incremental decoder: the header is checked as soon as it arrives, before any payload is buffered. */
export function createFrameDecoder (maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES): FrameDecoder {
  const buffer = new Uint8ArrayList()
  let failed = false

  /** Length and header size of the next frame, or undefined when its header is incomplete. */
  function header (): { length: number, size: number } | undefined {
    let length = 0
    let scale = 1
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (i >= buffer.byteLength) return undefined
      const byte = buffer.get(i)
      length += (byte & 0x7f) * scale
      scale *= 128
      if ((byte & 0x80) === 0) {
        if (i > 0 && byte === 0) throw new FrameError('malformed', 'non-minimal varint length prefix')
        if (length === 0) throw new FrameError('malformed', 'empty frame')
        if (length > maxFrameBytes) throw new FrameError('oversized', `frame of ${length} bytes exceeds the limit of ${maxFrameBytes}`)
        return { length, size: i + 1 }
      }
      // An early bound: the remaining bytes can only make the length larger.
      if (length > maxFrameBytes) throw new FrameError('oversized', `frame length prefix exceeds the limit of ${maxFrameBytes}`)
    }
    throw new FrameError('malformed', `varint length prefix longer than ${MAX_VARINT_BYTES} bytes`)
  }

  return {
    push (chunk) {
      if (failed) throw new FrameError('malformed', 'decoder already failed')
      buffer.append(chunk)
      const frames: Uint8Array[] = []
      try {
        for (;;) {
          const h = header()
          if (h === undefined || buffer.byteLength < h.size + h.length) break
          frames.push(buffer.subarray(h.size, h.size + h.length))
          buffer.consume(h.size + h.length)
        }
      } catch (err) {
        failed = true
        buffer.consume(buffer.byteLength)
        throw err
      }
      return frames
    },
    buffered: () => buffer.byteLength
  }
}

export interface StreamChannelComponents {
  log: Logger
  /** A frame violation by the peer, after which the stream is aborted. */
  onViolation?: (peer: string, reason: FrameViolation, detail: string) => void
}

export interface StreamChannelInit {
  maxFrameBytes?: number
  readHighWaterBytes?: number
  closeTimeoutMs?: number
}

export interface StreamChannel extends SyncChannel {
  /** Resolves once the channel has ended (closed by either side, aborted or reset). */
  closed: Promise<void>
  isClosed: () => boolean
}

/** Wraps an open sync stream. Frames are decoded from the moment of wrapping. */
export function createStreamChannel (components: StreamChannelComponents, stream: Stream, peer: string, init: StreamChannelInit = {}): StreamChannel {
  const { log, onViolation } = components
  const maxFrameBytes = init.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  const highWater = init.readHighWaterBytes ?? DEFAULT_READ_HIGH_WATER_BYTES
  const closeTimeoutMs = init.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS
  const decoder = createFrameDecoder(maxFrameBytes)
  let queue: Uint8Array[] = []
  let head = 0
  let queuedBytes = 0
  let ended = false
  let wake: (() => void) | undefined
  let markClosed!: () => void
  const closed = new Promise<void>(resolve => { markClosed = resolve })

  function end (): void {
    if (ended) return
    ended = true
    stream.removeEventListener('message', onMessage)
    wake?.()
    markClosed()
  }

  function onMessage (evt: { data: Uint8Array | Uint8ArrayList }): void {
    if (ended) return
    let frames: Uint8Array[]
    try {
      frames = decoder.push(evt.data)
    } catch (err) {
      const e = err as FrameError
      log.warn('closing sync stream: frame violation', { peer, reason: e.reason, err: e.message })
      queue = []
      head = 0
      queuedBytes = 0
      end()
      stream.abort(e)
      onViolation?.(peer, e.reason, e.message)
      return
    }
    for (const frame of frames) {
      queue.push(frame)
      queuedBytes += frame.byteLength
    }
    if (queuedBytes > highWater && stream.readStatus === 'readable') stream.pause()
    if (frames.length > 0) wake?.()
  }

  stream.addEventListener('message', onMessage)
  stream.addEventListener('close', end)
  stream.addEventListener('remoteCloseWrite', end)

  async function * frames (): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        if (head < queue.length) {
          const frame = queue[head++]
          if (head > 1024 && head * 2 > queue.length) { queue = queue.slice(head); head = 0 }
          queuedBytes -= frame.byteLength
          if (queuedBytes <= highWater / 2 && stream.readStatus === 'paused') stream.resume()
          yield frame
          continue
        }
        if (ended) return
        await new Promise<void>(resolve => { wake = resolve })
        wake = undefined
      }
    } finally {
      // The engine stopped reading (or the stream ended): nothing more will be read from it.
      close()
    }
  }

  function close (reason?: string): void {
    if (stream.status !== 'open') { end(); return }
    if (reason !== undefined) log.debug('closing sync stream', { peer, reason })
    end()
    stream.close({ signal: AbortSignal.timeout(closeTimeoutMs) }).catch((err: Error) => { stream.abort(err) })
  }

  return {
    peer,
    send (frame) {
      if (frame.byteLength > maxFrameBytes) throw new RangeError(`frame of ${frame.byteLength} bytes exceeds the limit of ${maxFrameBytes}; chunk it`)
      // A frame for an ending channel is dropped: its reader is finishing, nothing waits on it.
      if (ended || stream.writeStatus !== 'writable') return true
      try {
        return stream.send(new Uint8ArrayList(encodeFrameHeader(frame.byteLength), frame))
      } catch (err) {
        log.debug('sync stream send failed', { peer, err: (err as Error).message })
        return true
      }
    },
    async drain () {
      if (ended || !stream.writableNeedsDrain) return
      await stream.onDrain().catch(() => {})
    },
    frames: frames(),
    close,
    closed,
    isClosed: () => ended
  }
}
