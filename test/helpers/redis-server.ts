/**
 * A real redis-server for tests: a free port on 127.0.0.1 (never 6379), no persistence, a temp
 * dir; stop (SIGTERM) and restart on the same port to simulate an outage.
 *
 * When neither the binary nor REDIS_URL is available, Redis suites are skipped with a loud
 * warning, unless CAMOS_REQUIRE_REDIS=1, in which case they run and fail.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { waitFor } from './wait-for.js'

export const REDIS_START_TIMEOUT_MS = 10_000

/** Path of the redis-server binary (REDIS_SERVER_BIN or PATH), undefined if absent. */
export function findRedisServerBinary (): string | undefined {
  const candidates = process.env.REDIS_SERVER_BIN !== undefined && process.env.REDIS_SERVER_BIN !== ''
    ? [process.env.REDIS_SERVER_BIN]
    : (process.env.PATH ?? '').split(delimiter).filter(d => d !== '').map(d => join(d, 'redis-server'))
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {}
  }
  return undefined
}

export interface RedisTestTarget {
  /** False: skip the suite (a loud warning has been printed). */
  run: boolean
  /** Start our own redis-server (true) or use `url` (REDIS_URL). */
  ownServer: boolean
  url?: string
}

/**
 * Decide how a Redis suite runs. `needOwnServer` is for tests that stop and restart Redis,
 * which REDIS_URL cannot offer. With CAMOS_REQUIRE_REDIS=1 a missing Redis makes the suite
 * run (and fail when it tries to start the server) instead of skipping it.
 */
export function redisTestTarget (suite: string, options: { needOwnServer?: boolean } = {}): RedisTestTarget {
  if (findRedisServerBinary() !== undefined) {
    return { run: true, ownServer: true }
  }
  const url = process.env.REDIS_URL
  if (options.needOwnServer !== true && url !== undefined && url !== '') {
    return { run: true, ownServer: false, url }
  }
  if (process.env.CAMOS_REQUIRE_REDIS === '1') {
    return { run: true, ownServer: true }
  }
  const missing = options.needOwnServer === true ? 'no redis-server binary on PATH' : 'no redis-server binary on PATH and REDIS_URL is not set'
  console.warn(`\n${'!'.repeat(78)}\n!!! SKIPPING Redis test suite "${suite}": ${missing}.\n!!! Install redis-server (or set REDIS_URL); set CAMOS_REQUIRE_REDIS=1 to make this a failure.\n${'!'.repeat(78)}\n`)
  return { run: false, ownServer: false }
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => { resolve(port) })
    })
  })
}

/** One PING over a raw socket: true on +PONG. */
async function ping (port: number): Promise<boolean> {
  return await new Promise(resolve => {
    const socket = createConnection({ host: '127.0.0.1', port })
    let reply = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => { done(false) })
    socket.once('error', () => { done(false) })
    socket.once('connect', () => { socket.write('PING\r\n') })
    socket.on('data', chunk => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) {
        done(reply.startsWith('+PONG'))
      }
    })
  })
}

export interface RedisServer {
  port: number
  url: string
  running: () => boolean
  /** Stop with SIGTERM and wait for the process to exit. Idempotent. */
  stop: () => Promise<void>
  /** Start again on the same port (empty: persistence is off) and wait for PING. */
  restart: () => Promise<void>
  /** Stop and remove the temp dir. */
  dispose: () => Promise<void>
}

export async function startRedisServer (): Promise<RedisServer> {
  const binary = findRedisServerBinary()
  if (binary === undefined) {
    throw new Error('redis-server not found on PATH (CAMOS_REQUIRE_REDIS=1 demands it); install redis-server or set REDIS_SERVER_BIN')
  }
  const dir = await mkdtemp(join(tmpdir(), 'camos-redis-'))
  const port = await freePort()
  let child: ChildProcess | undefined
  let exited: Promise<void> | undefined

  async function launch (): Promise<void> {
    const proc = spawn(binary as string, ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    proc.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
    proc.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
    let hasExited = false
    exited = new Promise(resolve => {
      const onEnd = (): void => { hasExited = true; resolve() }
      proc.once('exit', onEnd)
      proc.once('error', (err) => { output += String(err); onEnd() })
    })
    child = proc
    try {
      await waitFor(async () => {
        if (hasExited) {
          throw new Error(`redis-server exited early: ${output.trim().slice(-500)}`)
        }
        return await ping(port)
      }, { timeout: REDIS_START_TIMEOUT_MS, interval: 20, message: `redis-server answering PING on port ${port}` })
    } catch (err) {
      await stop()
      throw err
    }
  }

  async function stop (): Promise<void> {
    const proc = child
    child = undefined
    if (proc === undefined) {
      return
    }
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM')
    }
    await exited
  }

  await launch()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    running: () => child !== undefined,
    stop,
    restart: async () => {
      await stop()
      await launch()
    },
    dispose: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
