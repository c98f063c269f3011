/**
 * Origins of Yjs transactions (STYLE.md 6). Every transaction on a kernel document carries one,
 * so the document store knows what to persist, sync knows what not to echo back to the peer it
 * came from, and observers can tell a local syscall from a replicated change.
 */

export type TransactionOrigin =
  /** A syscall executed on this node. */
  | { kind: 'syscall', syscall: string }
  /** Deterministic housekeeping on this node (history trim, TTL purge, GC). */
  | { kind: 'maintenance', task: string }
  /** Replay of stored updates while loading; never persisted again. */
  | { kind: 'storage' }
  /**
   * An update received from a peer over sync. `answer`: it answered this node's own request
   * (SyncStep2, repair), so it is not relayed to other peers.
   */
  | { kind: 'peer', peer: string, answer?: true }

export const STORAGE_ORIGIN: TransactionOrigin = Object.freeze({ kind: 'storage' })

export function syscallOrigin (syscall: string): TransactionOrigin {
  return { kind: 'syscall', syscall }
}

export function maintenanceOrigin (task: string): TransactionOrigin {
  return { kind: 'maintenance', task }
}

export function peerOrigin (peer: string, answer = false): TransactionOrigin {
  return answer ? { kind: 'peer', peer, answer } : { kind: 'peer', peer }
}

/** True for changes made by this node (syscalls and housekeeping); anything else is remote. */
export function isLocalOrigin (origin: unknown): boolean {
  if (typeof origin !== 'object' || origin === null) return false
  const kind = (origin as { kind?: unknown }).kind
  return kind === 'syscall' || kind === 'maintenance'
}

export function isStorageOrigin (origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'storage'
}
