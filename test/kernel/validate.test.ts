import { describe, expect, it } from 'vitest'
import { createContextSyscalls } from '../../kernel/contexts.js'
import { createDocumentStore } from '../../crdt/document-store.js'
import { createHlc } from '../../crdt/hlc.js'
import { InvalidArgumentError } from '../../kernel/errors.js'
import { MAX_TTL_MS } from '../../kernel/validate.js'
import type { SyscallHandler } from '../../kernel/handler.js'
import { createCaptureLogger } from '../helpers/capture-logger.js'
import { createMemoryStorage } from '../helpers/memory-storage.js'

const log = createCaptureLogger()
const handlers = createContextSyscalls({
  store: createDocumentStore({ storage: createMemoryStorage(), log }),
  hlc: createHlc({}, { nodeId: 'n' }),
  log
}, { limits: { maxValueBytes: 16 } })

const ok = { namespace: 'app', key: 'k' }
const metadata65 = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`m${i}`, 'v']))

// [syscall, request, field named first in the message, error code]
const cases: Array<[string, Record<string, unknown>, string, string]> = [
  ['Remember', { ...ok, namespace: '' }, 'namespace', 'CAMOS_ERR_NAMESPACE_INVALID'],
  ['Remember', { ...ok, namespace: 'Upper' }, 'namespace', 'CAMOS_ERR_NAMESPACE_INVALID'],
  ['Remember', { ...ok, namespace: '-x' }, 'namespace', 'CAMOS_ERR_NAMESPACE_INVALID'],
  ['Remember', { ...ok, namespace: 'a'.repeat(65) }, 'namespace', 'CAMOS_ERR_NAMESPACE_INVALID'],
  ['Remember', { ...ok, namespace: 42 }, 'namespace', 'CAMOS_ERR_NAMESPACE_INVALID'],
  ['Remember', { ...ok, key: '' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Remember', { ...ok, key: 'é'.repeat(129) }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Remember', { ...ok, key: 'a/../b' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Remember', { ...ok, key: '..' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Remember', { ...ok, key: 'a\nb' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Remember', { ...ok, key: 'a\u0000b' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Remember', { ...ok, key: '\ud800' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Remember', { ...ok, value: 'not bytes' }, 'value', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, value: Buffer.alloc(17) }, 'value', 'CAMOS_ERR_VALUE_TOO_LARGE'],
  ['Remember', { ...ok, contentType: 'x'.repeat(256) }, 'content_type', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, contentType: 'text/plain\n' }, 'content_type', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, metadata: metadata65 }, 'metadata', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, metadata: { a: 1 } }, 'metadata["a"]', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, metadata: { a: 'x'.repeat(1025) } }, 'metadata["a"]', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, metadata: { ['k'.repeat(129)]: 'v' } }, 'metadata["', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, metadata: ['a'] }, 'metadata', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, ttlMs: -1 }, 'ttl_ms', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, ttlMs: 1.5 }, 'ttl_ms', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, ttlMs: MAX_TTL_MS + 1 }, 'ttl_ms', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, ttlMs: 'soon' }, 'ttl_ms', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, durability: 'DURABILITY_SOMETIMES' }, 'durability', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, durability: 9 }, 'durability', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, ifVersion: 'v1' }, 'if_version', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, ifAbsent: 'yes' }, 'if_absent', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Remember', { ...ok, ifAbsent: true, ifVersion: '000000000001.0000.n' }, 'if_absent', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Recall', { ...ok, version: '1.2.3' }, 'version', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Recall', { namespace: 'app' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Forget', { namespace: 'app' }, 'key', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Forget', { namespace: 'app', key: 'k', prefix: 'p' }, 'key', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Forget', { namespace: 'app', prefix: 'p', prefixAll: true }, 'prefix', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Forget', { namespace: 'app', prefix: 'a\tb' }, 'prefix', 'CAMOS_ERR_KEY_INVALID'],
  ['Forget', { namespace: 'app', key: 'a/../b' }, 'key', 'CAMOS_ERR_KEY_INVALID'],
  ['Observe', { namespace: 'app', prefix: 'x'.repeat(257) }, 'prefix', 'CAMOS_ERR_KEY_INVALID'],
  ['Observe', { namespace: 'app', key: 'k', changesOnly: true }, 'changes_only', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['Observe', { namespace: 'app', key: 'k', follow: 1 }, 'follow', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['ContextVersions', { ...ok, limit: 2 ** 32 }, 'limit', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['ContextSnapshot', { namespace: 'app', name: 'Bad Name' }, 'name', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['ContextSnapshot', { namespace: 'app' }, 'name', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['ContextSnapshot', { namespace: 'app', name: 's', description: 'd'.repeat(1025) }, 'description', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['ContextRestore', { namespace: 'app', name: '.s' }, 'name', 'CAMOS_ERR_INVALID_ARGUMENT'],
  ['ContextRestore', { namespace: 'app', name: 's', durability: {} }, 'durability', 'CAMOS_ERR_INVALID_ARGUMENT']
]

describe('context request validation', () => {
  it.each(cases)('%s %j → %s', (syscall, request, field, code) => {
    const handler = handlers[syscall as keyof typeof handlers] as SyscallHandler
    let caught: unknown
    try {
      handler.validate(request)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError)
    const err = caught as InvalidArgumentError
    expect(err.code).toBe(code)
    expect(err.field.startsWith(field)).toBe(true)
    expect(err.message.startsWith(field)).toBe(true)
    expect(err.message.length).toBeGreaterThan(field.length + 10)
  })

  it('accepts a valid request with defaults filled in', () => {
    const req = (handlers.Remember as SyscallHandler).validate({ namespace: 'a.b-c_9', key: 'dir/file.txt', ttlMs: '1000', metadata: { 'x-y': 'z' } })
    expect(req).toMatchObject({ namespace: 'a.b-c_9', key: 'dir/file.txt', contentType: 'application/octet-stream', ttlMs: 1000, durability: 'DURABILITY_UNSPECIFIED', ifVersion: '', ifAbsent: false })
    expect(req.value.byteLength).toBe(0)
    expect((handlers.Forget as SyscallHandler).validate({ namespace: 'a', prefixAll: true })).toMatchObject({ prefix: '' })
    expect((handlers.Recall as SyscallHandler).validate({ namespace: 'a', key: 'a..b/c..' }).key).toBe('a..b/c..')
  })
})
