/**
 * Poll a condition until it holds or a deadline passes: the way tests synchronise with
 * background work (never a fixed sleep).
 */

export const DEFAULT_WAIT_FOR_TIMEOUT_MS = 10_000
export const DEFAULT_WAIT_FOR_INTERVAL_MS = 10

export interface WaitForOptions {
  timeout?: number
  interval?: number
  /** Names the condition in the error thrown at the deadline, e.g. 'backlog drained'. */
  message?: string
  /** Alias of `message`. */
  what?: string
}

/**
 * Resolves as soon as `condition` returns true. A condition that throws counts as not yet met;
 * its last error is reported at the deadline.
 */
export async function waitFor (condition: () => boolean | Promise<boolean>, options: WaitForOptions = {}): Promise<void> {
  const timeout = options.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT_MS
  const interval = options.interval ?? DEFAULT_WAIT_FOR_INTERVAL_MS
  const deadline = Date.now() + timeout
  let lastError: unknown
  for (;;) {
    try {
      if (await condition()) {
        return
      }
    } catch (err) {
      lastError = err
    }
    if (Date.now() >= deadline) {
      const what = options.message ?? options.what ?? 'condition'
      const cause = lastError === undefined ? '' : ` (last error: ${(lastError as Error)?.message ?? String(lastError)})`
      throw new Error(`waitFor: ${what} not met within ${timeout} ms${cause}`, { cause: lastError })
    }
    await new Promise(resolve => setTimeout(resolve, interval))
  }
}
