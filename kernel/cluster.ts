/**
 * The ClusterStatus syscall: this node and every member it knows, with addresses, liveness
 * state, last sign of life, version and sync lag. The node itself comes first, always ALIVE.
 */
import { loadavg } from 'node:os'
import type { UnarySyscallHandler } from './handler.js'
import type { ClusterMember } from '../transport/p2p.js'
import type { MemberState } from '../transport/membership.js'
import type { ClusterStatusResponse__Output } from '../proto/gen/camos/v1/ClusterStatusResponse.js'
import type { Member__Output } from '../proto/gen/camos/v1/Member.js'
import type { MemberState__Output } from '../proto/gen/camos/v1/MemberState.js'

export interface ClusterComponents {
  /** This node's libp2p peer id and p2p addresses. */
  self: () => { peerId: string, addresses: string[] }
  members: () => ClusterMember[]
  /** ms since the Unix epoch; injectable for tests. */
  now?: () => number
  /** This node's load (1-minute load average per core by default). */
  load?: () => number
}

export interface ClusterInit {
  cluster: string
  nodeId: string
  version: string
}

export interface ClusterSyscalls {
  ClusterStatus: UnarySyscallHandler<Record<string, never>, ClusterStatusResponse__Output>
}

const STATE: Record<MemberState, MemberState__Output> = {
  alive: 'MEMBER_STATE_ALIVE',
  suspect: 'MEMBER_STATE_SUSPECT',
  down: 'MEMBER_STATE_DOWN'
}

function defaultLoad (): number {
  return loadavg()[0]
}

export function createClusterSyscalls (components: ClusterComponents, init: ClusterInit): ClusterSyscalls {
  const now = components.now ?? Date.now
  const load = components.load ?? defaultLoad

  function status (): ClusterStatusResponse__Output {
    const self = components.self()
    const me: Member__Output = {
      nodeId: init.nodeId,
      peerId: self.peerId,
      addresses: self.addresses,
      state: 'MEMBER_STATE_ALIVE',
      lastHeartbeatMs: now(),
      load: load(),
      version: init.version,
      syncLagMs: 0
    }
    const others = components.members()
      .sort((a, b) => a.peerId < b.peerId ? -1 : 1)
      .map((m): Member__Output => ({
        nodeId: m.nodeId,
        peerId: m.peerId,
        addresses: m.addresses,
        state: STATE[m.state],
        lastHeartbeatMs: m.lastSeenMs,
        load: 0,
        version: m.version,
        syncLagMs: m.syncLagMs ?? 0
      }))
    return { cluster: init.cluster, nodeId: init.nodeId, members: [me, ...others] }
  }

  return {
    ClusterStatus: {
      kind: 'unary',
      validate: () => ({}),
      handle: () => status()
    }
  }
}
