/**
 * The CLI and the HTTP gateway end to end, against a real `camos start` process, as a user
 * would drive them: every context syscall, bad input, streaming, and the README's list of
 * what is built checked against what the node answers.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { camosBin, MALLOC_HUGE_PAGES_TUNABLE, startNodeProcess, type NodeProcess } from '../../chaos/node-process.js'
import { SYSCALL_NAMES } from '../../kernel/syscalls.js'
import { promtoolCheck } from '../helpers/promtool.js'

const exec = promisify(execFile)
let node: NodeProcess
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'camos-e2e-cli-'))
  node = await startNodeProcess({ dataDir, args: ['--log-level', 'warn'] })
})
afterAll(async () => {
  await node.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

it('the node process runs with the huge-page malloc tunable of the harness', () => {
  const environ = readFileSync(`/proc/${node.process.pid as number}/environ`, 'utf8').split('\0')
  expect(environ.find(v => v.startsWith('GLIBC_TUNABLES='))).toContain(MALLOC_HUGE_PAGES_TUNABLE)
})

interface CliResult { code: number, stdout: string, stderr: string }

async function camos (...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [camosBin(), ...args, '--node', node.grpcAddress])
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function call (syscall: string, request: unknown): Promise<any> {
  const res = await camos('call', syscall, JSON.stringify(request))
  expect(res, `camos call ${syscall} failed: ${res.stderr}`).toMatchObject({ code: 0 })
  return JSON.parse(res.stdout)
}

const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe('camos CLI against a real node', () => {
  it('runs every context syscall with canonical JSON in and out', async () => {
    const first = await call('Remember', { namespace: 'notes', key: 'greeting', value: b64('hello'), contentType: 'text/plain', metadata: { lang: 'en' }, ttlMs: '3600000' })
    expect(first.version).toMatch(/^[0-9a-f]{12}\.[0-9a-f]{4}\./)
    expect(typeof first.expiresAtMs).toBe('string')
    await call('Remember', { namespace: 'notes', key: 'greeting', value: b64('hello again') })
    await call('Remember', { namespace: 'notes', key: 'todo/1', value: b64('write tests') })

    const recalled = await call('Recall', { namespace: 'notes', key: 'greeting' })
    expect(Buffer.from(recalled.entry.value, 'base64').toString()).toBe('hello again')
    const old = await call('Recall', { namespace: 'notes', key: 'greeting', version: first.version })
    expect(old.entry).toMatchObject({ value: b64('hello'), contentType: 'text/plain', metadata: { lang: 'en' } })

    const versions = await call('ContextVersions', { namespace: 'notes', key: 'greeting' })
    expect(versions.versions.map((v: any) => Buffer.from(v.value, 'base64').toString())).toEqual(['hello again', 'hello'])

    expect(await call('ContextSnapshot', { namespace: 'notes', name: 'v1' })).toMatchObject({ name: 'v1', keyCount: 2 })
    expect(await call('Forget', { namespace: 'notes', prefixAll: true })).toMatchObject({ count: 2 })
    const gone = await camos('call', 'Recall', JSON.stringify({ namespace: 'notes', key: 'greeting' }))
    expect(gone.code).toBe(1)
    expect(gone.stderr).toMatch(/^error: CAMOS_ERR_KEY_NOT_FOUND .*\(correlation id [\w-]+\)/)
    expect(await call('ContextRestore', { namespace: 'notes', name: 'v1' })).toMatchObject({ written: 2 })
    expect(Buffer.from((await call('Recall', { namespace: 'notes', key: 'todo/1' })).entry.value, 'base64').toString()).toBe('write tests')
    expect(await call('Forget', { namespace: 'notes', key: 'todo/1' })).toMatchObject({ count: 1 })

    const observed = await camos('call', 'Observe', JSON.stringify({ namespace: 'notes', prefixAll: true }))
    expect(observed.code).toBe(0)
    const events = observed.stdout.trim().split('\n').map(line => JSON.parse(line))
    expect(events.map(e => e.kind)).toEqual(['KIND_INITIAL', 'KIND_SYNCED'])
    expect(events[0].entry.key).toBe('greeting')
  })

  it('reports bad input with the field, the stable code and a non-zero exit', async () => {
    const badNs = await camos('call', 'Remember', JSON.stringify({ namespace: 'Bad NS', key: 'k', value: b64('v') }))
    expect(badNs.code).toBe(1)
    expect(badNs.stderr).toMatch(/^error: CAMOS_ERR_NAMESPACE_INVALID namespace: /)
    const badKey = await camos('call', 'Remember', JSON.stringify({ namespace: 'ok', key: 'a/../b', value: b64('v') }))
    expect(badKey.stderr).toMatch(/^error: CAMOS_ERR_KEY_INVALID key: /)
    const unknownField = await camos('call', 'Remember', JSON.stringify({ namespace: 'ok', key: 'k', valu: b64('v') }))
    expect(unknownField.code).toBe(2)
    expect(unknownField.stderr).toContain('valu')
    const notJson = await camos('call', 'Recall', '{namespace:')
    expect(notJson.code).toBe(2)
    const unimplemented = await camos('call', 'Think', '{}')
    expect(unimplemented.code).toBe(1)
    expect(unimplemented.stderr).toMatch(/^error: CAMOS_ERR_UNIMPLEMENTED Think /)
  })

  it('prints the node status', async () => {
    const res = await camos('status')
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/state\s+SERVING/)
  })
})

describe('HTTP gateway against a real node', () => {
  const post = async (syscall: string, body: unknown): Promise<Response> =>
    await fetch(`http://${node.httpAddress}/v1/${syscall}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) })

  it('writes, reads and streams with canonical JSON', async () => {
    const put = await post('Remember', { namespace: 'web', key: 'k', value: b64('v1') })
    expect(put.status).toBe(200)
    expect(put.headers.get('x-correlation-id')).toMatch(/^[\w-]+$/)
    const got: any = await (await post('Recall', { namespace: 'web', key: 'k' })).json()
    expect(got.entry).toMatchObject({ namespace: 'web', key: 'k', value: b64('v1') })
    const stream = await post('Observe', { namespace: 'web', prefixAll: true })
    expect(stream.headers.get('content-type')).toContain('application/x-ndjson')
    const lines = (await stream.text()).trim().split('\n').map(l => JSON.parse(l))
    expect(lines.map(l => l.kind)).toEqual(['KIND_INITIAL', 'KIND_SYNCED'])
  })

  it('maps errors to HTTP statuses with a JSON body naming the problem', async () => {
    const invalid = await post('Remember', { namespace: 'web', key: '', value: b64('v') })
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({ code: 'CAMOS_ERR_KEY_INVALID', message: expect.stringMatching(/^key: /), correlationId: expect.any(String) })
    expect((await post('Recall', { namespace: 'web', key: 'nope' })).status).toBe(404)
    expect((await post('Recall', '{not json')).status).toBe(400)
    expect((await post('NoSuchSyscall', {})).status).toBe(404)
  })

  it('serves /metrics that promtool accepts, with syscall latency by syscall and code', async () => {
    const text = await (await fetch(`http://${node.httpAddress}/metrics`)).text()
    expect(text).toMatch(/^camos_syscall_duration_seconds_bucket\{.*syscall="Remember",code="OK"\} \d+$/m)
    expect(text).toMatch(/^camos_storage_fsync_duration_seconds_count \d+$/m)
    const problems = promtoolCheck(text)
    if (problems !== undefined) expect(problems).toBe('')
  })

  it('answers 501 naming the call for exactly the syscalls the README lists as UNIMPLEMENTED', async () => {
    const readme = readFileSync('README.md', 'utf8')
    const unimplementedRows = readme.split('\n').filter(l => l.startsWith('|') && l.includes('| UNIMPLEMENTED |')).join(' ')
    const builtRows = readme.split('\n').filter(l => l.startsWith('|') && l.includes('| built |')).join(' ')
    for (const name of SYSCALL_NAMES) {
      const res = await post(name, {})
      const listed = new RegExp(`\\b${name}\\b`)
      if (res.status === 501) {
        expect(((await res.json()) as any).message, name).toContain(name)
        expect(unimplementedRows, `README must list ${name} as UNIMPLEMENTED`).toMatch(listed)
      } else {
        expect(builtRows, `README must list ${name} as built`).toMatch(listed)
      }
    }
  })
})
