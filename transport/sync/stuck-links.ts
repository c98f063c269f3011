/**
 * Finding a connection that is stuck on its own. After a tight bandwidth cap, one TCP
 * connection of the capped node can stay slow for many seconds while its others recover: its
 * retransmission timer backed off, or its congestion control (BBR on a sub-millisecond path)
 * kept a bandwidth estimate below the old cap (docs/chaos-timing.md, "Rounds after a tight
 * bandwidth cap"). Its frames still arrive, hundreds of ms late, so nothing else replaces it; a
 * fresh connection starts with fresh congestion state.
 *
 * A link to a peer counts as stuck while every ack from it comes `lateMs` or more later than
 * the quickest it has given (its round trip: a peer across a WAN is not stuck), this node's
 * other peers ack in time (this node's uplink is fine), and every other peer announces that it
 * reaches that peer directly (the peer is neither paused, slow nor behind a cap of its own). Stuck for `forMs`, the link is reported, at most once per cooldown per peer,
 * and the node replaces its connection to the peer. Lost frames are no sign: the other
 * documents' acks stay prompt.
 */

/** An ack this much later than the link's quickest, with every other ack as late, ms. */
export const DEFAULT_STUCK_LATE_MS = 250
/** How long a link must stay stuck before its connection is replaced, ms. */
export const DEFAULT_STUCK_FOR_MS = 1_000
/**
 * The least time between two replacements of one peer's connection, ms. A link stuck again
 * within twice that after a replacement was not helped by it (a peer whose every ack is late,
 * say behind a slow disk): the next wait doubles, up to DEFAULT_STUCK_MAX_COOLDOWN_MS.
 */
export const DEFAULT_STUCK_COOLDOWN_MS = 10_000
export const DEFAULT_STUCK_MAX_COOLDOWN_MS = 5 * 60_000

/** What the check needs of one sync session. */
export interface LinkView {
  readonly peer: string
  acking: (now: number, staleMs: number) => boolean
  ackingLate: (now: number, lateMs: number) => boolean
  /** The peers this peer reaches directly, as it last announced. */
  readonly direct: ReadonlySet<string> | undefined
}

export interface StuckLinksInit {
  lateMs?: number
  forMs?: number
  cooldownMs?: number
  maxCooldownMs?: number
}

export interface StuckLinks {
  /** Checks every link; calls `stuck` for each that has been stuck long enough. */
  check: (now: number, links: Iterable<LinkView>, stuck: (peer: string, stuckMs: number) => void) => void
  clear: () => void
}

export function createStuckLinks (init: StuckLinksInit = {}): StuckLinks {
  const lateMs = init.lateMs ?? DEFAULT_STUCK_LATE_MS
  const forMs = init.forMs ?? DEFAULT_STUCK_FOR_MS
  const cooldownMs = init.cooldownMs ?? DEFAULT_STUCK_COOLDOWN_MS
  const maxCooldownMs = init.maxCooldownMs ?? DEFAULT_STUCK_MAX_COOLDOWN_MS
  const stuckSince = new Map<string, number>()
  /** Per peer: the last report, and how long the next one waits. */
  const reported = new Map<string, { at: number, cooldownMs: number }>()

  /** Every other peer reaches `link`'s peer directly, and at least one of them acks this node in time. */
  function othersVouch (now: number, all: readonly LinkView[], link: LinkView): boolean {
    let prompt = false
    for (const o of all) {
      if (o.peer === link.peer) continue
      if (o.direct?.has(link.peer) !== true) return false
      prompt ||= o.acking(now, lateMs)
    }
    return prompt
  }

  return {
    check (now, links, stuck) {
      const all = [...links]
      for (const link of all) {
        // Checked every 100 ms for every link: the others are looked at only for a late one.
        if (!link.ackingLate(now, lateMs) || !othersVouch(now, all, link)) {
          stuckSince.delete(link.peer)
          continue
        }
        const since = stuckSince.get(link.peer) ?? now
        stuckSince.set(link.peer, since)
        const last = reported.get(link.peer)
        if (now - since < forMs || (last !== undefined && now - last.at < last.cooldownMs)) continue
        const again = last !== undefined && now - last.at < 2 * last.cooldownMs
        reported.set(link.peer, { at: now, cooldownMs: again ? Math.min(2 * last.cooldownMs, maxCooldownMs) : cooldownMs })
        stuckSince.delete(link.peer)
        stuck(link.peer, Math.round(now - since))
      }
      for (const peer of stuckSince.keys()) if (!all.some(l => l.peer === peer)) stuckSince.delete(peer)
    },
    clear () {
      stuckSince.clear()
      reported.clear()
    }
  }
}
