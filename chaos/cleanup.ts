/**
 * Everything a chaos run creates (processes, namespaces, veths, bridge, iptables rules, temp
 * dirs) is registered here as an undo action; run() undoes in reverse order and never throws,
 * so a failed or interrupted run (SIGINT, SIGTERM) still leaves the machine as it found it.
 */
export interface CleanupRegistry {
  /** Registers an undo action; the returned function runs it now and unregisters it. */
  add: (label: string, undo: () => Promise<void>) => () => Promise<void>
  /** Undoes everything still registered, newest first; resolves with the failures. */
  run: () => Promise<string[]>
  /** SIGINT/SIGTERM run the cleanup and exit 130; returns the uninstaller. */
  onSignals: (log: (line: string) => void) => () => void
}

export function createCleanupRegistry (): CleanupRegistry {
  const actions: Array<{ label: string, undo: () => Promise<void> }> = []
  let running: Promise<string[]> | undefined

  async function runOne (action: { label: string, undo: () => Promise<void> }): Promise<string | undefined> {
    const i = actions.indexOf(action)
    if (i < 0) return undefined
    actions.splice(i, 1)
    try {
      await action.undo()
      return undefined
    } catch (err) {
      return `${action.label}: ${(err as Error).message}`
    }
  }

  const registry: CleanupRegistry = {
    add (label, undo) {
      const action = { label, undo }
      actions.push(action)
      return async () => {
        const failed = await runOne(action)
        if (failed !== undefined) throw new Error(failed)
      }
    },
    async run () {
      running ??= (async () => {
        const failures: string[] = []
        for (let a = actions.at(-1); a !== undefined; a = actions.at(-1)) {
          const failed = await runOne(a)
          if (failed !== undefined) failures.push(failed)
        }
        running = undefined
        return failures
      })()
      return await running
    },
    onSignals (log) {
      const handler = (signal: NodeJS.Signals): void => {
        log(`${signal}: cleaning up (namespaces, rules, processes)…`)
        void registry.run().then(failures => {
          for (const f of failures) log(`cleanup failed: ${f}`)
          process.exit(130)
        })
      }
      process.on('SIGINT', handler)
      process.on('SIGTERM', handler)
      return () => {
        process.off('SIGINT', handler)
        process.off('SIGTERM', handler)
      }
    }
  }
  return registry
}
