/**
 * What membership keeps across a restart and whom it drops: real libp2p nodes on loopback.
 */
import { createServer } from 'node:net'
import type { Startable } from '@libp2p/interface'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createP2PTestbed, type TestP2P } from '../helpers/p2p.js'
import { waitFor } from '../helpers/wait-for.js'

const bed = createP2PTestbed()
afterEach(async () => {
  vi.useRealTimers()
  await bed.stopAll()
})

const memberIds = (t: TestP2P): string[] => t.node.members().map(m => m.peerId).sort()

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise(resolve => server.close(resolve))
  return port
}

describe('membership', () => {
  it('knows its members again after a restart, before any of them answers', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    await waitFor(() => a.node.members().some(m => m.peerId === b.node.peerId && m.addresses.length > 0 && m.state === 'alive'), { what: 'A knows B' })
    const known = a.node.members().find(m => m.peerId === b.node.peerId)
    await b.node.stop()
    await a.node.stop()

    const again = await bed.start({}, a.dataDir)
    const view = again.node.members()
    expect(view.map(m => m.peerId)).toEqual([b.node.peerId])
    expect(view[0]).toMatchObject({ nodeId: known?.nodeId, addresses: known?.addresses, connected: false })
    expect(view[0].state).not.toBe('alive')
  })

  it('drops a member whose address a new peer id answers on (a wiped node)', async () => {
    const a = await bed.start()
    const port = await freePort()
    const listen = [`/ip4/127.0.0.1/tcp/${port}`]
    const b = await bed.start({ listen, join: [a.node.addresses()[0]] })
    await waitFor(() => memberIds(a).includes(b.node.peerId) && a.node.members()[0].addresses.length > 0, { what: 'A knows B' })
    await b.node.stop()
    await waitFor(() => a.node.members().every(m => !m.connected), { what: 'A saw B leave' })

    const wiped = await bed.start({ listen, join: [a.node.addresses()[0]] })
    await waitFor(() => memberIds(a).includes(wiped.node.peerId), { what: 'A knows the wiped node' })
    await waitFor(() => !memberIds(a).includes(b.node.peerId), { what: 'A dropped the old identity' })
    expect(a.log.lines.some(l => l.msg === 'member replaced: its address now answers under a new peer id' && l.fields?.peer === b.node.peerId)).toBe(true)
  })

  it('hangs up on a silent member after its wall clock went back, as before', async () => {
    const a = await bed.start()
    const b = await bed.start({ join: [a.node.addresses()[0]] })
    const seenOnA = (): number => a.node.members().find(m => m.peerId === b.node.peerId)?.lastSeenMs ?? 0
    await waitFor(() => a.node.members().some(m => m.peerId === b.node.peerId && m.state === 'alive'), { what: 'B alive on A' })
    // The wall clock runs a minute ahead while A hears from B, then is set right (only Date is
    // faked: timers and the monotonic clock run on).
    const ahead = Date.now() + 60_000
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true })
    vi.setSystemTime(ahead)
    await waitFor(() => seenOnA() >= ahead, { what: 'A heard from B with its clock ahead' })
    vi.setSystemTime(ahead - 60_000)
    let hangUps = 0
    a.node.host.libp2p.addEventListener('peer:disconnect', evt => { if (evt.detail.toString() === b.node.peerId) hangUps++ })
    await (b.node.host.libp2p.services.ping as unknown as Startable).stop()
    // The suspect period is 1 s (the testbed's): timed by the wall clock, the silence would
    // only count a minute from now.
    await waitFor(() => hangUps >= 1, { timeout: 10_000, what: 'A closed its connection to the silent B' })
  })
})
