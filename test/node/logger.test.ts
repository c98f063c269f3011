import { describe, expect, it } from 'vitest'
import { createLogger } from '../../node/logger.js'

const fixed = (): Date => new Date('2025-01-02T03:04:05.006Z')

function capture (): { out: { write: (l: string) => void }, lines: string[] } {
  const lines: string[] = []
  return { out: { write: (l: string) => { lines.push(l) } }, lines }
}

describe('logger', () => {
  it('filters by level and namespaces children under the node id (text)', () => {
    const c = capture()
    const log = createLogger({ level: 'info', nodeId: 'n1', out: c.out, now: fixed })
    log.debug('hidden')
    log.child('storage').child('redis').warn('reconnecting', { attempt: 2 })
    log.info('plain')
    expect(c.lines).toEqual([
      '2025-01-02T03:04:05.006Z WARN  [n1/storage/redis] reconnecting {"attempt":2}\n',
      '2025-01-02T03:04:05.006Z INFO  [n1] plain\n'
    ])
  })

  it('writes one JSON object per line, with errors, bigints and cycles made safe', () => {
    const c = capture()
    const log = createLogger({ format: 'json', nodeId: 'n2', out: c.out, now: fixed }).child('grpc')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    log.error('failed', { err: new Error('boom'), n: 5n, cyclic })
    const record = JSON.parse(c.lines[0])
    expect(record).toMatchObject({ time: '2025-01-02T03:04:05.006Z', level: 'error', msg: 'failed', node: 'n2', component: 'grpc', n: '5', cyclic: { self: '[circular]' } })
    expect(record.err).toMatch(/^Error: boom\n/)
  })

  it('silent drops everything', () => {
    const c = capture()
    createLogger({ level: 'silent', out: c.out }).error('x')
    expect(c.lines).toEqual([])
  })
})
