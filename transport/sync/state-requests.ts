/**
 * State requests of the sync engine: a document this node does not hold is asked of one peer at
 * a time. The SyncStep1 to any other peer waits until the first peer's answer has been applied,
 * or until `idleMs` passed since the request or the last chunk of a large message from that
 * peer (encoding a large document takes the peer a while before the first chunk), or `maxMs`
 * in all: a joiner then gets a document once instead of once per peer, and a lost answer or a
 * silent peer delays the others only briefly.
 */

export const DEFAULT_STATE_REQUEST_IDLE_MS = 1_000
/** The longest a state request holds back the others, however busy its peer, ms. */
export const DEFAULT_STATE_REQUEST_MAX_MS = 5_000

export interface StateRequestsInit {
  idleMs?: number
  maxMs?: number
}

export interface StateRequests {
  /** Runs `send` (a SyncStep1 of `doc` to `peer`) now, or once the pending request is done. */
  request: (peer: string, doc: string, send: () => void) => void
  /** A chunk of a large message arrived from `peer`: its answer may be in transit. */
  chunkReceived: (peer: string) => void
  /** `peer`'s answer for `doc` has been applied. */
  answered: (peer: string, doc: string) => void
  /** `peer` is gone: its pending requests let the held-back ones go. */
  peerClosed: (peer: string) => void
  /** The documents of the requests still awaiting an answer. */
  docs: () => string[]
  clear: () => void
}

interface Pending {
  peer: string
  since: number
  /** When the last chunk from `peer` arrived. */
  progress: number
  timer: NodeJS.Timeout | undefined
  waiting: Array<() => void>
}

export function createStateRequests (init: StateRequestsInit = {}): StateRequests {
  const idleMs = init.idleMs ?? DEFAULT_STATE_REQUEST_IDLE_MS
  const maxMs = init.maxMs ?? DEFAULT_STATE_REQUEST_MAX_MS
  const requests = new Map<string, Pending>()

  function release (doc: string, request: Pending): void {
    if (requests.get(doc) !== request) return
    requests.delete(doc)
    clearTimeout(request.timer)
    for (const send of request.waiting) send()
  }

  return {
    request (peer, doc, send) {
      const pending = requests.get(doc)
      if (pending !== undefined && pending.peer !== peer) {
        pending.waiting.push(send)
        return
      }
      send()
      if (pending !== undefined) return
      const request: Pending = { peer, since: performance.now(), progress: 0, timer: undefined, waiting: [] }
      requests.set(doc, request)
      const check = (): void => {
        const now = performance.now()
        if (now - Math.max(request.since, request.progress) >= idleMs || now - request.since >= maxMs) {
          release(doc, request)
          return
        }
        request.timer = setTimeout(check, idleMs)
        request.timer.unref()
      }
      request.timer = setTimeout(check, idleMs)
      request.timer.unref()
    },

    chunkReceived (peer) {
      for (const request of requests.values()) if (request.peer === peer) request.progress = performance.now()
    },

    answered (peer, doc) {
      const request = requests.get(doc)
      if (request?.peer === peer) release(doc, request)
    },

    peerClosed (peer) {
      for (const [doc, request] of [...requests]) if (request.peer === peer) release(doc, request)
    },

    docs: () => [...requests.keys()],

    clear () {
      for (const request of requests.values()) clearTimeout(request.timer)
      requests.clear()
    }
  }
}
