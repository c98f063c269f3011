/**
 * Exponential backoff with jitter for redials and reopens: the delay of attempt n is drawn
 * uniformly from [base/2, base] with base = min(max, min · 2ⁿ) ("equal jitter"), so peers that
 * lost each other at the same moment do not retry in lockstep, and a retry never comes sooner
 * than half the nominal delay.
 */
export function backoffDelay (attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30))
  return Math.round(base / 2 + random() * base / 2)
}
