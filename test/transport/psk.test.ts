import { xsalsa20 } from '@noble/ciphers/salsa.js'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { XSalsa20Stream } from '../../transport/psk.js'
import { startBlackHole } from '../helpers/black-hole.js'
import { createP2PTestbed } from '../helpers/p2p.js'
import { createRng, testSeed } from '../helpers/seed.js'
import { waitFor } from '../helpers/wait-for.js'
import type { SyncChannel } from '../../transport/sync/channel.js'

describe('private network cipher', () => {
  it('gives the same bytes however the stream is split into chunks (seeded)', () => {
    const rng = createRng(testSeed('psk chunking'))
    const key = Uint8Array.from({ length: 32 }, () => Math.floor(rng() * 256))
    const nonce = Uint8Array.from({ length: 24 }, () => Math.floor(rng() * 256))
    const plain = Uint8Array.from({ length: 200_000 }, () => Math.floor(rng() * 256))
    const whole = xsalsa20(key, nonce, plain)
    // Chunks up to 20,000 bytes (whole blocks straight through the cipher), up to 3,000 (within
    // and across the keystream buffer) and up to 130 (within one block, across one or two boundaries).
    for (const largest of [20_000, 20_000, 3000, 3000, 3000, 130, 130]) {
      const stream = new XSalsa20Stream(key, nonce)
      const parts: Uint8Array[] = []
      for (let i = 0; i < plain.length;) {
        const n = 1 + Math.floor(rng() * largest)
        parts.push(stream.update(plain.subarray(i, i + n)))
        i += n
      }
      expect(Buffer.concat(parts).equals(Buffer.from(whole))).toBe(true)
    }
    const back = new XSalsa20Stream(key, nonce)
    expect(Buffer.from(back.update(whole)).equals(Buffer.from(plain))).toBe(true)
  })
})

describe('private network connections', () => {
  const bed = createP2PTestbed()
  afterEach(async () => { await bed.stopAll() })

  async function take (channel: SyncChannel, n: number): Promise<number> {
    const it = channel.frames[Symbol.asyncIterator]()
    let got = 0
    while (got < n) {
      const next = await it.next()
      if (next.done === true) break
      got++
    }
    return got
  }

  it('closes a connection whose peer never answers the handshake, by the handshake timeout', async () => {
    const blackHole = await startBlackHole()
    try {
      const pskTimeoutMs = 500
      const a = await bed.start({ pskTimeoutMs })
      const started = Date.now()
      // The caller's own signal allows far longer: the handshake bound applies anyway.
      const dialing = a.node.host.libp2p.dial(multiaddr(`/ip4/127.0.0.1/tcp/${blackHole.port}`), { signal: AbortSignal.timeout(30_000) })
      await expect(dialing).rejects.toThrow()
      await waitFor(() => blackHole.accepted() > 0 && blackHole.allClosed(), { timeout: 5_000, what: 'the socket closed' })
      expect(Date.now() - started).toBeLessThan(pskTimeoutMs + 2_000)
    } finally {
      blackHole.close()
    }
  })

  // @libp2p/pnet's WebAssembly cipher crashed the process a few hundred chunks after one
  // connection carried a chunk larger than its shared memory.
  it('keeps every connection working after a large transfer', async () => {
    const streams = { maxFrameBytes: 4 * 1024 * 1024 }
    const a = await bed.start({ streams })
    const b = await bed.start({ streams, join: [a.node.addresses()[0]] })
    const c = await bed.start({ streams, join: [a.node.addresses()[0]] })
    await waitFor(() => a.channels.length === 2 && b.channels.length >= 1 && c.channels.length >= 1, { timeout: 15_000, what: 'channels a–b and a–c' })
    const toB = a.channels.find(ch => ch.peer === b.node.peerId) as SyncChannel
    const toC = a.channels.find(ch => ch.peer === c.node.peerId) as SyncChannel
    const atB = b.channels.find(ch => ch.peer === a.node.peerId) as SyncChannel
    const atC = c.channels.find(ch => ch.peer === a.node.peerId) as SyncChannel
    const big = take(atB, 1)
    if (!toB.send(new Uint8Array(3 * 1024 * 1024).fill(7))) await toB.drain()
    expect(await big).toBe(1)
    const small = Promise.all([take(atB, 2000), take(atC, 2000)])
    for (let i = 0; i < 2000; i++) {
      for (const ch of [toB, toC]) if (!ch.send(Buffer.from(`frame ${i}`))) await ch.drain()
    }
    expect(await small).toEqual([2000, 2000])
  })
})
