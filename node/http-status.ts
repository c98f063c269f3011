/**
 * gRPC status → HTTP status, as grpc-gateway maps them (DESIGN.md). FAILED_PRECONDITION and
 * OUT_OF_RANGE are 400 (the request cannot succeed as sent), ABORTED and ALREADY_EXISTS 409,
 * CANCELLED 499 (client closed request). A few gateway-level errors have a more precise status
 * than their gRPC code (HTTP_OVERRIDES).
 */
import { status as GrpcStatus } from '@grpc/grpc-js'
import type { ErrorCode } from '../kernel/errors.js'

export const GRPC_TO_HTTP: Readonly<Record<GrpcStatus, number>> = {
  [GrpcStatus.OK]: 200,
  [GrpcStatus.CANCELLED]: 499,
  [GrpcStatus.UNKNOWN]: 500,
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.DEADLINE_EXCEEDED]: 504,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 429,
  [GrpcStatus.FAILED_PRECONDITION]: 400,
  [GrpcStatus.ABORTED]: 409,
  [GrpcStatus.OUT_OF_RANGE]: 400,
  [GrpcStatus.UNIMPLEMENTED]: 501,
  [GrpcStatus.INTERNAL]: 500,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DATA_LOSS]: 500,
  [GrpcStatus.UNAUTHENTICATED]: 401
}

const HTTP_OVERRIDES: Partial<Record<ErrorCode, number>> = {
  CAMOS_ERR_REQUEST_TOO_LARGE: 413
}

export function httpStatusOf (grpcCode: number, code?: ErrorCode): number {
  const override = code === undefined ? undefined : HTTP_OVERRIDES[code]
  return override ?? GRPC_TO_HTTP[grpcCode as GrpcStatus] ?? 500
}
