/**
 * The cluster's private network: every libp2p connection is wrapped, below Noise, in an XSalsa20
 * stream keyed by the cluster's 32-byte network key, so a node without the key cannot even
 * complete a handshake. The protocol is @libp2p/pnet's: each side sends a random 24-byte nonce,
 * then each direction is XORed with XSalsa20(key, sender's nonce).
 *
 * Written here over @noble/ciphers because @libp2p/pnet's `xsalsa20` dependency keeps one
 * WebAssembly memory for all connections: a chunk larger than that memory grows it and leaves
 * every other connection's cipher with a detached view, and the process dies a few hundred calls
 * later ("WebAssembly.Memory.grow(): Maximum memory size exceeded").
 */
import { randomBytes } from 'node:crypto'
import { xsalsa20 } from '@noble/ciphers/salsa.js'
import { AbstractMultiaddrConnection, byteStream } from '@libp2p/utils'
import type { AbortOptions, ConnectionProtector, Logger, MessageStream, MultiaddrConnection } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

export const PSK_KEY_BYTES = 32
export const PSK_NONCE_BYTES = 24
/** How long the nonce exchange of a new connection may take, ms. */
export const DEFAULT_PSK_HANDSHAKE_MS = 5_000

const BLOCK_BYTES = 64
/**
 * Keystream generated ahead per direction. Most chunks are a few hundred bytes, and each call of
 * the cipher derives the XSalsa20 subkey anew and copies its key: generated a buffer at a time,
 * the keystream costs one call per 64 blocks, and a chunk is one XOR loop.
 */
const KEYSTREAM_BYTES = 64 * BLOCK_BYTES
const ZEROS = new Uint8Array(KEYSTREAM_BYTES)
/** @noble/ciphers exposes a 32-bit block counter: a direction may carry 256 GiB, then it must reconnect. */
const MAX_STREAM_BYTES = 2 ** 32 * BLOCK_BYTES

/** One direction of the cipher: XORs successive chunks with one continuous keystream. */
export class XSalsa20Stream {
  private position = 0
  private readonly keystream = new Uint8Array(KEYSTREAM_BYTES)
  /** Unused keystream bytes at the end of `keystream`; whenever it is 0, `position` is block-aligned. */
  private available = 0

  constructor (private readonly key: Uint8Array, private readonly nonce: Uint8Array) {}

  update (data: Uint8Array): Uint8Array {
    if (this.position + data.byteLength > MAX_STREAM_BYTES) throw new Error('private network stream exhausted its keystream; reconnect')
    const out = new Uint8Array(data.byteLength)
    let done = this.xorKeystream(data, out, 0)
    const whole = data.byteLength - done - (data.byteLength - done) % BLOCK_BYTES
    if (whole >= KEYSTREAM_BYTES) {
      // a large chunk's whole blocks go straight through the cipher
      xsalsa20(this.key, this.nonce, data.subarray(done, done + whole), out.subarray(done, done + whole), this.position / BLOCK_BYTES)
      this.position += whole
      done += whole
    }
    while (done < data.byteLength) {
      xsalsa20(this.key, this.nonce, ZEROS, this.keystream, this.position / BLOCK_BYTES)
      this.available = KEYSTREAM_BYTES
      done = this.xorKeystream(data, out, done)
    }
    return out
  }

  /** XORs `data` from `from` with the keystream left, as far as it goes; returns where it stopped. */
  private xorKeystream (data: Uint8Array, out: Uint8Array, from: number): number {
    const n = Math.min(this.available, data.byteLength - from)
    const keystream = this.keystream
    const at = KEYSTREAM_BYTES - this.available
    for (let i = 0; i < n; i++) out[from + i] = data[from + i] ^ keystream[at + i]
    this.available -= n
    this.position += n
    return from + n
  }
}

interface ProtectedInit {
  maConn: MultiaddrConnection
  key: Uint8Array
  localNonce: Uint8Array
  remoteNonce: Uint8Array
  log: Logger
}

