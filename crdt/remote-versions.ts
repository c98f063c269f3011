/**
 * Merging the version tokens a context document receives into the local HLC (crdt/hlc.ts):
 * the greatest one the drift bound accepts, so later local writes order after what was seen.
 * A token too far ahead is refused and warned about, at most once per DRIFT_WARN_INTERVAL_MS
 * per namespace: a node whose clock runs too far ahead puts such tokens in every write, and a
 * warning per transaction (a chaos run's skewed node made 600 a minute) says no more than one
 * with a count.
 */
import { parseToken, type Hlc } from './hlc.js'
import type { Logger } from './types.js'

/** At most one clock-drift warning per namespace this often, ms. */
export const DRIFT_WARN_INTERVAL_MS = 10_000

/** Returns the function a namespace's document calls with the tokens of each remote change. */
export function createRemoteVersions (hlc: Hlc, log: Logger, namespace: string): (tokens: string[]) => void {
  let warnedAt = -Infinity
  let unwarned = 0

  function warnDrift (token: string): void {
    const now = hlc.physicalNow()
    if (now - warnedAt < DRIFT_WARN_INTERVAL_MS) {
      unwarned++
      return
    }
    log.warn('remote version is too far ahead of the local clock; not merged into the HLC', { namespace, token, ...(unwarned > 0 ? { moreSinceLastWarning: unwarned } : {}) })
    warnedAt = now
    unwarned = 0
  }

  return tokens => {
    if (tokens.length === 0) return
    // Usually the greatest is accepted: no need to sort them all (a catch-up brings 100,000).
    let greatest = tokens[0]
    for (const t of tokens) if (t > greatest) greatest = t
    if (hlc.observe(parseToken(greatest))) return
    warnDrift(greatest)
    tokens.sort()
    for (let i = tokens.length - 1; i >= 0; i--) {
      if (tokens[i] < greatest && hlc.observe(parseToken(tokens[i]))) break
    }
  }
}
