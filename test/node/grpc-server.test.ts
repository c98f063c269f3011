import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { protoPath as healthProtoPath } from 'grpc-health-check'
import { createRequire } from 'node:module'
import { FileDescriptorProto } from 'protobufjs/ext/descriptor/index.js'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_PIPELINE_CALLS, MAX_STREAM_BATCH_EVENTS } from '../../kernel/syscalls.js'
import { createKernelClient } from '../../node/client.js'
import { startTestServers, unary, type TestServers } from '../helpers/servers.js'
import { waitFor } from '../helpers/wait-for.js'

let s: TestServers
beforeAll(async () => { s = await startTestServers({ deadlines: { Decide: 60_000 } }) })
afterAll(async () => { await s.stop() })

async function counter (name: string, labels: Record<string, string>): Promise<number> {
  const metric = await s.metrics.registry.getSingleMetric(name)?.get()
  const match = metric?.values.find(v => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
  return match?.value ?? 0
}

describe('gRPC server: unary calls', () => {
  it('answers through the dispatcher with a correlation id in the metadata', async () => {
    const md = new grpc.Metadata()
    md.set('x-correlation-id', 'caller-chosen-42')
    const { err, response, metadata } = await unary(s.client, 'Remember', { namespace: 'n', key: 'k', value: Buffer.from('hi'), ttlMs: 9 }, { metadata: md })
    expect(err).toBeNull()
    expect(response).toMatchObject({ sha256: '8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4', expiresAtMs: 9, durability: 'DURABILITY_LOCAL' })
    expect(metadata?.get('x-correlation-id')).toEqual(['caller-chosen-42'])
  })

  it('maps a failure to its gRPC status, message, stable code and correlation id', async () => {
    const { err } = await unary(s.client, 'Recall', { namespace: 'n', key: 'missing' })
    expect(err?.code).toBe(grpc.status.NOT_FOUND)
    expect(err?.details).toBe('key "missing" not found in namespace "n"')
    expect(err?.metadata.get('x-camos-error-code')).toEqual(['CAMOS_ERR_KEY_NOT_FOUND'])
    expect(String(err?.metadata.get('x-correlation-id')[0])).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers UNIMPLEMENTED for a syscall without a handler and INVALID_ARGUMENT naming the field', async () => {
    expect((await unary(s.client, 'Think', {})).err?.code).toBe(grpc.status.UNIMPLEMENTED)
    const { err } = await unary(s.client, 'Remember', { key: 'k' })
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(err?.details).toBe('namespace: is required')
  })

  it('honours the client deadline', async () => {
    const { err } = await unary(s.client, 'Decide', {}, { deadlineMs: 100 })
    expect(err?.code).toBe(grpc.status.DEADLINE_EXCEEDED)
    await waitFor(async () => await counter('camos_syscalls_total', { syscall: 'Decide', code: 'CAMOS_ERR_DEADLINE_EXCEEDED' }) === 1, { message: 'dispatcher saw the deadline' })
  })

  it('turns client cancellation into an aborted call', async () => {
    const call = s.client.Decide({}, (err: grpc.ServiceError | null) => { expect(err?.code).toBe(grpc.status.CANCELLED) }) as grpc.ClientUnaryCall
    await waitFor(() => s.kernel.decidesRunning() === 1, { message: 'Decide running' })
    call.cancel()
    await waitFor(async () => await counter('camos_syscalls_total', { syscall: 'Decide', code: 'CAMOS_ERR_CANCELLED' }) === 1, { message: 'handler aborted by cancellation' })
    await waitFor(() => s.kernel.decidesRunning() === 0, { message: 'handler left after cancellation' })
  })
})

describe('gRPC server: Observe stream', () => {
  it('streams the initial entries, SYNCED, then changes until cancelled', async () => {
    await unary(s.client, 'Remember', { namespace: 'obs', key: 'a1', value: Buffer.from('1') })
    const call = s.client.Observe({ namespace: 'obs', prefix: 'a', follow: true }) as grpc.ClientReadableStream<any>
    const events: any[] = []
    let status: grpc.StatusObject | undefined
    call.on('data', batch => events.push(...batch.events))
    call.on('error', () => {})
    call.on('status', st => { status = st })
    await waitFor(() => events.some(e => e.kind === 'KIND_SYNCED'), { message: 'SYNCED' })
    expect(events[0]).toMatchObject({ kind: 'KIND_INITIAL', entry: { key: 'a1', value: Buffer.from('1') } })
    await unary(s.client, 'Remember', { namespace: 'obs', key: 'a2', value: Buffer.from('2') })
    await unary(s.client, 'Remember', { namespace: 'obs', key: 'b1', value: Buffer.from('3') })
    await waitFor(() => events.some(e => e.kind === 'KIND_PUT'), { message: 'PUT event' })
    expect(events.filter(e => e.kind === 'KIND_PUT').map(e => e.entry.key)).toEqual(['a2'])
    await waitFor(async () => await counter('camos_grpc_active_streams', { method: 'Observe' }) === 1)
    call.cancel()
    await waitFor(() => status !== undefined)
    expect(status?.code).toBe(grpc.status.CANCELLED)
    await waitFor(async () => await counter('camos_grpc_active_streams', { method: 'Observe' }) === 0, { message: 'stream closed on the server' })
  })

  it('ends a failed stream with the error status', async () => {
    await unary(s.client, 'Remember', { namespace: 'broken', key: 'x', value: Buffer.from('1') })
    const call = s.client.Observe({ namespace: 'broken', prefix: '' }) as grpc.ClientReadableStream<any>
    const events: any[] = []
    call.on('data', batch => events.push(...batch.events))
    const err = await new Promise<grpc.ServiceError>(resolve => call.on('error', resolve))
    expect(events).toHaveLength(1)
    expect(err.code).toBe(grpc.status.UNAVAILABLE)
    expect(err.metadata.get('x-camos-error-code')).toEqual(['CAMOS_ERR_STORAGE_UNAVAILABLE'])
  })
})

describe('gRPC server: Observe batches', () => {
  it('sends a burst in few messages, in order, none larger than the batch limit', async () => {
    const n = MAX_STREAM_BATCH_EVENTS + 500
    for (let i = 0; i < n; i += 250) {
      await Promise.all(Array.from({ length: Math.min(250, n - i) }, async (_, j) =>
        await unary(s.client, 'Remember', { namespace: 'burst', key: `k${String(i + j).padStart(5, '0')}`, value: Buffer.from('v') })))
    }
    const call = s.client.Observe({ namespace: 'burst', prefix: '' }) as grpc.ClientReadableStream<any>
    const sizes: number[] = []
    const keys: string[] = []
    call.on('data', batch => {
      sizes.push(batch.events.length)
      for (const e of batch.events) if (e.kind === 'KIND_INITIAL') keys.push(e.entry.key)
    })
    await new Promise<void>((resolve, reject) => { call.on('end', resolve); call.on('error', reject) })
    expect(keys).toEqual(Array.from({ length: n }, (_, i) => `k${String(i).padStart(5, '0')}`))
    expect(sizes.length).toBeGreaterThanOrEqual(2)
    expect(sizes.length).toBeLessThan(20)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_STREAM_BATCH_EVENTS)
  })

  it('the bundled client hands batched events over one by one', async () => {
    const client = createKernelClient({ address: s.grpc.address() })
    try {
      const events: any[] = []
      await client.stream('Observe', { namespace: 'burst', prefix: 'k0000' }, e => events.push(e))
      expect(events.map(e => e.kind)).toEqual([...Array(10).fill('KIND_INITIAL'), 'KIND_SYNCED'])
    } finally {
      client.close()
    }
  })
})

