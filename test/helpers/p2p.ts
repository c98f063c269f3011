/** In-process p2p nodes on loopback for transport tests, torn down by `stopAll`. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createP2PNode, type P2PComponents, type P2PInit, type P2PNode } from '../../transport/p2p.js'
import { createCaptureLogger, type CaptureLogger } from './capture-logger.js'
import type { SyncChannel } from '../../transport/sync/channel.js'

export interface TestP2P {
  node: P2PNode
  dataDir: string
  /** Every channel handed to the engine side, in order. */
  channels: SyncChannel[]
  /** Every line the node logged. */
  log: CaptureLogger
}

/** Short intervals so discovery and liveness happen within a test's deadline. */
export const FAST: Pick<P2PInit, 'discovery' | 'membership' | 'streams'> = {
  discovery: { intervalMs: 200, redialMinMs: 50, redialMaxMs: 500 },
  membership: { heartbeatIntervalMs: 100, suspectAfterMs: 1_000, downAfterMs: 3_000 },
  streams: { reopenMinMs: 50, reopenMaxMs: 500 }
}

export function createP2PTestbed (): { start: (init?: Partial<P2PInit>, dataDir?: string, components?: Pick<P2PComponents, 'syncActivity' | 'random'>) => Promise<TestP2P>, stopAll: () => Promise<void> } {
  const nodes: TestP2P[] = []
  const dirs: string[] = []
  return {
    async start (init = {}, dataDir, components = {}) {
      const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'camos-p2p-'))
      if (dataDir === undefined) dirs.push(dir)
      const channels: SyncChannel[] = []
      const log = createCaptureLogger(`p2p${nodes.length}`)
      const node = await createP2PNode({ log, addChannel: c => { channels.push(c) }, ...components }, {
        cluster: 'test',
        secret: 'test-secret',
        listen: ['/ip4/127.0.0.1/tcp/0'],
        join: [],
        dataDir: dir,
        ...FAST,
        ...init
      })
      await node.start()
      const t = { node, dataDir: dir, channels, log }
      nodes.push(t)
      return t
    },
    async stopAll () {
      await Promise.all(nodes.splice(0).map(async t => { await t.node.stop() }))
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
    }
  }
}
