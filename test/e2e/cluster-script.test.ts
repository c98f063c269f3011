/**
 * `npm run cluster` (dist/scripts/cluster.js) as a user runs it: three real node processes come
 * up, form a full mesh (the third knew only the second), and SIGTERM stops every one of them
 * cleanly with exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { camosBin } from '../../chaos/node-process.js'
import { createKernelClient } from '../../node/client.js'
import { waitFor } from '../helpers/wait-for.js'
import type { ClusterStatusResponse__Output } from '../../proto/gen/camos/v1/ClusterStatusResponse.js'

const script = join(dirname(dirname(camosBin())), 'dist', 'scripts', 'cluster.js')
const baseDir = mkdtempSync(join(tmpdir(), 'camos-cluster-test-'))
const pids: number[] = []

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

afterAll(() => {
  for (const pid of pids) if (running(pid)) process.kill(pid, 'SIGKILL')
  rmSync(baseDir, { recursive: true, force: true })
})

interface Row { index: number, pid: number, nodeId: string, peerId: string, grpc: string, http: string, p2p: string }

/** Runs the script; resolves once it printed its "ready" line, with its output and endpoint table. */
async function runCluster (args: string[]): Promise<{ child: ChildProcess, exited: Promise<unknown[]>, lines: string[], rows: Row[] }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = once(child, 'exit')
  const lines: string[] = []
  let buffered = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    lines.push(...parts)
  })
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => { lines.push(chunk) })
  try {
    await waitFor(() => lines.some(l => l.startsWith('ready:')), { timeout: 60_000, what: `the "ready" line (output so far:\n${lines.join('\n')})` })
  } catch (err) {
    child.kill('SIGTERM')
    throw err
  }
  const rows: Row[] = lines.filter(l => /^\d+\s+\d+\s/.test(l)).map(l => {
    const [index, pid, nodeId, peerId, grpc, http, p2p] = l.split(/\s+/)
    return { index: Number(index), pid: Number(pid), nodeId, peerId, grpc, http, p2p }
  })
  pids.push(...rows.map(r => r.pid))
  return { child, exited, lines, rows }
}

describe('npm run cluster', () => {
  it('starts 3 nodes in a full mesh, prints their endpoints, and stops them all on SIGTERM', async () => {
    const { child, exited, lines, rows } = await runCluster(['--nodes', '3', '--base-dir', baseDir, '--cluster', 'script-test', '--secret', 'script-secret'])
    expect(lines.find(l => l.startsWith('ready:'))).toMatch(/^ready: every node sees 2 alive members; full mesh \d+ ms after the last node was up/)

    expect(rows.map(r => r.index)).toEqual([1, 2, 3])
    for (const r of rows) {
      expect(running(r.pid)).toBe(true)
      expect(r.p2p).toBe(r.p2p.replace(/\/p2p\/.*$/, '') + `/p2p/${r.peerId}`)
      expect(existsSync(join(baseDir, `node-${r.index}`, 'p2p-key'))).toBe(true)
    }
    expect(lines.some(l => l.includes(`call Recall '{"namespace":"demo","key":"hello"}' --node ${rows[2].grpc}`))).toBe(true)

    // What the table says is what node 2 reports: itself plus the other two, all alive.
    const client = createKernelClient({ address: rows[1].grpc })
    const status: ClusterStatusResponse__Output = await client.call('ClusterStatus', {})
    client.close()
    expect(status.cluster).toBe('script-test')
    expect(status.nodeId).toBe(rows[1].nodeId)
    expect(status.members.map(m => [m.nodeId, m.peerId, m.state]).sort()).toEqual(
      rows.map(r => [r.nodeId, r.peerId, 'MEMBER_STATE_ALIVE']).sort()
    )

    child.kill('SIGTERM')
    const [code] = await exited
    expect(code).toBe(0)
    expect(lines).toContain('cluster stopped')
    for (const r of rows) expect(lines).toContain(`node ${r.index} stopped (exit code 0)`)
    for (const r of rows) expect(running(r.pid)).toBe(false)
    // A given base dir is kept: the data survives for the next run.
    for (const r of rows) expect(existsSync(join(baseDir, `node-${r.index}`))).toBe(true)
  }, 90_000)

  it('says so when a node dies, keeps the others running, and exits 1 after stopping them', async () => {
    const { child, exited, lines, rows } = await runCluster(['--nodes', '2'])
    process.kill(rows[1].pid, 'SIGKILL')
    await waitFor(() => lines.some(l => l.startsWith(`node 2 (pid ${rows[1].pid}) exited unexpectedly (code null, signal SIGKILL)`)), { what: 'the death of node 2 reported' })
    const client = createKernelClient({ address: rows[0].grpc })
    await expect(client.call('HealthCheck', {})).resolves.toBeDefined()
    client.close()

    child.kill('SIGTERM')
    const [code] = await exited
    expect(code).toBe(1)
    expect(lines).toContain('node 1 stopped (exit code 0)')
    expect(lines).toContain('cluster stopped with errors')
    expect(running(rows[0].pid)).toBe(false)
    // No --base-dir: the temporary base dir goes with the cluster.
    const base = /data and logs under (\S+)/.exec(lines.join('\n'))?.[1]
    expect(base).toBeDefined()
    expect(existsSync(base ?? '')).toBe(false)
  }, 90_000)
})
