/**
 * bench:storage — latency of the storage adapters against a bare write + fdatasync on the same
 * disk, measured in the same run in interleaved rounds (this machine is shared and noisy, so
 * the ratio matters more than absolute figures).
 *
 * Measured:
 *   - baseline: one 200-byte pwrite + fdatasync on a plain file handle;
 *   - embedded log: one append at a time (the cost of a durable LOCAL write);
 *   - embedded log: 64 appends in flight on one document (group commit: fsyncs per append);
 *   - Redis (own redis-server on a free port, when the binary exists): one append at a time.
 * Environment: BENCH_SCALE (default 1) multiplies every count.
 */
import { open } from 'node:fs/promises'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmbeddedLogStorage } from '../crdt/storage/embedded-log.js'
import { createRedisStorage } from '../crdt/storage/redis.js'
import type { Logger } from '../crdt/types.js'
import { findRedisServerBinary, startRedisServer } from '../test/helpers/redis-server.js'
import { printTable, round, runSequential, runWindowed, summarize, summarizeAll, writeResult, type LatencySummary, type Samples } from './bench/stats.js'

const SCALE = Number(process.env.BENCH_SCALE ?? '1')
const n = (x: number): number => Math.max(10, Math.round(x * SCALE))
const ROUNDS = 4
const PER_ROUND = n(500)
const WINDOWED_N = n(20_000)
const WINDOW = 64
const PAYLOAD = new Uint8Array(200).fill(7)

const quiet: Logger = { debug () {}, info () {}, warn: (msg, f) => { console.warn(msg, f ?? '') }, error: (msg, f) => { console.error(msg, f ?? '') }, child: () => quiet }

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'camos-bench-storage-'))
  const raw = await open(join(dir, 'baseline.bin'), 'w')
  let rawOffset = 0
  let fsyncs = 0
  let fsyncedRecords = 0
  const embedded = createEmbeddedLogStorage({
    log: quiet,
    metrics: { observeFsync: (_s, batch) => { fsyncs++; fsyncedRecords += batch }, observeCompaction: () => {} }
  }, { dir: join(dir, 'log') })
  await embedded.open()
  try {
    const baseRuns: Samples[] = []
    const appendRuns: Samples[] = []
    for (let r = 0; r < ROUNDS; r++) {
      baseRuns.push(await runSequential(PER_ROUND, 20, async () => {
        await raw.write(PAYLOAD, 0, PAYLOAD.byteLength, rawOffset)
        rawOffset += PAYLOAD.byteLength
        await raw.datasync()
      }))
      appendRuns.push(await runSequential(PER_ROUND, 20, async () => { await embedded.append('bench/seq', PAYLOAD) }))
    }
    const base = summarizeAll(baseRuns)
    const append = summarizeAll(appendRuns)
    fsyncs = 0
    fsyncedRecords = 0
    const hot = await runWindowed(WINDOWED_N, WINDOW, async () => { await embedded.append('bench/hot', PAYLOAD) })
    const windowed = summarize(hot.latencies, hot.wallMs)
    const recordsPerFsync = round(fsyncedRecords / Math.max(1, fsyncs), 1)

    const rows: Array<[string, LatencySummary]> = [
      ['baseline: pwrite 200 B + fdatasync', base],
      ['embedded append, one at a time', append],
      [`embedded append, ${WINDOW} in flight (${recordsPerFsync} records/fsync)`, windowed]
    ]
    let redis: LatencySummary | undefined
    if (findRedisServerBinary() !== undefined) {
      const server = await startRedisServer()
      const storage = createRedisStorage({ log: quiet }, { url: server.url })
      try {
        await storage.open()
        redis = summarizeAll([await runSequential(n(2_000), 100, async () => { await storage.append('bench/redis', PAYLOAD) })])
        rows.push(['redis append (MULTI RPUSH+SADD), one at a time', redis])
      } finally {
        await storage.close()
        await server.dispose()
      }
    }
    printTable(`bench:storage — ${dir}, payload ${PAYLOAD.byteLength} B, scale ${SCALE}`, rows)
    writeResult('storage', {
      bench: 'storage',
      scale: SCALE,
      baseline_fdatasync: base,
      embedded_append: append,
      embedded_append_windowed: windowed,
      embedded_records_per_fsync: recordsPerFsync,
      embedded_append_p50_ratio: round(append.p50_ms / base.p50_ms, 3),
      embedded_append_p99_ratio: round(append.p99_ms / base.p99_ms, 3),
      redis_append: redis ?? null
    })
  } finally {
    await embedded.close()
    await raw.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
