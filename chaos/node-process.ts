/**
 * One real `camos start` process: the unit the multi-process tests, benchmarks and the chaos
 * harness are built from. Ports are picked free up front so the caller knows every endpoint
 * before the process is ready; readiness is a successful HealthCheck, after which the node's
 * identity (node id, peer id, p2p addresses) is read from ClusterStatus.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startBannerAddress } from '../node/cli.js'
import { createKernelClient, type KernelClient } from '../node/client.js'
import type { ClusterStatusResponse__Output } from '../proto/gen/camos/v1/ClusterStatusResponse.js'
import { loadKernelProto, type KernelProto } from '../proto/load.js'

/** How long start() waits for the node to answer HealthCheck, ms. */
export const DEFAULT_NODE_READY_TIMEOUT_MS = 20_000
const PROBE_CHANNEL_OPTIONS = { 'grpc.initial_reconnect_backoff_ms': 20, 'grpc.max_reconnect_backoff_ms': 100 }

/** Parsed once per process: a harness starting several nodes at once competes with them for CPU. */
let sharedProto: KernelProto | undefined
function kernelProto (): KernelProto {
  sharedProto ??= loadKernelProto()
  return sharedProto
}

/** The package root of camos, found from source and from dist/. */
export function packageRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the package root of camos')
    dir = parent
  }
  return dir
}

/** The CLI entrypoint, bin/camos.js at the package root. */
export function camosBin (): string {
  return join(packageRoot(), 'bin', 'camos.js')
}

/**
 * The glibc tunable that makes malloc back its large blocks with transparent huge pages where
 * the kernel hands them out on request (THP `madvise`, as here). Page faults are what a fresh
 * node spends much of its start-up on in a VM: on this 2-core Firecracker VM one start took
 * ~23,700 minor faults and 0.25 s of kernel time; with the tunable ~13,500 and 0.1 s, and five
 * nodes starting at once were all ready in 2.5 s instead of 2.9 s. glibc < 2.35, other C
 * libraries and kernels without THP ignore it.
 */
export const MALLOC_HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1'

/**
 * The environment of a node process: `base` with MALLOC_HUGE_PAGES_TUNABLE added to the
 * GLIBC_TUNABLES it holds, unless that chooses glibc.malloc.hugetlb itself or `hugePages` is false.
 */
export function nodeEnvironment (base: NodeJS.ProcessEnv, hugePages = true): NodeJS.ProcessEnv {
  const tunables = base.GLIBC_TUNABLES ?? ''
  if (!hugePages || /(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return base
  return { ...base, GLIBC_TUNABLES: tunables === '' ? MALLOC_HUGE_PAGES_TUNABLE : `${tunables}:${MALLOC_HUGE_PAGES_TUNABLE}` }
}

export interface NodeProcessInit {
  dataDir: string
  /** Extra `camos start` flags. */
  args?: string[]
  env?: Record<string, string>
  /** Start the node with MALLOC_HUGE_PAGES_TUNABLE (see nodeEnvironment); default true. */
  mallocHugePages?: boolean
  /**
   * Fixed listen addresses, e.g. inside a network namespace. By default the node binds loopback
   * port 0 and its start banner tells which ports it got: a port picked free here and handed
   * over could be taken in between (as the source port of any outgoing connection).
   */
  grpcAddress?: string
  httpAddress?: string
  /** Runs the node under this command prefix, e.g. ['ip', 'netns', 'exec', 'ns1'] (it must exec, keeping the pid). */
  wrapper?: string[]
  readyTimeoutMs?: number
  /** Receives the process's stderr/stdout lines (default: discarded). */
  onOutput?: (line: string) => void
  /** Own process group, so a terminal's Ctrl-C reaches only the parent, which stops the node. */
  detached?: boolean
}

export interface NodeProcess {
  grpcAddress: string
  httpAddress: string
  /** From ClusterStatus once ready: node id, libp2p peer id and p2p multiaddrs (with /p2p/). */
  nodeId: string
  peerId: string
  p2pAddresses: string[]
  readonly process: ChildProcess
  client: () => KernelClient
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop: () => Promise<number | null>
  /** SIGKILL and wait for exit. */
  kill: () => Promise<void>
}

export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  server.close()
  await once(server, 'close')
  return port
}

export async function startNodeProcess (init: NodeProcessInit): Promise<NodeProcess> {
  const bound = { grpc: init.grpcAddress, http: init.httpAddress }
  const [command, ...prefix] = [...(init.wrapper ?? []), process.execPath]
  const child = spawn(command, [
    ...prefix, camosBin(), 'start', '--data-dir', init.dataDir, '--grpc', bound.grpc ?? '127.0.0.1:0', '--http', bound.http ?? '127.0.0.1:0', ...(init.args ?? [])
  ], { env: nodeEnvironment({ ...process.env, ...init.env }, init.mallocHugePages), stdio: ['ignore', 'pipe', 'pipe'], detached: init.detached ?? false })
  const exited = once(child, 'exit')
  // 'close' comes after the output streams ended, so every line has been seen.
  const closed = once(child, 'close').catch(() => {})
  /** The last lines of output, for the error when the process exits before it is ready. */
  const last: string[] = []
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = ''
    stream?.setEncoding('utf8')
    stream?.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        bound.grpc ??= startBannerAddress(line, 'grpc')
        bound.http ??= startBannerAddress(line, 'http')
        last.push(line)
        if (last.length > 5) last.shift()
        init.onOutput?.(line)
      }
    })
  }

  const clients: KernelClient[] = []
  const node: NodeProcess = {
    grpcAddress: '',
    httpAddress: '',
    nodeId: '',
    peerId: '',
    p2pAddresses: [],
    process: child,
    client () {
      const client = createKernelClient({ address: node.grpcAddress, proto: kernelProto() })
      clients.push(client)
      return client
    },
    async stop () {
      for (const c of clients) c.close()
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const [code] = await exited
      return code as number | null
    },
    async kill () {
      for (const c of clients) c.close()
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    }
  }

  // grpc-js waits 1 s (then 1.6 s, …) before reconnecting after a refused connection; a probe
  // of a node that is still starting must not add that to its start-up time.
  let probe: KernelClient | undefined
  const deadline = Date.now() + (init.readyTimeoutMs ?? DEFAULT_NODE_READY_TIMEOUT_MS)
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 1_000))])
        throw new Error(`camos start exited early (code ${String(child.exitCode)}, signal ${String(child.signalCode)})${last.length > 0 ? `; its last output: ${last.join(' | ')}` : ''}`)
      }
      try {
        if (bound.grpc === undefined || bound.http === undefined) throw new Error('its start banner has not named its listen addresses yet')
        node.grpcAddress = bound.grpc
        node.httpAddress = bound.http
        probe ??= createKernelClient({ address: bound.grpc, proto: kernelProto(), timeoutMs: 1_000, channelOptions: PROBE_CHANNEL_OPTIONS })
        await probe.call('HealthCheck', {})
        const status: ClusterStatusResponse__Output = await probe.call('ClusterStatus', {})
        node.nodeId = status.nodeId
        node.peerId = status.members[0].peerId
        node.p2pAddresses = status.members[0].addresses
        return node
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`node on ${bound.grpc ?? 'a port not yet known'} not ready: ${(err as Error).message}`)
        await new Promise(resolve => setTimeout(resolve, 50))
      }
    }
  } catch (err) {
    await node.kill()
    throw err
  } finally {
    probe?.close()
  }
}
