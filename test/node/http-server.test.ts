import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServers, type TestServers } from '../helpers/servers.js'
import { promtoolCheck } from '../helpers/promtool.js'
import { waitFor } from '../helpers/wait-for.js'

let s: TestServers
beforeAll(async () => { s = await startTestServers({ deadlines: { Decide: 50 }, maxBodyBytes: 64 * 1024 }) })
afterAll(async () => { await s.stop() })

async function post (syscall: string, body: string | object, headers: Record<string, string> = {}): Promise<{ status: number, body: any, headers: Headers }> {
  const res = await fetch(`${s.httpUrl}/v1/${syscall}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: res.status, body: await res.json(), headers: res.headers }
}

/** Reads NDJSON lines from a streaming response until `until` says stop. */
async function readLines (res: Response, until: (lines: any[]) => boolean): Promise<any[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const lines: any[] = []
  let buffered = ''
  while (!until(lines)) {
    const { value, done } = await reader.read()
    if (done) break
    buffered += decoder.decode(value, { stream: true })
    let nl: number
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, nl)))
      buffered = buffered.slice(nl + 1)
    }
  }
  reader.releaseLock()
  return lines
}

describe('HTTP gateway: unary syscalls', () => {
  it('maps canonical JSON in and out, with the correlation id header', async () => {
    const r = await post('Remember', { namespace: 'h', key: 'k', value: Buffer.from('hi').toString('base64'), ttlMs: '3000' }, { 'x-correlation-id': 'http-caller-1' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ version: expect.any(String), sha256: '8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4', expiresAtMs: '3000', durability: 'DURABILITY_LOCAL' })
    expect(r.headers.get('x-correlation-id')).toBe('http-caller-1')
    const recalled = await post('Recall', { namespace: 'h', key: 'k' })
    expect(recalled.body.entry).toMatchObject({ key: 'k', value: 'aGk=', writtenAtMs: '9007199254740991' })
  })

  it.each([
    ['an error of the handler', 'Recall', { namespace: 'h', key: 'nope' }, 404, 'CAMOS_ERR_KEY_NOT_FOUND'],
    ['a missing field', 'Remember', { key: 'k' }, 400, 'CAMOS_ERR_INVALID_ARGUMENT'],
    ['an unknown field', 'Remember', { namespace: 'h', colour: 'red' }, 400, 'CAMOS_ERR_MALFORMED_REQUEST'],
    ['a wrong type', 'Remember', { namespace: ['h'] }, 400, 'CAMOS_ERR_MALFORMED_REQUEST'],
    ['bad JSON', 'Remember', '{"namespace": ', 400, 'CAMOS_ERR_MALFORMED_REQUEST'],
    ['an unknown syscall', 'Teleport', {}, 404, 'CAMOS_ERR_UNKNOWN_SYSCALL'],
    ['an unimplemented syscall', 'Think', {}, 501, 'CAMOS_ERR_UNIMPLEMENTED'],
    ['a deadline', 'Decide', {}, 504, 'CAMOS_ERR_DEADLINE_EXCEEDED'],
    ['a body over the limit', 'Remember', { namespace: 'h', value: Buffer.alloc(64 * 1024).toString('base64') }, 413, 'CAMOS_ERR_REQUEST_TOO_LARGE']
  ])('answers %s with its HTTP status and a JSON error body', async (_what, syscall, body, status, code) => {
    const r = await post(syscall, body)
    expect(r.status).toBe(status)
    expect(r.body).toEqual({ code, message: expect.any(String), correlationId: expect.any(String) })
    expect(r.headers.get('x-correlation-id')).toBe(r.body.correlationId)
  })

  it('names the offending field in the message', async () => {
    expect((await post('Remember', { namespace: 'h', colour: 'red' })).body.message).toBe('colour: unknown field of RememberRequest')
    expect((await post('Remember', { namespace: 'h', ttlMs: true })).body.message).toBe('ttlMs: expected an integer, got boolean true')
  })

  it('answers unknown paths and wrong methods with JSON errors', async () => {
    const missing = await fetch(`${s.httpUrl}/nowhere`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ code: 'CAMOS_ERR_ROUTE_NOT_FOUND' })
    const wrongMethod = await fetch(`${s.httpUrl}/v1/Remember`)
    expect(wrongMethod.status).toBe(405)
    expect(await wrongMethod.json()).toMatchObject({ code: 'CAMOS_ERR_ROUTE_NOT_FOUND', message: 'GET is not allowed on /v1/Remember; use POST' })
  })
})

describe('HTTP gateway: streaming syscalls as NDJSON', () => {
  it('streams initial entries and SYNCED, and ends', async () => {
    await post('Remember', { namespace: 'nd', key: 'a', value: 'AQ==' })
    const res = await fetch(`${s.httpUrl}/v1/Observe`, { method: 'POST', body: JSON.stringify({ namespace: 'nd', prefix: '' }) })
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
    const lines = await readLines(res, () => false)
    expect(lines).toEqual([
      { kind: 'KIND_INITIAL', entry: expect.objectContaining({ key: 'a', value: 'AQ==' }), remote: false },
      { kind: 'KIND_SYNCED', entry: null, remote: false }
    ])
  })

  it('follows changes until the client disconnects', async () => {
    const controller = new AbortController()
    const res = await fetch(`${s.httpUrl}/v1/Observe`, { method: 'POST', body: JSON.stringify({ namespace: 'nf', prefix: '', follow: true }), signal: controller.signal })
    const before = await s.metrics.registry.getSingleMetric('camos_syscalls_total')?.get()
    const okBefore = before?.values.find(v => v.labels.syscall === 'Observe' && v.labels.code === 'OK')?.value ?? 0
    await post('Remember', { namespace: 'nf', key: 'x', value: 'Ag==' })
    const lines = await readLines(res, l => l.some(e => e.kind === 'KIND_PUT'))
    expect(lines.map(l => l.kind)).toEqual(['KIND_SYNCED', 'KIND_PUT'])
    controller.abort()
    await waitFor(async () => {
      const after = await s.metrics.registry.getSingleMetric('camos_syscalls_total')?.get()
      return (after?.values.find(v => v.labels.syscall === 'Observe' && v.labels.code === 'OK')?.value ?? 0) === okBefore + 1
    }, { message: 'the stream ended on the server after the disconnect' })
  })

  it('reports a failure after the first event as a final error line', async () => {
    await post('Remember', { namespace: 'broken', key: 'x', value: 'AQ==' })
    const res = await fetch(`${s.httpUrl}/v1/Observe`, { method: 'POST', body: JSON.stringify({ namespace: 'broken', prefix: '' }) })
    expect(res.status).toBe(200)
    const lines = await readLines(res, () => false)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toEqual({ error: { code: 'CAMOS_ERR_STORAGE_UNAVAILABLE', message: 'storage went away mid-stream', correlationId: res.headers.get('x-correlation-id') } })
  })

  it('answers a stream that fails before any event with an HTTP error', async () => {
    const res = await fetch(`${s.httpUrl}/v1/Observe`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'CAMOS_ERR_INVALID_ARGUMENT', message: 'namespace: is required' })
  })
})

describe('HTTP probes and metrics', () => {
  it('/healthz is 200 while the process runs; /readyz follows readiness and reports degraded storage', async () => {
    expect((await fetch(`${s.httpUrl}/healthz`)).status).toBe(200)
    const ready = await fetch(`${s.httpUrl}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'serving' })
    try {
      Object.assign(s.storage, { state: 'degraded', detail: 'redis: connection refused', backlog: 12 })
      const degraded = await fetch(`${s.httpUrl}/readyz`)
      expect(degraded.status).toBe(200)
      const body: any = await degraded.json()
      expect(body.status).toBe('degraded')
      expect(body.components).toContainEqual({ name: 'storage', state: 'SERVING_STATE_DEGRADED', detail: 'redis: connection refused' })
      s.serving.value = false
      expect((await fetch(`${s.httpUrl}/readyz`)).status).toBe(503)
    } finally {
      Object.assign(s.storage, { state: 'ok', detail: '', backlog: 0 })
      s.serving.value = true
    }
  })

  it('/metrics exposes the camos_ metrics in valid Prometheus text format', async () => {
    await post('Remember', { namespace: 'm', key: 'k' })
    const res = await fetch(`${s.httpUrl}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    expect(text).toMatch(/^camos_syscalls_total\{syscall="Remember",code="OK"\} \d+$/m)
    expect(text).toMatch(/^camos_syscall_duration_seconds_bucket\{le="0\.005",syscall="Remember",code="OK"\} \d+$/m)
    expect(text).toMatch(/^camos_storage_state\{state="ok"\} 1$/m)
    expect(text).toMatch(/^camos_ready 1$/m)
    expect(text).toMatch(/^camos_process_cpu_seconds_total /m)
    expect(text).toMatch(/^camos_http_requests_total\{route="\/v1\/Remember",status="200"\} \d+$/m)
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue
      expect(line).toMatch(/^camos_[a-z0-9_]+(\{[^}]*\})? [-+0-9.e]+|NaN$/)
    }
    const problems = promtoolCheck(text)
    if (problems !== undefined) expect(problems).toBe('')
  })
})
