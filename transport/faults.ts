/**
 * Chaos-mode fault layer: wraps each SyncChannel and applies per-link delay, jitter, loss,
 * duplication and reordering to OUTGOING frames, from a seeded RNG. It exists because this
 * kernel has no netem; real faults (partitions, bandwidth) are made with iptables and tc by the
 * chaos harness. The rules live in a JSON control file the node polls, so the harness can change
 * them at runtime; a node builds this only when started with --chaos-control AND CAMOS_CHAOS=1
 * (see node/config.ts), never in a production start.
 *
 * Control file: { "generation": 3, "seed": 42, "antiEntropyMs": 2000, "gapRepair": true,
 *                 "links": { "*": { "delayMs": 20, "jitterMs": 10 }, "<peer id>": { "loss": 0.3 } } }
 * `links[peer]` overrides `links["*"]`; antiEntropyMs and gapRepair are read once at start (test
 * knobs: a huge period and gapRepair false leave lost frames unrepaired, a broken build).
 */
import { readFileSync } from 'node:fs'
import type { Logger, Startable } from '../crdt/types.js'
import type { SyncChannel } from './sync/channel.js'

/** The environment variable that must be "1" for a node to accept a chaos option. */
export const CHAOS_ENV = 'CAMOS_CHAOS'
/** How often the control file is checked for changes, ms. */
export const DEFAULT_FAULT_POLL_MS = 50
/** Bytes of delayed frames a faulty channel buffers before send() reports backpressure. */
export const DEFAULT_FAULT_HIGH_WATER_BYTES = 8 * 1024 * 1024
/** A frame held back for reordering is released after this long if no later frame overtakes it. */
export const DEFAULT_REORDER_HOLD_MS = 20

export interface LinkFaults {
  /** Added one-way latency, ms. */
  delayMs?: number
  /** Uniform ± spread around delayMs, ms (order is kept: a TCP stream never reorders by itself). */
  jitterMs?: number
  /** Probability that a frame is dropped. */
  loss?: number
  /** Probability that a frame is sent twice. */
  duplicate?: number
  /** Probability that a frame is held back and sent after the next one. */
  reorder?: number
}

export interface FaultRules {
  generation: number
  seed: number
  antiEntropyMs?: number
  gapRepair?: boolean
  links: Record<string, LinkFaults>
}

/** What happens to one outgoing frame. */
export interface FrameFate {
  drop: boolean
  copies: number
  delayMs: number
  hold: boolean
}

