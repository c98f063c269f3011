/**
 * What membership keeps across a restart and whom it drops: real libp2p nodes on loopback.
 */
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createP2PTestbed, type TestP2P } from '../helpers/p2p.js'
import { waitFor } from '../helpers/wait-for.js'

const bed = createP2PTestbed()
afterEach(async () => { await bed.stopAll() })

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
})
