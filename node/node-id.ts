/**
 * The node's identity: a random id created on first start and kept across restarts.
 *
 * - With a data directory it lives in `<dataDir>/node-id` (written atomically).
 * - In Redis-alone mode without a data directory (nodes without durable disks) it lives in
 *   Redis at `<prefix>node-id`, created with SET NX. The prefix already names the node's
 *   stored state, so a replacement node started with the same prefix takes over both the state
 *   and the identity; two live nodes must therefore never share a prefix (the same rule as for
 *   their documents). Deriving the id from the prefix instead would make ids guessable and tie
 *   them to a naming choice; keeping it next to the state keeps the two together.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { NODE_ID_PATTERN } from '../crdt/hlc.js'

export const NODE_ID_FILE = 'node-id'
export const NODE_ID_REDIS_KEY = 'node-id'
/** How long start-up waits for Redis to hand out the node id, ms. */
export const DEFAULT_NODE_ID_REDIS_TIMEOUT_MS = 5_000

export interface NodeIdInit {
  dataDir?: string
  redis?: { url: string, prefix: string, timeoutMs?: number }
}

export function newNodeId (): string {
  return randomBytes(8).toString('hex')
}

function checked (id: string, where: string): string {
  if (!NODE_ID_PATTERN.test(id)) throw new Error(`node id ${JSON.stringify(id)} in ${where} is malformed (expected ${String(NODE_ID_PATTERN)})`)
  return id
}

export async function loadNodeId (init: NodeIdInit): Promise<string> {
  if (init.dataDir !== undefined) return await fromDataDir(init.dataDir)
  if (init.redis !== undefined) return await fromRedis(init.redis)
  throw new Error('a node id needs a data directory or Redis to live in')
}

async function fromDataDir (dir: string): Promise<string> {
  const path = join(dir, NODE_ID_FILE)
  try {
    return checked((await readFile(path, 'utf8')).trim(), path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(dir, { recursive: true })
  const id = newNodeId()
  const tmp = `${path}.tmp-${process.pid}`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(id + '\n')
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  return id
}

async function fromRedis (init: { url: string, prefix: string, timeoutMs?: number }): Promise<string> {
  // Loaded only here: a node on the embedded log never pays for ioredis at start-up.
  const { Redis } = await import('ioredis')
  const timeoutMs = init.timeoutMs ?? DEFAULT_NODE_ID_REDIS_TIMEOUT_MS
  const key = `${init.prefix}${NODE_ID_REDIS_KEY}`
  const client = new Redis(init.url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.set(key, newNodeId(), 'NX')
    const id = await client.get(key)
    if (id === null) throw new Error(`${key} vanished right after it was set`)
    return checked(id, `Redis key ${key}`)
  } catch (err) {
    throw new Error(`cannot get the node id from Redis (${key}): ${(err as Error).message}`, { cause: err })
  } finally {
    client.disconnect()
  }
}
