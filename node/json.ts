/**
 * The proto3 canonical JSON mapping of camos.v1, shared by the HTTP gateway and the CLI.
 *
 * In: a parsed JSON value is checked strictly against the message type (unknown fields, wrong
 * types, out-of-range integers, bad base64 and unknown enum names are rejected with an
 * InvalidArgumentError naming the field path), then converted to exactly the object shape
 * proto-loader gives gRPC handlers (proto/load.ts LOADER_OPTIONS), so a handler cannot tell
 * the transports apart. Field names are accepted in lowerCamelCase and in their original
 * snake_case; `null` means "not set".
 *
 * Out: lowerCamelCase names, 64-bit integers as decimal strings, enums as names, bytes as
 * base64, every field present (defaults included), oneof members only when set.
 */
import protobuf from 'protobufjs'
import { InvalidArgumentError } from '../kernel/errors.js'
import { batchFieldOf } from '../kernel/syscalls.js'
import { KERNEL_SERVICE, LOADER_OPTIONS } from '../proto/load.js'

const OUTPUT_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: String,
  defaults: true,
  arrays: true,
  objects: true,
  json: true
}

const INT32_RANGE = { min: -(2 ** 31), max: 2 ** 31 - 1 }
const UINT32_RANGE = { min: 0, max: 2 ** 32 - 1 }
const INT64_RANGE = { min: -(2n ** 63n), max: 2n ** 63n - 1n }
const UINT64_RANGE = { min: 0n, max: 2n ** 64n - 1n }
const BASE64 = /^(?:[A-Za-z0-9+/\-_]{4})*(?:[A-Za-z0-9+/\-_]{2}(?:==)?|[A-Za-z0-9+/\-_]{3}=?)?$/

export interface JsonCodec {
  /** Canonical JSON request of a syscall → handler request object. */
  requestFromJson: (syscall: string, json: unknown) => Record<string, unknown>
  /**
   * Handler response (or stream event) object of a syscall → canonical JSON. An event of a
   * batched stream (Observe) maps as the batch's element type: one JSON object per event.
   */
  responseToJson: (syscall: string, response: unknown) => Record<string, unknown>
  /** The same two mappings by fully qualified message type name. */
  fromJson: (typeName: string, json: unknown) => Record<string, unknown>
  toJson: (typeName: string, value: unknown) => Record<string, unknown>
}

export function createJsonCodec (root: protobuf.Root): JsonCodec {
  const service = root.lookupService(KERNEL_SERVICE)

  function method (syscall: string): protobuf.Method {
    const m = Object.hasOwn(service.methods, syscall) ? service.methods[syscall] : undefined
    if (m === undefined) throw new Error(`${KERNEL_SERVICE} has no method ${syscall}`)
    m.resolve()
    return m
  }

  /** What one handler answer of `syscall` is: its response type, or a batch's element type. */
  function answerType (syscall: string): protobuf.Type {
    const type = method(syscall).resolvedResponseType as protobuf.Type
    const batchField = batchFieldOf(syscall)
    if (batchField === undefined) return type
    const field = type.fields[batchField].resolve()
    return field.resolvedType as protobuf.Type
  }

  function fromType (type: protobuf.Type, json: unknown): Record<string, unknown> {
    const normalized = checkMessage(type, json, '')
    return type.toObject(type.fromObject(normalized), LOADER_OPTIONS) as Record<string, unknown>
  }

  function toType (type: protobuf.Type, value: unknown): Record<string, unknown> {
    return type.toObject(type.fromObject((value ?? {}) as Record<string, unknown>), OUTPUT_OPTIONS) as Record<string, unknown>
  }

  return {
    requestFromJson: (syscall, json) => fromType(method(syscall).resolvedRequestType as protobuf.Type, json),
    responseToJson: (syscall, response) => toType(answerType(syscall), response),
    fromJson: (typeName, json) => fromType(root.lookupType(typeName), json),
    toJson: (typeName, value) => toType(root.lookupType(typeName), value)
  }
}

function fail (path: string, problem: string): never {
  throw new InvalidArgumentError(path === '' ? '(request)' : path, problem, 'CAMOS_ERR_MALFORMED_REQUEST')
}

