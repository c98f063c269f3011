/**
 * Sync framing: the pure decoder (round trips, every split, violations, seeded fuzz) and the
 * stream adapter over real libp2p streams between two hosts on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createFrameDecoder, encodeFrame, encodeFrameHeader, FrameError, SYNC_PROTOCOL } from '../../transport/framing.js'
import { createP2PTestbed } from '../helpers/p2p.js'
import { createRng, testSeed } from '../helpers/seed.js'
import { waitFor } from '../helpers/wait-for.js'
import type { SyncChannel } from '../../transport/sync/channel.js'

const bytes = (...n: number[]): Uint8Array => Uint8Array.from(n)

describe('frame decoder', () => {
  it('round-trips frames however the bytes are split', () => {
    const frames = [bytes(1), new Uint8Array(127).fill(7), new Uint8Array(128).fill(8), new Uint8Array(70_000).fill(9)]
    const wire = Buffer.concat(frames.map(encodeFrame))
    for (const step of [1, 2, 3, 5, 129, wire.byteLength]) {
      const decoder = createFrameDecoder(100_000)
      const out: Uint8Array[] = []
      for (let i = 0; i < wire.byteLength; i += step) out.push(...decoder.push(wire.subarray(i, i + step)))
      expect(out.map(f => Buffer.from(f).toString('hex'))).toEqual(frames.map(f => Buffer.from(f).toString('hex')))
      expect(decoder.buffered()).toBe(0)
    }
  })

  it('rejects an oversized frame from its header alone, before buffering the payload', () => {
    const decoder = createFrameDecoder(1000)
    expect(() => decoder.push(encodeFrameHeader(1001))).toThrow(expect.objectContaining({ reason: 'oversized' }))
    // A huge varint is refused before its last byte arrives.
    expect(() => createFrameDecoder(1000).push(bytes(0xff, 0xff))).toThrow(FrameError)
    expect(createFrameDecoder(1000).push(encodeFrameHeader(1000))).toEqual([])
  })

  it('rejects empty frames, non-minimal and overlong varints, and stays failed', () => {
    const reason = (chunk: Uint8Array): string => {
      try { createFrameDecoder(2 ** 32).push(chunk) } catch (err) { return (err as FrameError).reason }
      return 'accepted'
    }
    expect(reason(bytes(0))).toBe('malformed')
    expect(reason(bytes(0x81, 0x00))).toBe('malformed')
    expect(reason(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01))).toBe('malformed')
    const decoder = createFrameDecoder()
    expect(() => decoder.push(bytes(0))).toThrow()
    expect(() => decoder.push(encodeFrame(bytes(1)))).toThrow(/already failed/)
  })

  it('never throws anything but FrameError and never yields a frame over the limit (seeded fuzz)', () => {
    const rng = createRng(testSeed('frame decoder fuzz'))
    const max = 512
    for (let run = 0; run < 2000; run++) {
      const decoder = createFrameDecoder(max)
      const valid: Uint8Array[] = []
      for (let i = Math.floor(rng() * 4); i > 0; i--) valid.push(new Uint8Array(1 + Math.floor(rng() * max)).fill(run & 0xff))
      const garbage = new Uint8Array(Math.floor(rng() * 16)).map(() => Math.floor(rng() * 256))
      const wire = Buffer.concat([...valid.map(encodeFrame), garbage])
      const out: Uint8Array[] = []
      let failed = false
      try {
        for (let i = 0; i < wire.byteLength;) {
          const n = 1 + Math.floor(rng() * 64)
          out.push(...decoder.push(wire.subarray(i, i + n)))
          i += n
        }
      } catch (err) {
        expect(err).toBeInstanceOf(FrameError)
        failed = true
      }
      // Frames come out in order and intact (a violation drops what shared its chunk); past
      // the valid ones only garbage-made frames, each bounded by the limit.
      const n = Math.min(out.length, valid.length)
      expect(out.slice(0, n).map(f => f.byteLength)).toEqual(valid.slice(0, n).map(f => f.byteLength))
      if (!failed) expect(out.length).toBeGreaterThanOrEqual(valid.length)
      for (const f of out) expect(f.byteLength).toBeLessThanOrEqual(max)
    }
  })
})

describe('sync streams over libp2p', () => {
  const bed = createP2PTestbed()
  afterEach(async () => { await bed.stopAll() })

  async function pair (maxFrameBytes = 1024): Promise<{ a: Awaited<ReturnType<typeof bed.start>>, b: Awaited<ReturnType<typeof bed.start>> }> {
    // Megabytes of frames can hold a ping past FAST's 1 s suspect time, and a suspect member's
    // connection is closed: these tests are about streams, so liveness gets production's margin.
    const membership = { heartbeatIntervalMs: 100, suspectAfterMs: 3_000, downAfterMs: 10_000 }
    const a = await bed.start({ membership, streams: { maxFrameBytes, reopenMinMs: 50, reopenMaxMs: 200 } })
    const b = await bed.start({ membership, streams: { maxFrameBytes, reopenMinMs: 50, reopenMaxMs: 200 }, join: [a.node.addresses()[0]] })
    await waitFor(() => a.channels.length === 1 && b.channels.length === 1, { timeout: 10_000, what: 'one sync channel on each side' })
    return { a, b }
  }

  /** Reads n frames without ending the iteration (which would close the channel). */
  async function take (channel: SyncChannel, n: number): Promise<string[]> {
    const it = channel.frames[Symbol.asyncIterator]()
    const out: string[] = []
    while (out.length < n) {
      const next = await it.next()
      if (next.done === true) break
      out.push(Buffer.from(next.value).toString())
    }
    return out
  }

  it('opens exactly one stream per peer pair and carries frames both ways, honouring drain', async () => {
    const { a, b } = await pair(64 * 1024)
    expect(a.channels[0].peer).toBe(b.node.peerId)
    expect(b.channels[0].peer).toBe(a.node.peerId)
    const [ca, cb] = [a.channels[0], b.channels[0]]
    const received = take(cb, 500)
    const sent: string[] = []
    for (let i = 0; i < 500; i++) {
      const text = `frame ${i} ${'x'.repeat(i * 100)}`
      sent.push(text)
      if (!ca.send(Buffer.from(text))) await ca.drain()
    }
    expect(await received).toEqual(sent)
    const back = take(ca, 1)
    cb.send(Buffer.from('pong'))
    expect(await back).toEqual(['pong'])
    expect(() => ca.send(new Uint8Array(64 * 1024 + 1))).toThrow(RangeError)
    expect(a.channels).toHaveLength(1)
    expect(b.channels).toHaveLength(1)
  })

  it('closes the stream on an oversized frame or a garbage prefix, counts it, and keeps serving', async () => {
    const { a, b } = await pair(1024)
    const opener = a.node.peerId < b.node.peerId ? a : b
    const other = opener === a ? b : a
    for (const [i, attack] of [[1, encodeFrameHeader(5000)], [2, bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80)]] as const) {
      // Write raw bytes on a fresh sync stream from `other`: below the framing, like a bad peer.
      const conn = other.node.host.libp2p.getConnections().find(c => c.remotePeer.toString() === opener.node.peerId)
      const raw = await conn!.newStream(SYNC_PROTOCOL)
      raw.send(attack)
      await waitFor(() => raw.status !== 'open', { timeout: 5_000, what: `stream ${i} aborted by the receiver` })
      await waitFor(() => opener.node.members().find(m => m.peerId === other.node.peerId)?.violations === i, { timeout: 5_000, what: `violation ${i} counted` })
    }
    // The connection and the node survive: the opener re-establishes a sync stream and frames flow.
    await waitFor(async () => {
      const fresh = opener.channels.at(-1)!
      const mine = other.channels.at(-1)!
      return !(fresh as any).isClosed() && !(mine as any).isClosed()
    }, { timeout: 10_000, what: 'a working sync stream again' })
    const received = take(opener.channels.at(-1)!, 1)
    other.channels.at(-1)!.send(Buffer.from('still here'))
    expect(await received).toEqual(['still here'])
    expect(opener.node.host.libp2p.getPeers()).toHaveLength(1)
  })
})
