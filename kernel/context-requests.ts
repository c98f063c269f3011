/**
 * Typed requests of the context syscalls, their validators (decoded proto-loader objects →
 * typed requests, failures name the proto field), and the mapping of entries and change events
 * to the proto-loader response shapes.
 */
import { InvalidArgumentError } from './errors.js'
import * as v from './validate.js'
import type { ContextChange, ContextEntry } from '../crdt/context-types.js'
import type { Entry } from '../proto/gen/camos/v1/Entry.js'
import type { ObserveEvent } from '../proto/gen/camos/v1/ObserveEvent.js'

export const DURABILITIES = ['DURABILITY_UNSPECIFIED', 'DURABILITY_LOCAL', 'DURABILITY_QUORUM', 'DURABILITY_ALL'] as const
export type DurabilityName = typeof DURABILITIES[number]

export interface RememberReq {
  namespace: string
  key: string
  value: Buffer
  contentType: string
  metadata: Record<string, string>
  ttlMs: number
  durability: DurabilityName
  ifVersion: string
  ifAbsent: boolean
}

export interface RecallReq { namespace: string, key: string, version: string }

/** A key, a prefix ('' with prefixAll = whole namespace). */
export type KeySelector = { key: string } | { prefix: string }

export type ForgetReq = { namespace: string, durability: DurabilityName } & KeySelector
export type ObserveReq = { namespace: string, follow: boolean, changesOnly: boolean } & KeySelector
export interface VersionsReq { namespace: string, key: string, limit: number }
export interface SnapshotReq { namespace: string, name: string, description: string, durability: DurabilityName }
export interface RestoreReq { namespace: string, name: string, durability: DurabilityName }

function obj (request: unknown): Record<string, unknown> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new InvalidArgumentError('request', 'must be a message object')
  }
  return request as Record<string, unknown>
}

export function validateRemember (request: unknown, maxValueBytes: number): RememberReq {
  const r = obj(request)
  const req: RememberReq = {
    namespace: v.namespace(r.namespace),
    key: v.contextKey(r.key),
    value: v.bytes(r.value, 'value', maxValueBytes, 'CAMOS_ERR_VALUE_TOO_LARGE'),
    contentType: v.contentType(r.contentType),
    metadata: v.metadata(r.metadata),
    ttlMs: v.ttlMs(r.ttlMs),
    durability: v.enumValue(r.durability, 'durability', DURABILITIES),
    ifVersion: v.versionToken(r.ifVersion, 'if_version'),
    ifAbsent: v.bool(r.ifAbsent, 'if_absent')
  }
  if (req.ifAbsent && req.ifVersion !== '') {
    throw new InvalidArgumentError('if_absent', 'cannot be combined with if_version (a key cannot both exist at a version and be absent)')
  }
  return req
}

export function validateRecall (request: unknown): RecallReq {
  const r = obj(request)
  return { namespace: v.namespace(r.namespace), key: v.contextKey(r.key), version: v.versionToken(r.version, 'version') }
}

function selector (r: Record<string, unknown>): KeySelector {
  const key = v.str(r.key, 'key')
  const prefix = v.keyPrefix(r.prefix)
  const prefixAll = v.bool(r.prefixAll, 'prefix_all')
  const chosen = [key !== '', prefix !== '', prefixAll].filter(Boolean).length
  if (chosen !== 1) {
    const field = key !== '' ? 'key' : prefix !== '' ? 'prefix' : 'prefix_all'
    throw new InvalidArgumentError(chosen === 0 ? 'key' : field, 'set exactly one of key, prefix or prefix_all (an empty prefix is only allowed as prefix_all)')
  }
  if (key !== '') return { key: v.contextKey(key) }
  return { prefix }
}

export function validateForget (request: unknown): ForgetReq {
  const r = obj(request)
  const namespace = v.namespace(r.namespace)
  const sel = selector(r)
  return { namespace, durability: v.enumValue(r.durability, 'durability', DURABILITIES), ...sel }
}

export function validateObserve (request: unknown): ObserveReq {
  const r = obj(request)
  const namespace = v.namespace(r.namespace)
  const sel = selector(r)
  const follow = v.bool(r.follow, 'follow')
  const changesOnly = v.bool(r.changesOnly, 'changes_only')
  if (changesOnly && !follow) throw new InvalidArgumentError('changes_only', 'requires follow (without it the stream would be empty)')
  return { namespace, follow, changesOnly, ...sel }
}

export function validateVersions (request: unknown): VersionsReq {
  const r = obj(request)
  return { namespace: v.namespace(r.namespace), key: v.contextKey(r.key), limit: v.uint(r.limit, 'limit', v.MAX_UINT32) }
}

export function validateSnapshot (request: unknown): SnapshotReq {
  const r = obj(request)
  return {
    namespace: v.namespace(r.namespace),
    name: v.snapshotName(r.name),
    description: v.str(r.description, 'description', { maxBytes: v.MAX_DESCRIPTION_BYTES }),
    durability: v.enumValue(r.durability, 'durability', DURABILITIES)
  }
}

export function validateRestore (request: unknown): RestoreReq {
  const r = obj(request)
  return {
    namespace: v.namespace(r.namespace),
    name: v.snapshotName(r.name),
    durability: v.enumValue(r.durability, 'durability', DURABILITIES)
  }
}

export function toProtoEntry (namespace: string, e: ContextEntry): Entry {
  return {
    namespace,
    key: e.key,
    value: Buffer.from(e.value.buffer, e.value.byteOffset, e.value.byteLength),
    contentType: e.contentType,
    metadata: e.metadata,
    version: e.version,
    sha256: e.sha256,
    authorNode: e.author,
    writtenAtMs: e.writtenAt,
    expiresAtMs: e.expiresAt,
    deleted: e.deleted
  }
}

const KINDS = { put: 'KIND_PUT', delete: 'KIND_DELETE', expired: 'KIND_EXPIRED' } as const

export function toObserveEvent (namespace: string, change: ContextChange): ObserveEvent {
  return { kind: KINDS[change.kind], entry: toProtoEntry(namespace, change.entry), remote: change.remote }
}
