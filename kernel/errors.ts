/**
 * Typed errors with stable codes. Every failure a caller can see is a CamosError whose `code`
 * appears in ERROR_CODES below, which maps it to a gRPC status and documents it. Anything else
 * thrown inside the kernel is reported to callers as CAMOS_ERR_INTERNAL with no details.
 */
import { status as GrpcStatus } from '@grpc/grpc-js'

export interface ErrorCodeInfo {
  grpc: GrpcStatus
  description: string
}

export const ERROR_CODES = {
  CAMOS_ERR_INVALID_ARGUMENT: { grpc: GrpcStatus.INVALID_ARGUMENT, description: 'A request field is missing, malformed or out of range; the message names the field.' },
  CAMOS_ERR_MALFORMED_REQUEST: { grpc: GrpcStatus.INVALID_ARGUMENT, description: 'The request body could not be decoded (bad JSON, wrong field type, unknown field).' },
  CAMOS_ERR_NAMESPACE_INVALID: { grpc: GrpcStatus.INVALID_ARGUMENT, description: 'The namespace does not match ^[a-z0-9][a-z0-9_.-]{0,63}$.' },
  CAMOS_ERR_KEY_INVALID: { grpc: GrpcStatus.INVALID_ARGUMENT, description: 'The key is empty, longer than 256 bytes, has a ".." path segment or a control character.' },
  CAMOS_ERR_VALUE_TOO_LARGE: { grpc: GrpcStatus.INVALID_ARGUMENT, description: 'The value exceeds the per-value size limit (limits.max_value_bytes).' },
  CAMOS_ERR_QUOTA_EXCEEDED: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, description: 'The write would take the namespace past its key or byte quota.' },
  CAMOS_ERR_KEY_NOT_FOUND: { grpc: GrpcStatus.NOT_FOUND, description: 'The key has no current value (never written, deleted or expired).' },
  CAMOS_ERR_VERSION_NOT_FOUND: { grpc: GrpcStatus.NOT_FOUND, description: 'The requested version is not in the key\'s retained history.' },
  CAMOS_ERR_SNAPSHOT_NOT_FOUND: { grpc: GrpcStatus.NOT_FOUND, description: 'No snapshot of that name exists in the namespace.' },
  CAMOS_ERR_SNAPSHOT_EXISTS: { grpc: GrpcStatus.ALREADY_EXISTS, description: 'A snapshot of that name already exists in the namespace.' },
  CAMOS_ERR_VERSION_MISMATCH: { grpc: GrpcStatus.FAILED_PRECONDITION, description: 'if_version / if_absent did not match the key\'s current version.' },
  CAMOS_ERR_UNKNOWN_SYSCALL: { grpc: GrpcStatus.NOT_FOUND, description: 'No syscall has that name.' },
  CAMOS_ERR_UNIMPLEMENTED: { grpc: GrpcStatus.UNIMPLEMENTED, description: 'The syscall or option exists in the contract but is not built yet (see README).' },
  CAMOS_ERR_STORAGE_UNAVAILABLE: { grpc: GrpcStatus.UNAVAILABLE, description: 'The store that must acknowledge this write is unreachable; nothing was acknowledged. Retry later.' },
  CAMOS_ERR_SHUTTING_DOWN: { grpc: GrpcStatus.UNAVAILABLE, description: 'The node is shutting down and accepts no new calls.' },
  CAMOS_ERR_DEADLINE_EXCEEDED: { grpc: GrpcStatus.DEADLINE_EXCEEDED, description: 'The call did not finish within its deadline; a write may still have been applied.' },
  CAMOS_ERR_DURABILITY_TIMEOUT: { grpc: GrpcStatus.DEADLINE_EXCEEDED, description: 'A QUORUM or ALL write was not confirmed by enough cluster members before its deadline; the message says how many of how many acked and which did not. The write stays on this node and replicates later.' },
  CAMOS_ERR_CANCELLED: { grpc: GrpcStatus.CANCELLED, description: 'The caller cancelled the call.' },
  CAMOS_ERR_REQUEST_TOO_LARGE: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, description: 'The request body exceeds the gateway\'s size limit (HTTP 413); nothing was read or applied.' },
  CAMOS_ERR_ROUTE_NOT_FOUND: { grpc: GrpcStatus.NOT_FOUND, description: 'No HTTP route matches this method and path (HTTP 404, or 405 when the path exists for another method).' },
  CAMOS_ERR_OBSERVER_OVERFLOW: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, description: 'An Observe stream fell too far behind the changes it follows (the client reads too slowly); open it again.' },
  CAMOS_ERR_INTERNAL: { grpc: GrpcStatus.INTERNAL, description: 'An unexpected failure inside the node; the log line with the correlation id has details.' }
} satisfies Record<string, ErrorCodeInfo>

export type ErrorCode = keyof typeof ERROR_CODES

export class CamosError extends Error {
  readonly code: ErrorCode

  constructor (code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CamosError'
    this.code = code
  }

  get grpcStatus (): GrpcStatus {
    return ERROR_CODES[this.code].grpc
  }
}

/** An invalid request field: the message always starts with the field's path. */
export class InvalidArgumentError extends CamosError {
  readonly field: string

  constructor (field: string, problem: string, code: ErrorCode = 'CAMOS_ERR_INVALID_ARGUMENT') {
    super(code, `${field}: ${problem}`)
    this.name = 'InvalidArgumentError'
    this.field = field
  }
}

export class UnimplementedError extends CamosError {
  constructor (what: string) {
    super('CAMOS_ERR_UNIMPLEMENTED', `${what} is not built yet in this version of CAM-OS node`)
    this.name = 'UnimplementedError'
  }
}

export function isCamosError (err: unknown): err is CamosError {
  return err instanceof CamosError
}
