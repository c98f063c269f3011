/**
 * `promtool check metrics` when the binary exists (Debian package prometheus). Without it the
 * check is skipped with a loud warning, unless CAMOS_REQUIRE_PROMTOOL=1 (set by .ci/run) makes
 * that a failure.
 */
import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

function findPromtool (): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'promtool')
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {}
  }
  return undefined
}

/** Problems promtool reports for an exposition text ('' when valid); undefined when skipped. */
export function promtoolCheck (exposition: string): string | undefined {
  const promtool = findPromtool()
  if (promtool === undefined) {
    if (process.env.CAMOS_REQUIRE_PROMTOOL === '1') throw new Error('promtool not found on PATH and CAMOS_REQUIRE_PROMTOOL=1')
    console.warn('!!! SKIPPING promtool check metrics: promtool not on PATH (apt-get install prometheus)')
    return undefined
  }
  try {
    return execFileSync(promtool, ['check', 'metrics'], { input: exposition, encoding: 'utf8' }).trim()
  } catch (err) {
    const e = err as { stdout?: string, stderr?: string }
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim()
  }
}
