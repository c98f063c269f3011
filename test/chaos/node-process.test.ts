import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MALLOC_HUGE_PAGES_TUNABLE, nodeEnvironment, startNodeProcess } from '../../chaos/node-process.js'

describe('node process environment', () => {
  it('asks glibc malloc for huge pages, keeping the other tunables', () => {
    expect(nodeEnvironment({ PATH: '/bin' })).toEqual({ PATH: '/bin', GLIBC_TUNABLES: MALLOC_HUGE_PAGES_TUNABLE })
    expect(nodeEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${MALLOC_HUGE_PAGES_TUNABLE}`)
  })

  it('leaves a hugetlb choice of the environment alone, and adds nothing when told not to', () => {
    expect(nodeEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }).GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=0')
    expect(nodeEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0' }).GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0')
    expect(nodeEnvironment({ PATH: '/bin' }, false)).toEqual({ PATH: '/bin' })
  })
})

describe('node process start', () => {
  it('starts a node on ports it bound itself and returns the addresses it listens on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camos-node-process-'))
    const node = await startNodeProcess({ dataDir: dir, args: ['--log-level', 'warn'] })
    try {
      expect(node.grpcAddress).toMatch(/^127\.0\.0\.1:[1-9]\d*$/)
      expect(node.httpAddress).toMatch(/^127\.0\.0\.1:[1-9]\d*$/)
      expect((await fetch(`http://${node.httpAddress}/healthz`)).status).toBe(200)
      const client = node.client()
      expect((await client.call('ClusterStatus', {})).nodeId).toBe(node.nodeId)
    } finally {
      await node.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says why a node exited before it was ready: its last output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camos-node-process-'))
    try {
      await expect(startNodeProcess({ dataDir: dir, args: ['--log-level', 'nonsense'] }))
        .rejects.toThrow(/exited early \(code 2, signal null\); its last output: .*--log-level \(flag\): "nonsense" is not valid/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
