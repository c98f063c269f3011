/**
 * Per-peer knowledge of document state as Yjs clocks (client id → clock): what a peer is known
 * to hold (from its acks, SyncStep1 and digests) and whether that covers a target state.
 */

/** Raises what `map` records of `peer`'s state of `doc` to at least `clocks`; returns the record. */
export function raise (map: Map<string, Map<string, Map<number, number>>>, peer: string, doc: string, clocks: Map<number, number>): Map<number, number> {
  let docs = map.get(peer)
  if (docs === undefined) {
    docs = new Map()
    map.set(peer, docs)
  }
  let known = docs.get(doc)
  if (known === undefined) {
    known = new Map()
    docs.set(doc, known)
  }
  return raiseClocks(known, clocks)
}

/** Raises `known` to at least `clocks` for every client; returns it. */
export function raiseClocks (known: Map<number, number>, clocks: Map<number, number>): Map<number, number> {
  for (const [client, clock] of clocks) {
    if (clock > (known.get(client) ?? 0)) known.set(client, clock)
  }
  return known
}

/** True when `known` is at or past `target` for every client. */
export function covers (known: Map<number, number>, target: Map<number, number>): boolean {
  for (const [client, clock] of target) {
    if ((known.get(client) ?? 0) < clock) return false
  }
  return true
}
