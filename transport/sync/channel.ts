/**
 * The seam between the sync engine and the transport: one bidirectional, framed stream to one
 * peer. The transport (transport/host.ts, a libp2p stream with length-prefixed framing; tests, an
 * in-memory pair) de-frames and re-frames; the engine only ever sees whole frames.
 */
export interface SyncChannel {
  /** Remote peer id (string form). */
  peer: string
  /** Queues one whole frame; false means the outgoing buffer is full: wait for drain() before sending more. */
  send: (frame: Uint8Array) => boolean
  /** Resolves when the outgoing buffer has room again (at once if it has room, or the channel is closed). */
  drain: () => Promise<void>
  /** Whole frames received; ends when the stream closes. */
  frames: AsyncIterable<Uint8Array>
  /** Closes this stream (e.g. after a malformed frame); idempotent. */
  close: (reason?: string) => void
}
