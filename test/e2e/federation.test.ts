/**
 * Federation across real `camos start` processes: a third node that knows only the second
 * still connects to the first (DHT discovery), a write on the first is readable on the third,
 * `camos peers` shows the members, and a node with the wrong cluster secret is refused.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { camosBin, startNodeProcess, type NodeProcess } from '../../chaos/node-process.js'
import { waitFor } from '../helpers/wait-for.js'
import type { ClusterStatusResponse__Output } from '../../proto/gen/camos/v1/ClusterStatusResponse.js'

const exec = promisify(execFile)
const nodes: NodeProcess[] = []
const dirs: string[] = []
const SECRET = 'e2e-federation-secret'

afterAll(async () => {
  await Promise.all(nodes.map(async n => { await n.stop() }))
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function start (args: string[], output?: string[]): Promise<NodeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'camos-e2e-fed-'))
  dirs.push(dataDir)
  const node = await startNodeProcess({ dataDir, args: ['--cluster', 'e2e', '--log-level', 'warn', ...args], onOutput: line => output?.push(line) })
  nodes.push(node)
  return node
}

async function status (node: NodeProcess): Promise<ClusterStatusResponse__Output> {
  return await node.client().call('ClusterStatus', {})
}

const alivePeers = (s: ClusterStatusResponse__Output): string[] =>
  s.members.filter(m => m.nodeId !== s.nodeId && m.state === 'MEMBER_STATE_ALIVE').map(m => m.peerId).sort()

describe('federation of real node processes', () => {
  it('joins through one member, finds the rest, replicates, and refuses a wrong secret', async () => {
    const n1 = await start(['--cluster-secret', SECRET])
    const s1 = await status(n1)
    const self1 = s1.members[0]
    expect(self1).toMatchObject({ nodeId: s1.nodeId, state: 'MEMBER_STATE_ALIVE' })
    expect(self1.addresses[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3Koo/)

    // Nodes 2 and 3 open no member exchange, so node 2 does not name node 1 to node 3 (an
    // exchange either of them opened would): only the DHT can.
    const n2 = await start(['--cluster-secret', SECRET, '--join', self1.addresses[0], '--member-exchange', 'off'])
    const self2 = (await status(n2)).members[0]
    const n3 = await start(['--cluster-secret', SECRET, '--join', self2.addresses[0], '--member-exchange', 'off'])
    const self3 = (await status(n3)).members[0]

    await waitFor(async () => alivePeers(await status(n3)).join() === [self1.peerId, self2.peerId].sort().join(), { timeout: 20_000, what: 'node 3 alive with nodes 1 and 2' })
    await waitFor(async () => alivePeers(await status(n1)).join() === [self2.peerId, self3.peerId].sort().join(), { timeout: 20_000, what: 'node 1 alive with nodes 2 and 3' })

    await n1.client().call('Remember', { namespace: 'fed', key: 'hello', value: Buffer.from('from node 1') })
    await waitFor(async () => {
      const { entry } = await n3.client().call('Recall', { namespace: 'fed', key: 'hello' })
      return Buffer.from(entry.value).toString() === 'from node 1'
    }, { timeout: 10_000, what: 'the write on node 1 readable on node 3' })

    const peers = await exec(process.execPath, [camosBin(), 'peers', '--node', n3.grpcAddress])
    expect(peers.stdout).toMatch(/sees 2 other members \(2 alive, 0 suspect, 0 down\)/)
    for (const id of [self1.peerId, self2.peerId, self3.peerId]) expect(peers.stdout).toContain(id)

    // Wrong secret: it dials node 1 (its handshake fails), says so at the default log level,
    // and never becomes anyone's member.
    const output: string[] = []
    const bad = await start(['--cluster-secret', 'not-the-secret', '--join', self1.addresses[0]], output)
    await waitFor(() => output.some(line => line.includes('WARN') && line.includes('cannot reach a --join address') && line.includes(self1.addresses[0]) && line.includes('--cluster-secret')),
      { timeout: 15_000, what: 'the wrong-secret node\'s warning that it cannot join' })
    expect((await status(bad)).members).toHaveLength(1)
    for (const n of [n1, n2, n3]) expect((await status(n)).members).toHaveLength(3)
    const recall = n1.client().call('Recall', { namespace: 'fed', key: 'hello' })
    await expect(recall).resolves.toBeDefined()
    await expect(bad.client().call('Recall', { namespace: 'fed', key: 'hello' })).rejects.toMatchObject({ errorCode: 'CAMOS_ERR_KEY_NOT_FOUND' })
  })
})