function join (path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`
}

/** Checks a JSON object against a message type; returns it with canonical keys and nulls dropped. */
function checkMessage (type: protobuf.Type, json: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(json)) fail(path, `expected a JSON object for ${type.name}, got ${describe(json)}`)
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(json)) {
    const name = Object.hasOwn(type.fields, key) ? key : protobuf.util.camelCase(key)
    const field = Object.hasOwn(type.fields, name) ? type.fields[name] : undefined
    const fieldPath = join(path, key)
    if (field === undefined) fail(fieldPath, `unknown field of ${type.name}`)
    if (Object.hasOwn(out, name)) fail(fieldPath, `field ${name} given twice`)
    if (value === null) continue
    field.resolve()
    if (field instanceof protobuf.MapField) {
      out[name] = checkMap(field, value, fieldPath)
    } else if (field.repeated) {
      if (!Array.isArray(value)) fail(fieldPath, `expected an array, got ${describe(value)}`)
      out[name] = value.map((item, i) => checkValue(field, item, `${fieldPath}[${i}]`))
    } else {
      out[name] = checkValue(field, value, fieldPath)
    }
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter(n => out[n] !== undefined)
    if (set.length > 1) fail(join(path, oneof.name), `at most one of ${set.join(', ')} may be set`)
  }
  return out
}

function checkMap (field: protobuf.MapField, value: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(value)) fail(path, `expected a JSON object (map), got ${describe(value)}`)
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}[${JSON.stringify(key)}]`
    if (field.keyType === 'bool') {
      if (key !== 'true' && key !== 'false') fail(itemPath, 'map key must be "true" or "false"')
    } else if (field.keyType !== 'string') {
      checkScalar(field.keyType, key, itemPath)
    }
    if (item === null) fail(itemPath, 'map values cannot be null')
    out[key] = checkValue(field, item, itemPath)
  }
  return out
}

function checkValue (field: protobuf.FieldBase, value: unknown, path: string): unknown {
  if (value === null) fail(path, 'null is not allowed here')
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Type) return checkMessage(resolved, value, path)
  if (resolved instanceof protobuf.Enum) return checkEnum(resolved, value, path)
  return checkScalar(field.type, value, path)
}

function checkEnum (type: protobuf.Enum, value: unknown, path: string): string | number {
  if (typeof value === 'string') {
    if (!Object.hasOwn(type.values, value)) fail(path, `unknown ${type.name} value "${value}" (one of ${Object.keys(type.values).join(', ')})`)
    return value
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (type.valuesById[value] === undefined) fail(path, `unknown ${type.name} number ${value}`)
    return value
  }
  return fail(path, `expected a ${type.name} name, got ${describe(value)}`)
}

function checkScalar (type: string, value: unknown, path: string): unknown {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') fail(path, `expected a string, got ${describe(value)}`)
      return value
    case 'bool':
      if (typeof value !== 'boolean') fail(path, `expected true or false, got ${describe(value)}`)
      return value
    case 'bytes':
      if (typeof value !== 'string' || !BASE64.test(value)) fail(path, `expected base64 bytes, got ${describe(value)}`)
      return Buffer.from(value, 'base64')
    case 'double':
    case 'float':
      return checkFloat(value, path)
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return Number(checkInteger(value, path, INT32_RANGE))
    case 'uint32':
    case 'fixed32':
      return Number(checkInteger(value, path, UINT32_RANGE))
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return checkInteger(value, path, INT64_RANGE).toString()
    case 'uint64':
    case 'fixed64':
      return checkInteger(value, path, UINT64_RANGE).toString()
    default:
      return fail(path, `unsupported field type ${type}`)
  }
}

function checkFloat (value: unknown, path: string): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN
    if (value === 'Infinity') return Infinity
    if (value === '-Infinity') return -Infinity
    const n = Number(value)
    if (value.trim() !== '' && Number.isFinite(n)) return n
  }
  return fail(path, `expected a number, got ${describe(value)}`)
}

/** Integers come as JSON numbers or decimal strings (the canonical form of 64-bit values). */
function checkInteger (value: unknown, path: string, range: { min: number | bigint, max: number | bigint }): bigint {
  let n: bigint
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (!Number.isSafeInteger(value)) fail(path, `${value} loses precision as a JSON number; send it as a string`)
    n = BigInt(value)
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    n = BigInt(value)
  } else {
    return fail(path, `expected an integer, got ${describe(value)}`)
  }
  if (n < BigInt(range.min) || n > BigInt(range.max)) fail(path, `${n} is out of range [${range.min}, ${range.max}]`)
  return n
}
