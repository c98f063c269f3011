import { describe, expect, it } from 'vitest'
import { MALLOC_HUGE_PAGES_TUNABLE, nodeEnvironment } from '../../chaos/node-process.js'

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
