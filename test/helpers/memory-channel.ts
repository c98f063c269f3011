/**
 * Two connected in-memory SyncChannels (tests only): what one side sends, the other receives.
 * Optional faults driven by a seeded RNG: loss, duplication and reordering of frames; a small
 * high-water mark exercises backpressure (send() false until the receiver catches up); a pace
 * makes A's frames reach B one at a time, queueing behind each other (a slow path); a delay
 * makes each of them arrive that long after it was sent (a long path).
 */
import type { SyncChannel } from '../../transport/sync/channel.js'

export const DEFAULT_HIGH_WATER_MARK = 64

export interface ChannelFaults {
  rng: () => number
  /** Probability that a frame is dropped. */
  loss?: number
  /** Probability that a frame is delivered twice. */
  duplicate?: number
  /** Probability that a frame is held back and delivered after the next one. */
  reorder?: number
}

export interface MemoryChannelOptions {
  faults?: ChannelFaults
  highWaterMark?: number
  /** Frames A sends reach B in order, at most one every this many ms. */
  paceMs?: number
  /** Frames A sends reach B this many ms after they were sent (a long path, no queue). */
  delayMs?: number
}

export interface MemoryChannel extends SyncChannel {
  /** Frames this side sent (before faults), for assertions. */
  readonly sent: Uint8Array[]
  readonly closed: boolean
  closeReason: string | undefined
}

export interface ChannelPair {
  /** The channel node A holds: its `peer` is B. */
  a: MemoryChannel
  /** The channel node B holds: its `peer` is A. */
  b: MemoryChannel
}

interface Inbox {
  items: Uint8Array[]
  ended: boolean
  wake: (() => void) | undefined
  drainers: Array<() => void>
}

export function createChannelPair (peerA: string, peerB: string, options: MemoryChannelOptions = {}): ChannelPair {
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK
  const inboxA: Inbox = { items: [], ended: false, wake: undefined, drainers: [] }
  const inboxB: Inbox = { items: [], ended: false, wake: undefined, drainers: [] }
  let closed = false
  const paced: Uint8Array[] = []
  let paceTimer: NodeJS.Timeout | undefined
  const delayed = new Set<NodeJS.Timeout>()

  function end (): void {
    if (closed) return
    closed = true
    clearInterval(paceTimer)
    for (const t of delayed) clearTimeout(t)
    for (const inbox of [inboxA, inboxB]) {
      inbox.ended = true
      inbox.wake?.()
      for (const d of inbox.drainers.splice(0)) d()
    }
  }

  function side (self: Inbox, remote: Inbox, peer: string): MemoryChannel {
    let held: Uint8Array | undefined
    const arrive = (frame: Uint8Array): void => {
      remote.items.push(frame)
      remote.wake?.()
    }
    const paceMs = remote === inboxB ? options.paceMs : undefined
    const delayMs = remote === inboxB ? options.delayMs : undefined
    const later = (frame: Uint8Array): void => {
      const t = setTimeout(() => {
        delayed.delete(t)
        arrive(frame)
      }, delayMs)
      delayed.add(t)
    }
    const deliver = paceMs === undefined
      ? delayMs === undefined ? arrive : later
      : (frame: Uint8Array): void => {
          paced.push(frame)
          paceTimer ??= setInterval(() => {
            const next = paced.shift()
            if (next !== undefined) arrive(next)
            if (paced.length === 0) { clearInterval(paceTimer); paceTimer = undefined }
          }, paceMs)
        }
    const channel: MemoryChannel = {
      peer,
      sent: [],
      get closed () { return closed },
      closeReason: undefined,
      send (frame) {
        if (closed) return true
        channel.sent.push(frame)
        const f = options.faults
        if (f !== undefined && f.rng() < (f.loss ?? 0)) return remote.items.length < highWaterMark
        const copy = frame.slice()
        if (f !== undefined && held === undefined && f.rng() < (f.reorder ?? 0)) {
          held = copy
          return remote.items.length < highWaterMark
        }
        deliver(copy)
        if (f !== undefined && f.rng() < (f.duplicate ?? 0)) deliver(copy.slice())
        if (held !== undefined) {
          deliver(held)
          held = undefined
        }
        return remote.items.length < highWaterMark
      },
      async drain () {
        if (closed || remote.items.length < highWaterMark) return
        await new Promise<void>(resolve => remote.drainers.push(resolve))
      },
      frames: {
        [Symbol.asyncIterator] () {
          return {
            async next (): Promise<IteratorResult<Uint8Array>> {
              for (;;) {
                const item = self.items.shift()
                if (item !== undefined) {
                  if (self.items.length < highWaterMark) for (const d of self.drainers.splice(0)) d()
                  return { done: false, value: item }
                }
                if (self.ended) return { done: true, value: undefined }
                await new Promise<void>(resolve => { self.wake = resolve })
                self.wake = undefined
              }
            }
          }
        }
      },
      close (reason) {
        if (channel.closeReason === undefined) channel.closeReason = reason ?? 'closed'
        end()
      }
    }
    return channel
  }

  return { a: side(inboxA, inboxB, peerB), b: side(inboxB, inboxA, peerA) }
}
