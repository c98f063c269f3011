import { readFileSync } from 'node:fs'
import { status } from '@grpc/grpc-js'
import { describe, expect, it } from 'vitest'
import { CamosError, ERROR_CODES, InvalidArgumentError } from '../../kernel/errors.js'
import { errorTableRows } from '../../scripts/gen-docs.js'

describe('error codes', () => {
  it('every code is documented in the README table (npm run gen:docs regenerates it)', () => {
    const readme = readFileSync('README.md', 'utf8')
    for (const row of errorTableRows().split('\n')) expect(readme).toContain(row)
  })

  it('every code has a stable CAMOS_ERR_ name, a non-OK gRPC status and a description', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^CAMOS_ERR_[A-Z_]+$/)
      expect(info.grpc).not.toBe(status.OK)
      expect(info.description.length).toBeGreaterThan(20)
    }
  })

  it('maps a CamosError to its gRPC status and names the field of an invalid argument', () => {
    expect(new CamosError('CAMOS_ERR_QUOTA_EXCEEDED', 'full').grpcStatus).toBe(status.RESOURCE_EXHAUSTED)
    const err = new InvalidArgumentError('namespace', 'must match ^[a-z0-9]…', 'CAMOS_ERR_NAMESPACE_INVALID')
    expect(err.message).toBe('namespace: must match ^[a-z0-9]…')
    expect(err.grpcStatus).toBe(status.INVALID_ARGUMENT)
  })
})