/** mulberry32: a small, fast, seedable PRNG (the schedule must replay from a seed). */
export function createSeededRng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a of a string, to derive one RNG stream per link from the run's seed. */
export function hashString (s: string, seed = 0x811C9DC5): number {
  let h = seed >>> 0
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** Draws one frame's fate; always consumes exactly four numbers so schedules stay aligned. */
export function frameFate (rng: () => number, faults: LinkFaults): FrameFate {
  const [l, d, r, j] = [rng(), rng(), rng(), rng()]
  const jitter = faults.jitterMs ?? 0
  return {
    drop: l < (faults.loss ?? 0),
    copies: d < (faults.duplicate ?? 0) ? 2 : 1,
    hold: r < (faults.reorder ?? 0),
    delayMs: Math.max(0, (faults.delayMs ?? 0) + (j * 2 - 1) * jitter)
  }
}

export function isActive (faults: LinkFaults): boolean {
  return (faults.delayMs ?? 0) > 0 || (faults.jitterMs ?? 0) > 0 || (faults.loss ?? 0) > 0 ||
    (faults.duplicate ?? 0) > 0 || (faults.reorder ?? 0) > 0
}

export interface FaultyChannelInit {
  rng: () => number
  /** Current rules of this link, read for every frame. */
  faults: () => LinkFaults
  highWaterBytes?: number
  reorderHoldMs?: number
}

/** Wraps a channel: outgoing frames go through the link's faults; incoming pass unchanged. */
export function createFaultyChannel (inner: SyncChannel, init: FaultyChannelInit): SyncChannel {
  const highWater = init.highWaterBytes ?? DEFAULT_FAULT_HIGH_WATER_BYTES
  const holdMs = init.reorderHoldMs ?? DEFAULT_REORDER_HOLD_MS
  const queue: Array<{ due: number, frame: Uint8Array }> = []
  let queuedBytes = 0
  let lastDue = 0
  let timer: NodeJS.Timeout | undefined
  let held: { frame: Uint8Array, timer: NodeJS.Timeout } | undefined
  let innerFull = false
  let closed = false
  const waiters: Array<() => void> = []

  function forward (frame: Uint8Array): void {
    if (closed) return
    if (!inner.send(frame)) innerFull = true
  }

  function wakeWaiters (): void {
    if (queuedBytes < highWater) for (const w of waiters.splice(0)) w()
  }

  function flush (): void {
    timer = undefined
    const now = performance.now()
    while (queue.length > 0 && queue[0].due <= now) {
      const item = queue.shift() as { due: number, frame: Uint8Array }
      queuedBytes -= item.frame.byteLength
      forward(item.frame)
    }
    if (queue.length > 0) timer = setTimeout(flush, queue[0].due - now)
    wakeWaiters()
  }

  function enqueue (frame: Uint8Array, delayMs: number): void {
    if (delayMs <= 0 && queue.length === 0) {
      forward(frame)
      return
    }
    // FIFO per link: jitter varies the latency but never lets a frame overtake an earlier one.
    const due = Math.max(performance.now() + delayMs, lastDue)
    lastDue = due
    // A copy: the sender may reuse its buffer once send() returns.
    queue.push({ due, frame: frame.slice() })
    queuedBytes += frame.byteLength
    if (timer === undefined) timer = setTimeout(flush, Math.max(0, due - performance.now()))
  }

  function releaseHeld (delayMs: number): void {
    if (held === undefined) return
    clearTimeout(held.timer)
    const frame = held.frame
    held = undefined
    enqueue(frame, delayMs)
  }

  return {
    peer: inner.peer,
    frames: inner.frames,
    send (frame) {
      if (closed) return inner.send(frame)
      const fate = frameFate(init.rng, init.faults())
      if (!fate.drop) {
        if (fate.hold && held === undefined) {
          const copy = frame.slice()
          held = { frame: copy, timer: setTimeout(() => { releaseHeld(fate.delayMs) }, holdMs + fate.delayMs) }
        } else {
          for (let i = 0; i < fate.copies; i++) enqueue(frame, fate.delayMs)
          releaseHeld(fate.delayMs)
        }
      }
      const ok = !innerFull && queuedBytes < highWater
      innerFull = false
      return ok
    },
    async drain () {
      while (!closed && queuedBytes >= highWater) await new Promise<void>(resolve => waiters.push(resolve))
      await inner.drain()
    },
    close (reason) {
      if (!closed) {
        closed = true
        clearTimeout(timer)
        if (held !== undefined) clearTimeout(held.timer)
        held = undefined
        queue.length = 0
        queuedBytes = 0
        for (const w of waiters.splice(0)) w()
      }
      inner.close(reason)
    }
  }
}

/** Parses and checks a control file's JSON; throws a readable error. */
export function parseFaultRules (text: string): FaultRules {
  const json = JSON.parse(text) as Partial<FaultRules>
  if (typeof json !== 'object' || json === null) throw new Error('fault rules must be a JSON object')
  const links = json.links ?? {}
  for (const [peer, f] of Object.entries(links)) {
    for (const p of ['loss', 'duplicate', 'reorder'] as const) {
      const v = f[p] ?? 0
      if (typeof v !== 'number' || v < 0 || v > 1) throw new Error(`links["${peer}"].${p} must be a probability in [0, 1]`)
    }
    for (const p of ['delayMs', 'jitterMs'] as const) {
      const v = f[p] ?? 0
      if (typeof v !== 'number' || v < 0) throw new Error(`links["${peer}"].${p} must be a number ≥ 0`)
    }
  }
  if (json.gapRepair !== undefined && typeof json.gapRepair !== 'boolean') throw new Error('gapRepair must be true or false')
  return { generation: json.generation ?? 0, seed: json.seed ?? 0, antiEntropyMs: json.antiEntropyMs, gapRepair: json.gapRepair, links }
}

export interface FaultControllerComponents {
  log: Logger
}

export interface FaultControllerInit {
  /** The control file; must exist and parse at creation. */
  path: string
  pollMs?: number
}

export interface FaultController extends Startable {
  /** The sync engine's anti-entropy period requested by the control file (read once). */
  readonly antiEntropyMs: number | undefined
  /** False when the control file turns the sync engine's gap requests off (read once). */
  readonly gapRepair: boolean | undefined
  rules: () => FaultRules
  wrap: (channel: SyncChannel) => SyncChannel
}

export function createFaultController (components: FaultControllerComponents, init: FaultControllerInit): FaultController {
  const { log } = components
  const pollMs = init.pollMs ?? DEFAULT_FAULT_POLL_MS
  let text = readFileSync(init.path, 'utf8')
  let rules = parseFaultRules(text)
  let channels = 0
  let timer: NodeJS.Timeout | undefined

  // Polls the content, not the file's stat: a rewrite within the same mtime tick, or one that
  // reuses the inode, must not be missed.
  function reload (): void {
    let next: string
    try {
      next = readFileSync(init.path, 'utf8')
    } catch (err) {
      log.warn('chaos rules unreadable; keeping the previous ones', { err: (err as Error).message })
      return
    }
    if (next === text) return
    text = next
    try {
      rules = parseFaultRules(next)
      log.info('chaos rules applied', { generation: rules.generation, links: JSON.stringify(rules.links) })
    } catch (err) {
      log.warn('chaos rules not applied; keeping the previous ones', { err: (err as Error).message })
    }
  }

  return {
    antiEntropyMs: rules.antiEntropyMs,
    gapRepair: rules.gapRepair,
    rules: () => rules,
    wrap (channel) {
      const rng = createSeededRng(hashString(`${channel.peer}#${channels++}`, rules.seed))
      return createFaultyChannel(channel, { rng, faults: () => rules.links[channel.peer] ?? rules.links['*'] ?? {} })
    },
    async start () {
      if (timer !== undefined) return
      log.warn('CHAOS MODE: sync frames go through the fault layer', { path: init.path, generation: rules.generation })
      timer = setInterval(reload, pollMs)
      timer.unref()
      reload()
    },
    async stop () {
      clearInterval(timer)
      timer = undefined
    }
  }
}
