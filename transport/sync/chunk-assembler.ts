/**
 * Reassembles chunked messages (CHUNK frames, see frame-codec.ts) received on one channel.
 * Parts may arrive in any order or twice; a message whose parts never all arrive is evicted when
 * newer messages need room, so a lost chunk costs memory only until then (anti-entropy resends
 * its content). Bounds: the declared size of one message, and the number of messages in flight.
 */
import type { SyncFrame } from './frame-codec.js'

/** Messages being reassembled at once on one channel; the oldest is evicted beyond this. */
export const DEFAULT_MAX_PENDING_MESSAGES = 4
/** Ids of completed messages remembered, so a late duplicate part starts no new message. */
const COMPLETED_IDS_KEPT = 16

export interface ChunkAssemblerInit {
  maxMessageBytes: number
  maxPendingMessages?: number
}

export type ChunkResult =
  | { ok: true, message?: Uint8Array }
  | { ok: false, reason: 'oversized' | 'malformed', message: string }

export interface ChunkAssembler {
  add: (chunk: Extract<SyncFrame, { kind: 'chunk' }>) => ChunkResult
  /** Bytes held by incomplete messages. */
  pendingBytes: () => number
}

interface Partial {
  count: number
  total: number
  parts: Array<Uint8Array | undefined>
  received: number
  bytes: number
}

export function createChunkAssembler (init: ChunkAssemblerInit): ChunkAssembler {
  const maxPending = init.maxPendingMessages ?? DEFAULT_MAX_PENDING_MESSAGES
  const pending = new Map<number, Partial>()
  const completed = new Set<number>()

  return {
    add (chunk) {
      let partial = pending.get(chunk.id)
      if (partial === undefined) {
        if (completed.has(chunk.id)) return { ok: true }
        if (chunk.total > init.maxMessageBytes) return { ok: false, reason: 'oversized', message: `chunked message of ${chunk.total} bytes exceeds ${init.maxMessageBytes}` }
        if (chunk.count > chunk.total) return { ok: false, reason: 'malformed', message: `${chunk.count} chunks for ${chunk.total} bytes` }
        while (pending.size >= maxPending) pending.delete(pending.keys().next().value as number)
        partial = { count: chunk.count, total: chunk.total, parts: new Array(chunk.count), received: 0, bytes: 0 }
        pending.set(chunk.id, partial)
      } else if (partial.count !== chunk.count || partial.total !== chunk.total) {
        return { ok: false, reason: 'malformed', message: `chunk ${chunk.id} changed its count or size` }
      }
      if (partial.parts[chunk.index] !== undefined) return { ok: true }
      partial.parts[chunk.index] = chunk.part
      partial.received++
      partial.bytes += chunk.part.byteLength
      if (partial.bytes > partial.total) return { ok: false, reason: 'malformed', message: `chunks of message ${chunk.id} exceed its declared ${partial.total} bytes` }
      if (partial.received < partial.count) return { ok: true }
      pending.delete(chunk.id)
      completed.add(chunk.id)
      if (completed.size > COMPLETED_IDS_KEPT) completed.delete(completed.values().next().value as number)
      if (partial.bytes !== partial.total) return { ok: false, reason: 'malformed', message: `chunks of message ${chunk.id} hold ${partial.bytes} of ${partial.total} bytes` }
      const message = new Uint8Array(partial.total)
      let offset = 0
      for (const part of partial.parts as Uint8Array[]) {
        message.set(part, offset)
        offset += part.byteLength
      }
      return { ok: true, message }
    },

    pendingBytes () {
      let n = 0
      for (const partial of pending.values()) n += partial.bytes
      return n
    }
  }
}
