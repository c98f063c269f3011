import { status } from '@grpc/grpc-js'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, type ErrorCode } from '../../kernel/errors.js'
import { httpStatusOf } from '../../node/http-status.js'

describe('gRPC → HTTP status mapping (DESIGN.md, like grpc-gateway)', () => {
  it.each([
    [status.OK, 200],
    [status.INVALID_ARGUMENT, 400],
    [status.FAILED_PRECONDITION, 400],
    [status.OUT_OF_RANGE, 400],
    [status.UNAUTHENTICATED, 401],
    [status.PERMISSION_DENIED, 403],
    [status.NOT_FOUND, 404],
    [status.ALREADY_EXISTS, 409],
    [status.ABORTED, 409],
    [status.RESOURCE_EXHAUSTED, 429],
    [status.CANCELLED, 499],
    [status.INTERNAL, 500],
    [status.UNKNOWN, 500],
    [status.DATA_LOSS, 500],
    [status.UNIMPLEMENTED, 501],
    [status.UNAVAILABLE, 503],
    [status.DEADLINE_EXCEEDED, 504]
  ])('gRPC %i → HTTP %i', (grpcCode, http) => {
    expect(httpStatusOf(grpcCode)).toBe(http)
  })

  it('maps every CAM-OS error code to an error status, the body-size limit to 413', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(httpStatusOf(info.grpc, code as ErrorCode)).toBeGreaterThanOrEqual(400)
    }
    expect(httpStatusOf(status.RESOURCE_EXHAUSTED, 'CAMOS_ERR_REQUEST_TOO_LARGE')).toBe(413)
    expect(httpStatusOf(status.RESOURCE_EXHAUSTED, 'CAMOS_ERR_QUOTA_EXCEEDED')).toBe(429)
    expect(httpStatusOf(99)).toBe(500)
  })
})