describe('gRPC server: Pipeline', () => {
  /** Opens a Pipeline stream; `results` collects every result of every response message. */
  function openPipeline (client: TestServers['client']): { call: grpc.ClientDuplexStream<any, any>, results: any[], messages: () => number, ended: Promise<void> } {
    const call = client.Pipeline() as grpc.ClientDuplexStream<any, any>
    const results: any[] = []
    let messages = 0
    call.on('data', r => { messages++; results.push(...r.results) })
    const ended = new Promise<void>(resolve => call.on('end', resolve))
    return { call, results, messages: () => messages, ended }
  }

  it('answers out of order, matched by id, with errors as CallError', async () => {
    const p = openPipeline(s.client)
    p.call.write({ calls: [{ id: 1, forget: { namespace: 'p', key: 'gate' } }] })
    p.call.write({ calls: [{ id: 2, remember: { namespace: 'p', key: 'release', value: Buffer.from('r') } }] })
    p.call.write({ calls: [{ id: 3, recall: { namespace: 'p', key: 'absent' } }, { id: 4 }] })
    p.call.end()
    await p.ended
    const responses = p.results
    expect(responses.map(r => r.id).sort()).toEqual([1, 2, 3, 4])
    const byId = new Map(responses.map(r => [r.id, r]))
    expect(responses.findIndex(r => r.id === 2)).toBeLessThan(responses.findIndex(r => r.id === 1))
    expect(byId.get(1)).toMatchObject({ result: 'forget', forget: { version: 'forget-gate' } })
    expect(byId.get(2)).toMatchObject({ result: 'remember', remember: { durability: 'DURABILITY_LOCAL' } })
    expect(byId.get(3)).toMatchObject({ result: 'error', error: { code: grpc.status.NOT_FOUND, errorCode: 'CAMOS_ERR_KEY_NOT_FOUND' } })
    expect(byId.get(3).error.correlationId).toBe(byId.get(3).correlationId)
    expect(byId.get(4)).toMatchObject({ result: 'error', error: { code: grpc.status.INVALID_ARGUMENT } })
  })

  it('answers the calls of one message in fewer messages than calls', async () => {
    const p = openPipeline(s.client)
    const calls = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, remember: { namespace: 'p', key: `batch-${i}`, value: Buffer.from([i]) } }))
    p.call.write({ calls })
    p.call.end()
    await p.ended
    expect(p.results.map(r => r.id).sort((a, b) => a - b)).toEqual(calls.map(c => c.id))
    expect(p.results.every(r => r.result === 'remember')).toBe(true)
    expect(p.messages()).toBeLessThan(calls.length)
    const { response } = await unary(s.client, 'Recall', { namespace: 'p', key: 'batch-199' })
    expect(Buffer.from(response.entry.value)).toEqual(Buffer.from([199]))
  })

  it('refuses a message over the call limit with INVALID_ARGUMENT for each call, and keeps the stream', async () => {
    const p = openPipeline(s.client)
    const calls = Array.from({ length: MAX_PIPELINE_CALLS + 1 }, (_, i) => ({ id: i + 1, recall: { namespace: 'p', key: 'x' } }))
    p.call.write({ calls })
    p.call.write({ calls: [{ id: 9999, remember: { namespace: 'p', key: 'after-limit', value: Buffer.from('a') } }] })
    p.call.end()
    await p.ended
    const errors = p.results.filter(r => r.result === 'error')
    expect(errors).toHaveLength(calls.length)
    expect(errors[0].error).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, message: `calls: ${calls.length} calls in one message; the limit is ${MAX_PIPELINE_CALLS}` })
    expect(p.results.find(r => r.id === 9999)).toMatchObject({ result: 'remember' })
  })

  it('client pipeline: calls queued together resolve with their own results, errors reject', async () => {
    const client = createKernelClient({ address: s.grpc.address() })
    try {
      const pipe = client.pipeline()
      const writes = Array.from({ length: 300 }, async (_, i) => await pipe.call({ remember: { namespace: 'cp', key: `k${i}`, value: Buffer.from(String(i)) } }))
      await Promise.all(writes)
      const reads = Array.from({ length: 300 }, async (_, i) => await pipe.call({ recall: { namespace: 'cp', key: `k${i}` } }))
      const missing = pipe.call({ recall: { namespace: 'cp', key: 'absent' } })
      const last = pipe.call({ remember: { namespace: 'cp', key: 'queued-before-end', value: Buffer.from('e') } })
      pipe.end()
      const values = (await Promise.all(reads)).map(r => Buffer.from(r.recall?.entry?.value ?? []).toString())
      expect(values).toEqual(Array.from({ length: 300 }, (_, i) => String(i)))
      await expect(missing).rejects.toMatchObject({ errorCode: 'CAMOS_ERR_KEY_NOT_FOUND' })
      expect((await last).result).toBe('remember')
    } finally {
      client.close()
    }
  })

  it('bounds the calls in flight per stream by pausing reads', async () => {
    const bounded = await startTestServers({ pipelineMaxInFlight: 2 })
    try {
      const p = openPipeline(bounded.client)
      for (let id = 1; id <= 4; id++) p.call.write({ calls: [{ id, forget: { namespace: 'p', key: 'gate' } }] })
      p.call.end()
      await waitFor(() => bounded.pipelineInFlight() === 2, { message: 'two gated calls in flight' })
      await unary(bounded.client, 'Remember', { namespace: 'p', key: 'release' })
      await waitFor(() => p.results.length === 2 && bounded.pipelineInFlight() === 2, { message: 'the next two read after the first two answered' })
      await unary(bounded.client, 'Remember', { namespace: 'p', key: 'release' })
      await p.ended
      expect(p.results.map(r => r.id).sort()).toEqual([1, 2, 3, 4])
      expect(bounded.pipelinePeak()).toBe(2)
    } finally {
      await bounded.stop()
    }
  })
})

