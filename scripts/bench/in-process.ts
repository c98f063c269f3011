/**
 * In-process dispatch: syscalls through a node's dispatcher with no network, the floor under
 * every transport. Builds a real node (embedded log in a temp dir) in this process.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveConfig } from '../../node/config.js'
import { createNode } from '../../node/node.js'
import { runSequential, runWindowed, summarizeAll, type LatencySummary } from './stats.js'

export interface InProcessInit {
  recalls: number
  remembers: number
  window: number
}

export async function measureInProcess (init: InProcessInit): Promise<{ recall: LatencySummary, remember: LatencySummary }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'camos-bench-inproc-'))
  const config = resolveConfig({ flags: { 'data-dir': dataDir, grpc: '127.0.0.1:0', http: '127.0.0.1:0', 'log-level': 'warn' }, env: {} })
  const node = await createNode(config)
  await node.start()
  try {
    const value = Buffer.alloc(100, 7)
    const call = async (name: string, request: unknown): Promise<unknown> => {
      const result = await node.dispatcher.call(name, request)
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
      return result.response
    }
    await call('Remember', { namespace: 'bench', key: 'hot', value })
    const recall = { namespace: 'bench', key: 'hot' }
    const recallS = summarizeAll([await runSequential(init.recalls, 10_000, async () => await call('Recall', recall))])
    const rememberS = summarizeAll([await runWindowed(init.remembers, init.window, async i =>
      await call('Remember', { namespace: 'bench', key: `inproc-${i}`, value, durability: 'DURABILITY_LOCAL' }))])
    return { recall: recallS, remember: rememberS }
  } finally {
    await node.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
