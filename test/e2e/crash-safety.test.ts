/**
 * No acknowledged write is lost to SIGKILL: a real `camos start` process receives a stream of
 * LOCAL writes, is killed with SIGKILL mid-stream, restarted on the same data dir, and every
 * write it acknowledged must be there with its value and version.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startNodeProcess, type NodeProcess } from '../../chaos/node-process.js'
import { createRng, testSeed } from '../helpers/seed.js'
import { waitFor } from '../helpers/wait-for.js'

const WRITERS = 8
const MIN_ACKED_BEFORE_KILL = 400

describe('crash safety (real process, SIGKILL)', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn()
  })

  it('keeps every acknowledged write across kill -9 and restart', async () => {
    const seed = testSeed('crash-safety')
    const rng = createRng(seed)
    const dataDir = mkdtempSync(join(tmpdir(), 'camos-crash-'))
    cleanup.push(async () => { rmSync(dataDir, { recursive: true, force: true }) })

    let node: NodeProcess = await startNodeProcess({ dataDir, args: ['--log-level', 'warn'] })
    cleanup.push(async () => { await node.kill() })
    const client = node.client()

    const acked = new Map<string, { value: Buffer, version: string }>()
    let next = 0
    // Writers keep writing from `killing` (the signal is about to go) until `killed` (the process
    // is gone), so writes are in flight when SIGKILL lands and each writer ends on a failed one.
    let killing = false
    let killed = false
    let failuresAfterKill = 0
    const writer = async (): Promise<void> => {
      while (!killed) {
        const i = next++
        const key = `k/${i}`
        const value = Buffer.from(Array.from({ length: 16 + Math.floor(rng() * 200) }, () => Math.floor(rng() * 256)))
        try {
          const res = await client.call('Remember', { namespace: 'crash', key, value, durability: 'DURABILITY_LOCAL' }, { timeoutMs: 5_000 })
          acked.set(key, { value, version: res.version })
        } catch {
          if (!killing) throw new Error(`write ${key} failed before the kill`)
          failuresAfterKill++
          return
        }
      }
    }
    const writers = Array.from({ length: WRITERS }, writer)
    await waitFor(() => acked.size >= MIN_ACKED_BEFORE_KILL, { timeout: 20_000, message: `${MIN_ACKED_BEFORE_KILL} acknowledged writes` })
    killing = true
    await node.kill()
    killed = true
    await Promise.all(writers)
    client.close()
    expect(failuresAfterKill).toBeGreaterThan(0)

    node = await startNodeProcess({ dataDir, args: ['--log-level', 'warn'] })
    const after = node.client()
    const missing: string[] = []
    for (const [key, want] of acked) {
      try {
        const { entry } = await after.call('Recall', { namespace: 'crash', key })
        if (!want.value.equals(entry.value) || entry.version !== want.version) missing.push(`${key} (changed)`)
      } catch (err) {
        missing.push(`${key} (${(err as Error).message})`)
      }
    }
    expect(missing, `seed ${seed}: acknowledged writes lost after SIGKILL`).toEqual([])
    const res = await after.call('Remember', { namespace: 'crash', key: 'after-restart', value: Buffer.from('ok') })
    expect(res.version).toMatch(/^[0-9a-f]{12}\.[0-9a-f]{4}\./)
  })
})