describe('gRPC server: standard services', () => {
  it('serves grpc.health.v1 with the readiness status', async () => {
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { enums: String })) as any
    const health = new pkg.grpc.health.v1.Health(s.grpc.address(), grpc.credentials.createInsecure())
    const check = async (service: string): Promise<string> => await new Promise((resolve, reject) => {
      health.Check({ service }, (err: Error | null, res: { status: string }) => { if (err !== null) reject(err); else resolve(res.status) })
    })
    try {
      expect(await check('')).toBe('SERVING')
      expect(await check('camos.v1.Kernel')).toBe('SERVING')
      s.grpc.setServing(false)
      expect(await check('camos.v1.Kernel')).toBe('NOT_SERVING')
    } finally {
      s.grpc.setServing(true)
      health.close()
    }
  })

  it('lists camos.v1.Kernel through server reflection and serves the files that define it', async () => {
    const reflectionDir = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '..', 'proto')
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [reflectionDir] })) as any
    const reflection = new pkg.grpc.reflection.v1.ServerReflection(s.grpc.address(), grpc.credentials.createInsecure())
    try {
      const call = reflection.ServerReflectionInfo()
      const ask = async (request: object): Promise<any> => {
        const response = new Promise<any>(resolve => call.once('data', resolve))
        call.write(request)
        return await response
      }
      const names = (await ask({ listServices: '' })).listServicesResponse.service.map((svc: { name: string }) => svc.name)
      expect(names).toContain('camos.v1.Kernel')
      expect(names).toContain('grpc.health.v1.Health')
      for (const [symbol, kind, name] of [
        ['camos.v1.Kernel', 'service', 'Kernel'],
        ['camos.v1.RememberRequest', 'messageType', 'RememberRequest'],
        ['grpc.health.v1.HealthCheckRequest', 'messageType', 'HealthCheckRequest']
      ]) {
        const answer = await ask({ fileContainingSymbol: symbol })
        expect(answer.errorResponse, symbol).toBeUndefined()
        const files = answer.fileDescriptorResponse.fileDescriptorProto.map((b: Buffer) => FileDescriptorProto.decode(b) as any)
        expect(files.some((f: any) => (f[kind] ?? []).some((d: { name: string }) => d.name === name)), symbol).toBe(true)
      }
      call.end()
    } finally {
      reflection.close()
    }
  })
})
