import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_GRPC_LISTEN, DEFAULT_HTTP_LISTEN, DEFAULT_MAX_VALUE_BYTES, resolveConfig } from '../../node/config.js'

const dirs: string[] = []
function tempDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'camos-config-'))
  dirs.push(dir)
  return dir
}
function configFile (json: unknown): string {
  const path = join(tempDir(), 'camos.json')
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json))
  return path
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

describe('config precedence', () => {
  it('uses the defaults when nothing is given', () => {
    const c = resolveConfig({ flags: {}, env: {}, cwd: '/srv' })
    expect(c.grpcListen).toBe(DEFAULT_GRPC_LISTEN)
    expect(c.httpListen).toBe(DEFAULT_HTTP_LISTEN)
    expect(c.dataDir).toBe('/srv/data')
    expect(c.redis).toBeUndefined()
    expect(c.limits.maxValueBytes).toBe(DEFAULT_MAX_VALUE_BYTES)
    expect(c.sources.grpc).toBe('default')
  })

  it('asks members for the members they know unless member exchange is off', () => {
    expect(resolveConfig({ flags: {}, env: {}, cwd: '/srv' }).memberExchange).toBe(true)
    expect(resolveConfig({ flags: { 'member-exchange': 'off' }, env: {}, cwd: '/srv' }).memberExchange).toBe(false)
    expect(resolveConfig({ flags: {}, env: { CAMOS_MEMBER_EXCHANGE: 'on' }, cwd: '/srv' }).memberExchange).toBe(true)
    expect(() => resolveConfig({ flags: { 'member-exchange': 'no' }, env: {}, cwd: '/srv' })).toThrow(/--member-exchange \(flag\).*one of on, off/)
  })

  it("turns libp2p's own debug logs on when the environment sets DEBUG", () => {
    expect(resolveConfig({ flags: {}, env: {}, cwd: '/srv' }).libp2pDebug).toBe(false)
    expect(resolveConfig({ flags: {}, env: { DEBUG: '' }, cwd: '/srv' }).libp2pDebug).toBe(false)
    expect(resolveConfig({ flags: {}, env: { DEBUG: 'libp2p:dht*' }, cwd: '/srv' }).libp2pDebug).toBe(true)
  })

  it('flag > env > file > default, option by option', () => {
    const file = configFile({ grpc: '10.0.0.1:1', http: '10.0.0.1:2', cluster: 'from-file', limits: { maxValueBytes: 1000 } })
    const c = resolveConfig({
      flags: { config: file, grpc: '127.0.0.1:0' },
      env: { CAMOS_GRPC: '127.0.0.2:5', CAMOS_HTTP: '127.0.0.2:6' }
    })
    expect(c.grpcListen).toBe('127.0.0.1:0')
    expect(c.sources.grpc).toBe('flag')
    expect(c.httpListen).toBe('127.0.0.2:6')
    expect(c.sources.http).toBe('env')
    expect(c.cluster).toBe('from-file')
    expect(c.sources.cluster).toBe('file')
    expect(c.limits.maxValueBytes).toBe(1000)
    expect(c.logLevel).toBe('info')
    expect(c.sources.logLevel).toBe('default')
  })

  it('reads the config file named by CAMOS_CONFIG and resolves its data dir next to it', () => {
    const file = configFile({ dataDir: 'state' })
    const c = resolveConfig({ flags: {}, env: { CAMOS_CONFIG: file } })
    expect(c.dataDir).toBe(join(file, '..', 'state'))
  })

  it('takes repeatable options from repeated flags, comma-separated env and JSON arrays', () => {
    const a = '/ip4/10.0.0.5/tcp/4001/p2p/12D3KooWabc'
    const b = '/dns4/node-b/tcp/4001'
    expect(resolveConfig({ flags: { join: [a, b] }, env: {} }).join).toEqual([a, b])
    expect(resolveConfig({ flags: {}, env: { CAMOS_JOIN: `${a}, ${b}` } }).join).toEqual([a, b])
    expect(resolveConfig({ flags: { config: configFile({ join: [b] }) }, env: {} }).join).toEqual([b])
  })

  it('parses sizes with units and per-syscall deadlines', () => {
    const c = resolveConfig({ flags: { 'max-value-bytes': '512KiB', deadline: ['Remember=2000', 'Recall=100'] }, env: { CAMOS_NAMESPACE_MAX_BYTES: '2MiB' } })
    expect(c.limits.maxValueBytes).toBe(512 * 1024)
    expect(c.limits.namespaceMaxBytes).toBe(2 * 1024 * 1024)
    expect(c.deadlines).toEqual({ Remember: 2000, Recall: 100 })
    expect(resolveConfig({ flags: { config: configFile({ deadlines: { Observe: 50 } }) }, env: {} }).deadlines).toEqual({ Observe: 50 })
  })

  it('redis: behind by default, alone without a data dir unless one is given', () => {
    const behind = resolveConfig({ flags: { redis: 'redis://127.0.0.1:6380' }, env: {}, cwd: '/srv' })
    expect(behind.redis).toEqual({ url: 'redis://127.0.0.1:6380', mode: 'behind', prefix: 'camos:' })
    expect(behind.dataDir).toBe('/srv/data')
    const alone = resolveConfig({ flags: { redis: 'redis://h:1', 'redis-mode': 'alone' }, env: { CAMOS_REDIS_PREFIX: 'n1:' } })
    expect(alone.redis).toEqual({ url: 'redis://h:1', mode: 'alone', prefix: 'n1:' })
    expect(alone.dataDir).toBeUndefined()
    expect(resolveConfig({ flags: { redis: 'redis://h:1', 'redis-mode': 'alone', 'data-dir': '/d' }, env: {} }).dataDir).toBe('/d')
  })
})

