/**
 * The libp2p host: the private network keeps out nodes of another cluster or secret, and the
 * identity survives restarts on the same data dir.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { createP2PHost, derivePsk, dhtProtocol, P2P_KEY_FILE, STREAM_WINDOW_BYTES, type P2PHost } from '../../transport/host.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'

const hosts: P2PHost[] = []
const dirs: string[] = []

async function host (cluster: string, secret: string, dataDir?: string, libp2pDebug?: boolean): Promise<P2PHost> {
  const h = await createP2PHost({ log: createCaptureLogger() }, { cluster, secret, listen: ['/ip4/127.0.0.1/tcp/0'], dataDir, libp2pDebug })
  hosts.push(h)
  await h.start()
  return h
}

function tempDir (): string {
  const d = mkdtempSync(join(tmpdir(), 'camos-host-'))
  dirs.push(d)
  return d
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map(async h => { await h.stop() }))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('p2p host', () => {
  it('connects nodes with the same cluster and secret and refuses any other', async () => {
    const a = await host('blue', 'secret-1')
    const same = await host('blue', 'secret-1')
    const wrongSecret = await host('blue', 'secret-2')
    const otherCluster = await host('green', 'secret-1')
    const target = multiaddr(a.addresses()[0])

    const conn = await same.libp2p.dial(target)
    expect(conn.remotePeer.equals(a.peerId)).toBe(true)
    expect(await same.libp2p.services.ping.ping(a.peerId)).toBeGreaterThanOrEqual(0)

    await expect(wrongSecret.libp2p.dial(target)).rejects.toThrow()
    await expect(otherCluster.libp2p.dial(target)).rejects.toThrow()
    // And the other way: the member cannot reach into the outsider either.
    await expect(a.libp2p.dial(multiaddr(wrongSecret.addresses()[0]))).rejects.toThrow()
    expect(a.libp2p.getPeers().map(p => p.toString())).toEqual([same.peerId.toString()])
  })

  it('opens streams with a 4 MiB receive window, so a large transfer does not wait for it to grow', async () => {
    const a = await host('blue', 'secret-1')
    const b = await host('blue', 'secret-1')
    await b.libp2p.handle('/camos/test/window/1.0.0', () => {})
    const stream = await a.libp2p.dialProtocol(multiaddr(b.addresses()[0]), '/camos/test/window/1.0.0')
    expect((stream as unknown as { recvWindow: number, sendWindowCapacity: number })).toMatchObject({ recvWindow: STREAM_WINDOW_BYTES, sendWindowCapacity: STREAM_WINDOW_BYTES })
    expect(STREAM_WINDOW_BYTES).toBe(4 * 1024 * 1024)
  })

  it("gives libp2p's components one silent logger unless its debug logs are asked for", async () => {
    const quiet = await host('blue', 's')
    const log = quiet.libp2p.logger.forComponent('a')
    expect(log.enabled).toBe(false)
    expect(quiet.libp2p.logger.forComponent('b')).toBe(log)
    expect(log.newScope('c')).toBe(log)

    const debug = await host('blue', 's', undefined, true)
    const a = debug.libp2p.logger.forComponent('a')
    expect(a).not.toBe(debug.libp2p.logger.forComponent('b'))
    expect(a.newScope('c')).not.toBe(a)
  })

  it('keeps its peer id across restarts on the same data dir, in a private key file', async () => {
    const dir = tempDir()
    const first = await host('blue', 's', dir)
    const id = first.peerId.toString()
    await first.stop()
    expect(statSync(join(dir, P2P_KEY_FILE)).mode & 0o777).toBe(0o600)
    const second = await host('blue', 's', dir)
    expect(second.peerId.toString()).toBe(id)
    const other = await host('blue', 's', tempDir())
    expect(other.peerId.toString()).not.toBe(id)
  })

  it('has idempotent start and stop', async () => {
    const h = await host('blue', 's')
    await h.start()
    expect(h.addresses()).toHaveLength(1)
    await Promise.all([h.stop(), h.stop()])
    expect(h.libp2p.status).toBe('stopped')
    await h.start()
    expect(h.libp2p.status).toBe('started')
  })

  it('derives distinct keys per cluster and secret, and a private DHT protocol', async () => {
    const key = async (c: string, s: string): Promise<string> => Buffer.from(await derivePsk(c, s)).toString('hex')
    expect(await key('a', 's')).toMatch(/^[0-9a-f]{64}$/)
    expect(await key('a', 's')).toBe(await key('a', 's'))
    expect(new Set(await Promise.all([key('a', 's'), key('b', 's'), key('a', 't')])).size).toBe(3)
    expect(dhtProtocol('a')).toBe('/camos/a/kad/1.0.0')
  })
})
