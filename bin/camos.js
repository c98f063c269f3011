#!/usr/bin/env node
// The `camos` executable: loads the Promise.withResolvers polyfill before anything else, then
// runs the CLI bundled into dist/bundle/ (by `npm run build`, which `npm install` runs).
import '../dist/node/polyfill.js'

const { runCli } = await import('../dist/bundle/cli.js')

let interrupted
let signals = 0
/** First SIGINT/SIGTERM resolves (graceful stop / end of stream); a second one exits at once. */
function onInterrupt () {
  interrupted ??= new Promise(resolve => {
    const onSignal = () => {
      signals++
      if (signals === 1) { resolve(); return }
      process.stderr.write('second signal: exiting now\n')
      process.exit(1)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
  return interrupted
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  interrupted: onInterrupt
})
process.exitCode = code
// Anything still holding the event loop after a stop (a reconnect timer, a socket) must not
// keep the process alive; unref'd, this only fires when something does.
setTimeout(() => process.exit(code), 2_000).unref()