describe('config validation', () => {
  const fails = (input: Parameters<typeof resolveConfig>[0]): string => {
    try {
      resolveConfig(input)
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      return (err as Error).message
    }
    throw new Error('expected a ConfigError')
  }

  it('names the option and its source', () => {
    expect(fails({ flags: { grpc: 'nope' }, env: {} })).toMatch(/^--grpc \(flag\): "nope" is not host:port/)
    expect(fails({ flags: {}, env: { CAMOS_HTTP: '1.2.3.4:99999' } })).toMatch(/^CAMOS_HTTP \(env\): port 99999 is out of range/)
    const file = configFile({ logLevel: 'loud' })
    expect(fails({ flags: { config: file }, env: {} })).toBe(`logLevel (file ${file}): "loud" is not valid; expected debug, info, warn, error or silent`)
  })

  it('rejects bad values of each kind', () => {
    expect(fails({ flags: { redis: 'http://x' }, env: {} })).toMatch(/--redis \(flag\).*redis:\/\/ or rediss:\/\//)
    expect(fails({ flags: { 'redis-mode': 'sideways', redis: 'redis://h:1' }, env: {} })).toMatch(/--redis-mode \(flag\).*one of behind, alone/)
    expect(fails({ flags: { 'redis-mode': 'alone' }, env: {} })).toMatch(/--redis-mode \(flag\): needs a Redis URL/)
    expect(fails({ flags: { join: ['10.0.0.1:4001'] }, env: {} })).toMatch(/--join \(flag\).*multiaddr/)
    expect(fails({ flags: { cluster: 'Bad Name' }, env: {} })).toMatch(/--cluster \(flag\)/)
    expect(fails({ flags: {}, env: { CAMOS_MAX_VALUE_BYTES: '12 parsecs' } })).toMatch(/CAMOS_MAX_VALUE_BYTES \(env\).*integer/)
    expect(fails({ flags: { deadline: ['Teleport=5'] }, env: {} })).toMatch(/--deadline \(flag\): "Teleport".*syscall name/)
    expect(fails({ flags: { deadline: ['Remember=0'] }, env: {} })).toMatch(/--deadline \(flag\) Remember.*≥ 1/)
  })

  it('rejects unknown keys, wrong types and unreadable files', () => {
    const unknown = configFile({ grpcc: '1.2.3.4:5' })
    expect(fails({ flags: { config: unknown }, env: {} })).toMatch(`grpcc (file ${unknown}): unknown option`)
    const nested = configFile({ redis: { url: 'redis://h:1', ttl: 5 } })
    expect(fails({ flags: { config: nested }, env: {} })).toMatch('redis.ttl')
    const wrongType = configFile({ grpc: 50051 })
    expect(fails({ flags: { config: wrongType }, env: {} })).toMatch(`grpc (file ${wrongType}): 50051 is not valid; expected a string`)
    expect(fails({ flags: { config: configFile('{ not json') }, env: {} })).toMatch(/--config \(flag\): .* is not valid JSON/)
    expect(fails({ flags: {}, env: { CAMOS_CONFIG: '/nonexistent/camos.json' } })).toMatch(/CAMOS_CONFIG \(env\): cannot read/)
  })
})
