/**
 * QUORUM / ALL writes across real `camos start` processes: they succeed with both peers up;
 * after both peers are killed with SIGKILL a QUORUM write answers DEADLINE_EXCEEDED saying how
 * many acked, and the write stays readable on the writer.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { status as GrpcStatus } from '@grpc/grpc-js'
import { afterAll, describe, expect, it } from 'vitest'
import { startNodeProcess, type NodeProcess } from '../../chaos/node-process.js'
import { waitFor } from '../helpers/wait-for.js'
import type { KernelCallError } from '../../node/client.js'
import type { ClusterStatusResponse__Output } from '../../proto/gen/camos/v1/ClusterStatusResponse.js'

const SECRET = 's3cret'
/** The writer's Remember deadline: shorter than the client's, so the node's own answer arrives. */
const REMEMBER_DEADLINE_MS = 1_500
/** Three node processes starting on a loaded machine can take longer than the suite default. */
const TEST_TIMEOUT_MS = 60_000
const nodes: NodeProcess[] = []
const dirs: string[] = []

afterAll(async () => {
  await Promise.all(nodes.map(async n => { await n.stop() }))
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function start (args: string[]): Promise<NodeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'camos-e2e-quorum-'))
  dirs.push(dataDir)
  const node = await startNodeProcess({ dataDir, args: ['--cluster', 'quorum', '--log-level', 'warn', '--p2p', '/ip4/127.0.0.1/tcp/0', '--cluster-secret', SECRET, ...args] })
  nodes.push(node)
  return node
}

async function status (node: NodeProcess): Promise<ClusterStatusResponse__Output> {
  return await node.client().call('ClusterStatus', {})
}

const alivePeers = (s: ClusterStatusResponse__Output): number =>
  s.members.filter(m => m.nodeId !== s.nodeId && m.state === 'MEMBER_STATE_ALIVE').length

const remember = (key: string, value: string, durability: string): unknown => ({ namespace: 'quorum', key, value: Buffer.from(value), durability })

describe('replicated durability across node processes', () => {
  it('QUORUM/ALL succeed with peers up; with both peers killed QUORUM answers DEADLINE_EXCEEDED and the write stays', async () => {
    const n1 = await start(['--deadline', `Remember=${REMEMBER_DEADLINE_MS}`])
    const join1 = (await status(n1)).members[0].addresses[0]
    const [n2, n3] = await Promise.all([start(['--join', join1]), start(['--join', join1])])
    await waitFor(async () => alivePeers(await status(n1)) === 2, { timeout: 20_000, what: 'node 1 alive with nodes 2 and 3' })

    const client = n1.client()
    expect((await client.call('Remember', remember('q', 'quorum', 'DURABILITY_QUORUM'))).durability).toBe('DURABILITY_QUORUM')
    expect((await client.call('Remember', remember('a', 'all', 'DURABILITY_ALL'))).durability).toBe('DURABILITY_ALL')
    // ALL answered: both peers hold it already, no waiting.
    for (const peer of [n2, n3]) {
      const { entry } = await peer.client().call('Recall', { namespace: 'quorum', key: 'a' })
      expect(Buffer.from(entry.value).toString()).toBe('all')
    }

    await Promise.all([n2.kill(), n3.kill()])
    const err: KernelCallError = await client.call('Remember', remember('lost-peers', 'kept', 'DURABILITY_QUORUM')).then(
      () => { throw new Error('QUORUM write succeeded with both peers killed') },
      (e: KernelCallError) => e
    )
    expect(err.grpcCode).toBe(GrpcStatus.DEADLINE_EXCEEDED)
    expect(err.errorCode).toBe('CAMOS_ERR_DURABILITY_TIMEOUT')
    expect(err.message).toContain('durability QUORUM not reached: the deadline passed with 0 of 1 needed peer acks')
    expect(err.message).toContain('cluster of 3')
    for (const peer of [n2, n3]) expect(err.message).toContain(peer.peerId)

    // The client's own short deadline also ends the wait with DEADLINE_EXCEEDED.
    const short = await client.call('Remember', remember('short', 'kept too', 'DURABILITY_ALL'), { timeoutMs: 500 }).then(
      () => { throw new Error('ALL write succeeded with both peers killed') },
      (e: KernelCallError) => e
    )
    expect(short.grpcCode).toBe(GrpcStatus.DEADLINE_EXCEEDED)

    for (const [key, value] of [['lost-peers', 'kept'], ['short', 'kept too']]) {
      const { entry } = await client.call('Recall', { namespace: 'quorum', key })
      expect(Buffer.from(entry.value).toString()).toBe(value)
    }
  }, TEST_TIMEOUT_MS)
})