class ProtectedConnection extends AbstractMultiaddrConnection {
  private readonly maConn: MultiaddrConnection
  private readonly inbound: XSalsa20Stream
  private readonly outbound: XSalsa20Stream

  constructor (init: ProtectedInit) {
    super({ remoteAddr: init.maConn.remoteAddr, direction: init.maConn.direction, log: init.log })
    this.maConn = init.maConn
    this.inbound = new XSalsa20Stream(init.key, init.remoteNonce)
    this.outbound = new XSalsa20Stream(init.key, init.localNonce)
    this.maConn.addEventListener('message', evt => {
      const data: Uint8Array | Uint8ArrayList = evt.data
      if (data instanceof Uint8Array) {
        this.onData(this.inbound.update(data))
      } else {
        for (const buf of data) this.onData(this.inbound.update(buf))
      }
    })
    this.maConn.addEventListener('drain', () => { this.onMuxerDrain() })
    this.maConn.addEventListener('close', evt => {
      if (evt.error == null) this.onTransportClosed()
      else if (evt.local) this.abort(evt.error)
      else this.onRemoteReset()
    })
  }

  async sendClose (options?: AbortOptions): Promise<void> {
    await this.maConn.close(options)
  }

  sendData (data: Uint8ArrayList): { sentBytes: number, canSendMore: boolean } {
    return { sentBytes: data.byteLength, canSendMore: this.maConn.send(this.outbound.update(data.subarray())) }
  }

  sendReset (err: Error): void {
    this.maConn.abort(err)
  }

  sendPause (): void {
    this.maConn.pause()
  }

  sendResume (): void {
    this.maConn.resume()
  }
}

export interface PrivateNetworkInit {
  /** The 32-byte network key; connections wait for it while it is being derived. */
  key: Uint8Array | Promise<Uint8Array>
  handshakeMs?: number
}

class PrivateNetworkProtector implements ConnectionProtector {
  readonly [Symbol.toStringTag] = '@camos/private-network'

  constructor (private readonly key: Promise<Uint8Array>, private readonly handshakeMs: number) {}

  async protect (connection: MessageStream, options?: AbortOptions): Promise<MessageStream> {
    const key = await this.key
    const maConn = connection as MultiaddrConnection
    const log = maConn.log.newScope('psk')
    const localNonce = Uint8Array.from(randomBytes(PSK_NONCE_BYTES))
    // Bounded whatever the caller's signal: libp2p's upgrade signal alone may never fire.
    const timeout = AbortSignal.timeout(this.handshakeMs)
    const opts = { ...options, signal: options?.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]) }
    const bytes = byteStream(maConn)
    let remote: Uint8ArrayList
    try {
      [remote] = await Promise.all([
        bytes.read({ bytes: PSK_NONCE_BYTES, ...opts }),
        bytes.write(localNonce, opts)
      ])
    } catch (err) {
      // Close the socket: the upgrade gives up on a failed protector without closing it, and a
      // paused or hung peer's kernel accepts connections it never answers (one per redial).
      maConn.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
    return new ProtectedConnection({ maConn: bytes.unwrap(), key, localNonce, remoteNonce: remote.subarray(), log })
  }
}

/** A libp2p `connectionProtector` for the cluster's private network. */
export function privateNetwork (init: PrivateNetworkInit): () => ConnectionProtector {
  const checked = (k: Uint8Array): Uint8Array => {
    if (k.byteLength !== PSK_KEY_BYTES) throw new RangeError(`the network key must be ${PSK_KEY_BYTES} bytes`)
    return Uint8Array.from(k)
  }
  const key = init.key instanceof Uint8Array ? Promise.resolve(checked(init.key)) : init.key.then(checked)
  key.catch(() => {})
  return () => new PrivateNetworkProtector(key, init.handshakeMs ?? DEFAULT_PSK_HANDSHAKE_MS)
}
