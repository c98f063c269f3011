import { describe, expect, it } from 'vitest'
import { status } from '@grpc/grpc-js'
import { createDispatcher, type KernelMetrics } from '../../kernel/dispatcher.js'
import { CamosError, InvalidArgumentError } from '../../kernel/errors.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'
import type { StreamSyscallHandler, UnarySyscallHandler } from '../../kernel/handler.js'

function setup () {
  const log = createCaptureLogger()
  const observed: Array<[string, string]> = []
  const metrics: KernelMetrics = { observeSyscall: (name, outcome) => { observed.push([name, outcome]) } }
  let release: (() => void) | undefined
  const recall: UnarySyscallHandler = {
    kind: 'unary',
    validate: (req: any) => {
      if (typeof req.key !== 'string' || req.key === '') throw new InvalidArgumentError('key', 'must not be empty')
      return req
    },
    handle: (req: any) => {
      if (req.key === 'boom') throw new Error('secret internal detail')
      if (req.key === 'slow') return new Promise(() => {})
      if (req.key === 'held') return new Promise<unknown>(resolve => { release = () => { resolve({ held: true }) } })
      if (req.key === 'missing') throw new CamosError('CAMOS_ERR_KEY_NOT_FOUND', 'no key "missing"')
      return { value: req.key }
    }
  }
  const observe: StreamSyscallHandler = {
    kind: 'server-stream',
    validate: (req: any) => req,
    handle: async (_req, ctx, sink, ready) => {
      await sink({ kind: 'KIND_SYNCED' })
      ready()
      if (ctx.signal.aborted) return
      await new Promise<void>(resolve => { ctx.signal.addEventListener('abort', () => { resolve() }) })
    }
  }
  const dispatcher = createDispatcher({ log, metrics }, { handlers: { Recall: recall, Observe: observe }, deadlines: { Recall: 50 } })
  return { dispatcher, log, observed, release: () => release?.() }
}

describe('dispatcher', () => {
  it('routes a valid call and returns a correlation id, recording OK', async () => {
    const { dispatcher, observed } = setup()
    const result = await dispatcher.call('Recall', { key: 'a' }, { correlationId: 'cid-1' })
    expect(result).toEqual({ ok: true, response: { value: 'a' }, correlationId: 'cid-1' })
    expect(observed).toEqual([['Recall', 'OK']])
  })

  it('maps validation failures to INVALID_ARGUMENT naming the field', async () => {
    const { dispatcher, observed } = setup()
    const result = await dispatcher.call('Recall', { key: '' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatchObject({ code: 'CAMOS_ERR_INVALID_ARGUMENT', grpcCode: status.INVALID_ARGUMENT, message: 'key: must not be empty' })
    expect(result.error.correlationId).toMatch(/^[0-9a-f-]{36}$/)
    expect(observed).toEqual([['Recall', 'CAMOS_ERR_INVALID_ARGUMENT']])
  })

  it('answers unknown and unimplemented syscalls with their own codes, naming the call', async () => {
    const { dispatcher } = setup()
    const unknown = await dispatcher.call('Frobnicate', {})
    expect(unknown.ok ? undefined : unknown.error).toMatchObject({ code: 'CAMOS_ERR_UNKNOWN_SYSCALL', grpcCode: status.NOT_FOUND })
    const unimplemented = await dispatcher.call('Think', {})
    expect(unimplemented.ok ? undefined : unimplemented.error).toMatchObject({ code: 'CAMOS_ERR_UNIMPLEMENTED', grpcCode: status.UNIMPLEMENTED })
    expect(unimplemented.ok ? '' : unimplemented.error.message).toContain('Think')
    expect(dispatcher.implemented().sort()).toEqual(['Observe', 'Recall'])
  })

  it('redacts unexpected errors and logs them with the correlation id', async () => {
    const { dispatcher, log } = setup()
    const result = await dispatcher.call('Recall', { key: 'boom' })
    if (result.ok) throw new Error('expected a failure')
    expect(result.error.code).toBe('CAMOS_ERR_INTERNAL')
    expect(result.error.message).not.toContain('secret')
    expect(result.error.message).toContain(result.error.correlationId)
    const line = log.lines.find(l => l.level === 'error')
    expect(line?.fields?.correlationId).toBe(result.error.correlationId)
    expect(String(line?.fields?.err)).toContain('secret internal detail')
  })

  it('applies the per-syscall deadline and the caller deadline', async () => {
    const { dispatcher } = setup()
    const late = await dispatcher.call('Recall', { key: 'slow' })
    expect(late.ok ? undefined : late.error).toMatchObject({ code: 'CAMOS_ERR_DEADLINE_EXCEEDED', grpcCode: status.DEADLINE_EXCEEDED })
    const caller = await dispatcher.call('Recall', { key: 'slow' }, { deadlineMs: 5 })
    expect(caller.ok ? '' : caller.error.message).toContain('5 ms')
  })

  it('refuses a server stream called as unary', async () => {
    const { dispatcher } = setup()
    const result = await dispatcher.call('Observe', {})
    expect(result.ok ? undefined : result.error.code).toBe('CAMOS_ERR_INVALID_ARGUMENT')
  })

  it('drain refuses new calls, lets in-flight unary calls finish and ends open streams', async () => {
    const { dispatcher, release } = setup()
    const events: unknown[] = []
    const stream = dispatcher.stream('Observe', {}, event => { events.push(event) })
    const held = dispatcher.call('Recall', { key: 'held' }, { deadlineMs: 10_000 })
    const drained = dispatcher.drain(5_000)
    const refused = await dispatcher.call('Recall', { key: 'a' })
    expect(refused.ok ? undefined : refused.error).toMatchObject({ code: 'CAMOS_ERR_SHUTTING_DOWN', grpcCode: status.UNAVAILABLE })
    expect((await stream).ok).toBe(true)
    expect(events).toEqual([{ kind: 'KIND_SYNCED' }])
    release()
    expect(await held).toMatchObject({ ok: true, response: { held: true } })
    await drained
  })
})
