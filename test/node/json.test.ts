import { describe, expect, it } from 'vitest'
import { createJsonCodec } from '../../node/json.js'
import { loadKernelProto } from '../../proto/load.js'
import { CamosError } from '../../kernel/errors.js'

const proto = loadKernelProto()
const codec = createJsonCodec(proto.root)

function rejection (fn: () => unknown): CamosError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CamosError)
    return err as CamosError
  }
  throw new Error('expected a rejection')
}

describe('JSON → request (proto3 canonical JSON in)', () => {
  it('decodes bytes from base64 (standard and URL-safe) into the proto-loader shape', () => {
    const req = codec.requestFromJson('Remember', { namespace: 'n', key: 'k', value: Buffer.from([0xfb, 0xff, 0x01]).toString('base64'), ttlMs: '1500', durability: 'DURABILITY_QUORUM', metadata: { a: 'b' } })
    expect(Buffer.isBuffer(req.value)).toBe(true)
    expect([...(req.value as Buffer)]).toEqual([0xfb, 0xff, 0x01])
    expect(req.ttlMs).toBe(1500)
    expect(req.durability).toBe('DURABILITY_QUORUM')
    expect(req.metadata).toEqual({ a: 'b' })
    expect(req.ifAbsent).toBe(false)
    expect([...(codec.requestFromJson('Remember', { value: '-_8B' }).value as Buffer)]).toEqual([0xfb, 0xff, 0x01])
  })

  it('gives the same object proto-loader decodes from the wire', () => {
    const json = { namespace: 'n', key: 'k', value: 'aGk=', ttlMs: 7, metadata: { x: 'y' }, durability: 'DURABILITY_LOCAL' }
    const fromJson = codec.requestFromJson('Remember', json)
    const type = proto.grpc.camos.v1.RememberRequest
    const wire = type.serialize(fromJson as never)
    expect(type.deserialize(wire)).toEqual(fromJson)
  })

  it('accepts original snake_case names, enum numbers, null as unset and an empty body', () => {
    const req = codec.requestFromJson('Remember', { namespace: 'n', ttl_ms: 5, if_absent: true, durability: 2, content_type: null })
    expect(req).toMatchObject({ ttlMs: 5, ifAbsent: true, durability: 'DURABILITY_QUORUM', contentType: '' })
    expect(codec.requestFromJson('HealthCheck', {})).toEqual({})
  })

  it('sets the oneof case of nested messages (pipeline calls)', () => {
    const req = codec.fromJson('camos.v1.PipelineCall', { id: '9', recall: { namespace: 'n', key: 'k' } })
    expect(req).toMatchObject({ id: 9, call: 'recall', recall: { namespace: 'n', key: 'k', version: '' } })
  })

  it('rejects unknown fields, naming them with their path', () => {
    const err = rejection(() => codec.requestFromJson('Remember', { namespace: 'n', colour: 'red' }))
    expect(err.code).toBe('CAMOS_ERR_MALFORMED_REQUEST')
    expect(err.grpcStatus).toBe(3)
    expect(err.message).toBe('colour: unknown field of RememberRequest')
    expect(rejection(() => codec.fromJson('camos.v1.PipelineCall', { remember: { nope: 1 } })).message).toBe('remember.nope: unknown field of RememberRequest')
  })

  it('rejects wrong types, naming the field', () => {
    expect(rejection(() => codec.requestFromJson('Remember', { namespace: 5 })).message).toBe('namespace: expected a string, got number 5')
    expect(rejection(() => codec.requestFromJson('Remember', { ifAbsent: 'yes' })).message).toMatch(/^ifAbsent: expected true or false/)
    expect(rejection(() => codec.requestFromJson('Remember', { value: 'not base64!' })).message).toMatch(/^value: expected base64 bytes/)
    expect(rejection(() => codec.requestFromJson('Remember', { ttlMs: 1.5 })).message).toMatch(/^ttlMs: expected an integer/)
    expect(rejection(() => codec.requestFromJson('Remember', { ttlMs: '-1' })).message).toMatch(/^ttlMs: -1 is out of range/)
    expect(rejection(() => codec.requestFromJson('Remember', { ttlMs: 2 ** 60 })).message).toMatch(/^ttlMs: .*send it as a string/)
    expect(rejection(() => codec.requestFromJson('Remember', { durability: 'DURABILITY_FOREVER' })).message).toMatch(/^durability: unknown Durability value "DURABILITY_FOREVER"/)
    expect(rejection(() => codec.requestFromJson('Remember', { metadata: { a: 1 } })).message).toBe('metadata["a"]: expected a string, got number 1')
    expect(rejection(() => codec.requestFromJson('Remember', [])).message).toMatch(/^\(request\): expected a JSON object/)
    expect(rejection(() => codec.fromJson('camos.v1.PipelineCall', { remember: {}, recall: {} })).message).toMatch(/^call: at most one of remember, recall/)
  })
})

describe('response → JSON (canonical JSON out)', () => {
  it('writes int64 as strings, enums as names, bytes as base64, defaults included', () => {
    const json = codec.responseToJson('Recall', { entry: { namespace: 'n', key: 'k', value: Buffer.from('hi'), writtenAtMs: 2 ** 53 - 1, expiresAtMs: 0 } })
    expect(json).toMatchObject({ entry: { namespace: 'n', key: 'k', value: 'aGk=', writtenAtMs: '9007199254740991', expiresAtMs: '0', deleted: false, metadata: {} } })
    expect(codec.responseToJson('Remember', { version: 'v', durability: 'DURABILITY_LOCAL' })).toEqual({ version: 'v', sha256: '', expiresAtMs: '0', durability: 'DURABILITY_LOCAL' })
  })

  it('round-trips through JSON text back to the same request', () => {
    const req = codec.requestFromJson('Remember', { namespace: 'n', key: 'k', value: 'AAEC/w==', ttlMs: '42' })
    const text = JSON.stringify(codec.toJson('camos.v1.RememberRequest', req))
    expect(codec.requestFromJson('Remember', JSON.parse(text))).toEqual(req)
    expect(JSON.parse(text)).toMatchObject({ value: 'AAEC/w==', ttlMs: '42' })
  })
})
