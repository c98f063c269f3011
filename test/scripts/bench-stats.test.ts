import { describe, expect, it } from 'vitest'
import { cpuMs } from '../../scripts/bench/stats.js'

describe('bench stats: cpuMs', () => {
  it.skipIf(process.platform !== 'linux')('agrees with getrusage on the CPU time this process spends', () => {
    const usage = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
    const fromProc = cpuMs(process.pid)
    const fromRusage = usage()
    let x = 0
    while (usage() - fromRusage < 300) x += Math.sqrt(x + 1)
    expect(x).toBeGreaterThan(0)
    const procSpent = cpuMs(process.pid) - fromProc
    const rusageSpent = usage() - fromRusage
    // /proc counts in 10 ms ticks, each reading rounding down: two readings differ by < 2 ticks.
    expect(Math.abs(procSpent - rusageSpent)).toBeLessThan(25)
  })
})
