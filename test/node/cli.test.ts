import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, USAGE, type CliIO } from '../../node/cli.js'
import { START_OPTIONS } from '../../node/config.js'
import { startTestServers, type TestServers } from '../helpers/servers.js'
import { waitFor } from '../helpers/wait-for.js'

interface Captured extends CliIO { out: () => string, err: () => string, interrupt: () => void }

function captureIO (env: Record<string, string> = {}): Captured {
  let out = ''
  let err = ''
  let interrupt = (): void => {}
  const interrupted = new Promise<void>(resolve => { interrupt = resolve })
  return {
    stdout: { write: (t: string) => { out += t } },
    stderr: { write: (t: string) => { err += t } },
    env,
    interrupted: async () => { await interrupted },
    out: () => out,
    err: () => err,
    interrupt: () => { interrupt() }
  }
}

let s: TestServers
beforeAll(async () => { s = await startTestServers() })
afterAll(async () => { await s.stop() })

describe('camos call / status (in process, against a test server)', () => {
  it('calls a unary syscall with canonical JSON in and out', async () => {
    const io = captureIO()
    const code = await runCli(['call', 'Remember', '{"namespace":"c","key":"k","value":"aGk=","ttlMs":"5"}', '--node', s.grpc.address()], io)
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    expect(JSON.parse(io.out())).toMatchObject({ sha256: '8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4', expiresAtMs: '5' })
  })

  it('prints "error: CODE message (correlation id …)" and exits 1 on a failed call', async () => {
    const io = captureIO({ CAMOS_NODE: s.grpc.address() })
    const code = await runCli(['call', 'Recall', '{"namespace":"c","key":"nope"}'], io)
    expect(code).toBe(1)
    expect(io.err()).toMatch(/^error: CAMOS_ERR_KEY_NOT_FOUND key "nope" not found in namespace "c" \(correlation id [0-9a-f-]{36}\)\n$/)
  })

  it('exits 2 on usage errors: unknown verb, syscall, flag, bad JSON or field', async () => {
    for (const argv of [['teleport'], ['call', 'Teleport'], ['call', 'Recall', '{}', '--bogus'], ['call', 'Recall', '{nope'], ['call', 'Recall', '{"colour":1}'], ['start', '--grpc', 'nowhere']]) {
      const io = captureIO()
      expect(await runCli(argv, io)).toBe(2)
      expect(io.err()).toMatch(/^error: /)
    }
    const io = captureIO()
    await runCli(['call', 'Recall', '{"colour":1}'], io)
    expect(io.err()).toMatch(/colour: unknown field of RecallRequest/)
  })

  it('streams Observe as NDJSON until interrupted', async () => {
    await runCli(['call', 'Remember', '{"namespace":"cs","key":"a","value":"AQ=="}', '--node', s.grpc.address()], captureIO())
    const io = captureIO()
    const done = runCli(['call', 'Observe', '{"namespace":"cs","prefix":"","follow":true}', '--node', s.grpc.address()], io)
    await waitFor(() => io.out().includes('KIND_SYNCED'), { message: 'SYNCED line' })
    io.interrupt()
    expect(await done).toBe(0)
    const lines = io.out().trim().split('\n').map(l => JSON.parse(l))
    expect(lines.map(l => l.kind)).toEqual(['KIND_INITIAL', 'KIND_SYNCED'])
    expect(lines[0].entry.value).toBe('AQ==')
  })

  it('prints a readable status', async () => {
    const io = captureIO()
    expect(await runCli(['status', '--node', s.grpc.address()], io)).toBe(0)
    expect(io.out()).toMatch(/^node +test-node at 127\.0\.0\.1:\d+$/m)
    expect(io.out()).toMatch(/^state +SERVING$/m)
    expect(io.out()).toMatch(/^ {2}storage +SERVING$/m)
  })

  it('documents every start option and its env var in --help', async () => {
    const io = captureIO()
    expect(await runCli(['start', '--help'], io)).toBe(0)
    for (const o of START_OPTIONS) {
      expect(io.out()).toContain(`--${o.flag} <${o.arg}>`)
      expect(io.out()).toContain(`env ${o.env}`)
    }
    const top = captureIO()
    expect(await runCli(['--help'], top)).toBe(0)
    expect(top.out()).toBe(USAGE)
  })
})

describe('camos start (real process)', () => {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'camos.js')
  const dist = join(import.meta.dirname, '..', '..', 'dist', 'node', 'cli.js')

  it('prints its addresses, serves, and stops gracefully on SIGTERM with exit 0', async () => {
    expect(existsSync(dist), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true)
    const dataDir = mkdtempSync(join(tmpdir(), 'camos-cli-'))
    try {
      const child = spawn(process.execPath, [bin, 'start', '--data-dir', dataDir, '--grpc', '127.0.0.1:0', '--http', '127.0.0.1:0', '--log-level', 'warn', '--join', '/ip4/127.0.0.1/tcp/4001'], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (c: Buffer) => { out += c.toString() })
      child.stderr.on('data', (c: Buffer) => { err += c.toString() })
      const exited = new Promise<number | null>(resolve => child.once('exit', code => { resolve(code) }))
      await waitFor(() => /HTTP +http:\/\/127\.0\.0\.1:\d+/.test(out) || child.exitCode !== null, { timeout: 20_000, message: `start banner (stderr: ${err})` })
      expect(out).toMatch(/^camos node [0-9a-f]{16} \(version \d+\.\d+\.\d+\) serving$/m)
      expect(out).toMatch(/storage +embedded log in /)
      const peerId = /^ +peer id +(12D3Koo\w+)$/m.exec(out)?.[1]
      expect(peerId).toBeDefined()
      expect(out).toMatch(new RegExp(`^ +p2p +/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${peerId}$`, 'm'))
      expect(out).toMatch(new RegExp(`^ +camos start --join /ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${peerId} --cluster default$`, 'm'))
      expect(out).toMatch(/WARNING: no cluster secret is set/)
      expect(err).toMatch(/NO CLUSTER SECRET/)
      const http = /HTTP +http:\/\/(127\.0\.0\.1:\d+)/.exec(out)?.[1]
      expect((await fetch(`http://${http}/readyz`)).status).toBe(200)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
