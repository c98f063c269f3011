import * as grpc from '@grpc/grpc-js'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../node/config.js'
import { createNode, type CamosNode } from '../../node/node.js'
import { createLogger } from '../../node/logger.js'
import { loadKernelProto } from '../../proto/load.js'
import { redisTestTarget, startRedisServer } from '../helpers/redis-server.js'
import { unary } from '../helpers/servers.js'
import { waitFor } from '../helpers/wait-for.js'

const log = createLogger({ level: process.env.CAMOS_TEST_LOG === '1' ? 'debug' : 'silent' })
const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => { for (const fn of cleanup.splice(0).reverse()) await fn() })

function tempDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'camos-node-'))
  cleanup.push(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

async function startNode (flags: Record<string, string | string[]>): Promise<CamosNode> {
  const config = resolveConfig({ flags: { grpc: '127.0.0.1:0', http: '127.0.0.1:0', ...flags }, env: {} })
  const node = await createNode(config, { log })
  cleanup.push(async () => { await node.stop() })
  await node.start()
  return node
}

function kernelClient (node: CamosNode): grpc.Client & Record<string, any> {
  const proto = loadKernelProto()
  const client = new proto.grpc.camos.v1.Kernel(node.addresses().grpc, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, any>
  cleanup.push(() => { client.close() })
  return client
}

describe('createNode (embedded storage)', () => {
  it('sends a follower the changes of one transaction in one Observe message', async () => {
    const node = await startNode({ 'data-dir': tempDir() })
    const client = kernelClient(node)
    const n = 300
    await Promise.all(Array.from({ length: n }, async (_, i) =>
      await unary(client, 'Remember', { namespace: 'sweep', key: `s${i}`, value: Buffer.from('v') })))
    const call = client.Observe({ namespace: 'sweep', prefixAll: true, follow: true, changesOnly: true }) as grpc.ClientReadableStream<any>
    const deletes: number[] = []
    let synced = false
    call.on('data', (batch: any) => {
      if (batch.events.some((e: any) => e.kind === 'KIND_SYNCED')) synced = true
      const d = batch.events.filter((e: any) => e.kind === 'KIND_DELETE').length
      if (d > 0) deletes.push(d)
    })
    call.on('error', () => {})
    await waitFor(() => synced, { message: 'SYNCED' })
    // A prefix Forget deletes every key in one transaction: its events leave together.
    expect((await unary(client, 'Forget', { namespace: 'sweep', prefix: 's' })).err).toBeNull()
    await waitFor(() => deletes.reduce((a, b) => a + b, 0) === n, { message: `${n} DELETE events` })
    call.cancel()
    expect(deletes).toEqual([n])
  })

  it('serves memory contexts over gRPC and HTTP and keeps data and node id across restarts', async () => {
    const dataDir = tempDir()
    const first = await startNode({ 'data-dir': dataDir })
    expect(first.state()).toBe('serving')
    expect(first.storageMode).toBe('embedded')
    expect(first.addresses().grpc).toMatch(/^127\.0\.0\.1:[1-9]\d*$/)
    expect(readFileSync(join(dataDir, 'node-id'), 'utf8').trim()).toBe(first.nodeId)

    const written = await unary(kernelClient(first), 'Remember', { namespace: 'notes', key: 'a', value: Buffer.from('persisted') })
    expect(written.err).toBeNull()
    const http = await fetch(`http://${first.addresses().http}/v1/Recall`, { method: 'POST', body: JSON.stringify({ namespace: 'notes', key: 'a' }) })
    expect(http.status).toBe(200)
    expect((await http.json() as any).entry).toMatchObject({ value: Buffer.from('persisted').toString('base64'), version: written.response.version, authorNode: first.nodeId })
    const ready = await fetch(`http://${first.addresses().http}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'serving' })

    await first.stop()
    expect(first.state()).toBe('stopped')
    await first.stop()

    const second = await startNode({ 'data-dir': dataDir })
    expect(second.nodeId).toBe(first.nodeId)
    const recalled = await unary(kernelClient(second), 'Recall', { namespace: 'notes', key: 'a' })
    expect(recalled.err).toBeNull()
    expect(recalled.response.entry.value.toString()).toBe('persisted')
    const health = await unary(kernelClient(second), 'HealthCheck', {})
    expect(health.response).toMatchObject({ state: 'SERVING_STATE_SERVING', nodeId: first.nodeId, documents: 1 })
  })

  it('answers UNAVAILABLE to calls after stop began and releases its ports', async () => {
    const node = await startNode({ 'data-dir': tempDir() })
    const client = kernelClient(node)
    const { grpc: grpcAddress } = node.addresses()
    await node.stop()
    const after = await unary(client, 'HealthCheck', {}, { deadlineMs: 2_000 })
    expect(after.err?.code).toBe(grpc.status.UNAVAILABLE)
    const port = Number(grpcAddress.split(':')[1])
    await new Promise<void>((resolve, reject) => {
      const probe = createServer()
      probe.once('error', reject)
      probe.listen(port, '127.0.0.1', () => { probe.close(() => { resolve() }) })
    })
  })

  it('stops what started when a later step fails', async () => {
    const busy: Server = createServer()
    await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve))
    cleanup.push(async () => { await new Promise(resolve => busy.close(resolve)) })
    const busyPort = (busy.address() as { port: number }).port
    const dataDir = tempDir()
    const config = resolveConfig({ flags: { 'data-dir': dataDir, grpc: '127.0.0.1:0', http: `127.0.0.1:${busyPort}` }, env: {} })
    const node = await createNode(config, { log })
    await expect(node.start()).rejects.toThrow(/cannot listen for HTTP on 127\.0\.0\.1:\d+/)
    expect(node.state()).toBe('failed')
    // The storage was closed: a new node opens the same data dir and serves.
    const again = await startNode({ 'data-dir': dataDir })
    expect(again.nodeId).toBe(node.nodeId)
  })
})

const redisTarget = redisTestTarget('node (redis modes)', { needOwnServer: true })

describe.runIf(redisTarget.run)('createNode (Redis storage)', () => {
  it('alone mode keeps the node id in Redis and the data in Redis only', async () => {
    const server = await startRedisServer()
    cleanup.push(async () => { await server.dispose() })
    const flags = { redis: server.url, 'redis-mode': 'alone', 'redis-prefix': 'n1:' }
    const first = await startNode(flags)
    expect(first.storageMode).toBe('redis-alone')
    expect(first.config.dataDir).toBeUndefined()
    const redis = new Redis(server.url)
    cleanup.push(() => { redis.disconnect() })
    expect(await redis.get('n1:node-id')).toBe(first.nodeId)
    expect((await unary(kernelClient(first), 'Remember', { namespace: 'r', key: 'k', value: Buffer.from('v') })).err).toBeNull()
    await first.stop()

    const replacement = await startNode(flags)
    expect(replacement.nodeId).toBe(first.nodeId)
    const recalled = await unary(kernelClient(replacement), 'Recall', { namespace: 'r', key: 'k' })
    expect(recalled.response.entry.value.toString()).toBe('v')
  })

  it('behind mode reports degraded (still ready) while Redis is down', async () => {
    const server = await startRedisServer()
    cleanup.push(async () => { await server.dispose() })
    const node = await startNode({ 'data-dir': tempDir(), redis: server.url })
    expect(node.storageMode).toBe('redis-behind')
    await server.stop()
    const client = kernelClient(node)
    let health: any
    await waitFor(async () => {
      health = (await unary(client, 'HealthCheck', {})).response
      return health.state === 'SERVING_STATE_DEGRADED'
    }, { timeout: 15_000, message: 'HealthCheck reports DEGRADED' })
    expect(health.components).toContainEqual(expect.objectContaining({ name: 'storage', state: 'SERVING_STATE_DEGRADED' }))
    expect((await unary(client, 'Remember', { namespace: 'd', key: 'k', value: Buffer.from('x') })).err).toBeNull()
    const ready = await fetch(`http://${node.addresses().http}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'degraded' })
  })
})
