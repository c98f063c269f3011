// Bundles the compiled CLI (dist/node/cli.js) and its ES-module dependencies into one file,
// dist/bundle/cli.js, which bin/camos.js runs. A node spent about a third of its start-up CPU
// resolving and loading the few hundred small modules of libp2p, multiformats and Yjs; a
// bundle removes that, which matters most when several nodes start on one host at once.
//
// CommonJS dependencies stay external: some of them read files next to themselves through
// __dirname (the .proto files of grpc-health-check and @grpc/reflection), and require() loads
// them quickly anyway.
import { rmSync } from 'node:fs'
import { build } from 'esbuild'

const EXTERNAL = ['@grpc/*', 'grpc-health-check', 'protobufjs', 'protobufjs/*', 'prom-client', 'ioredis']

// Chunk names change with their content: an earlier build's chunks would otherwise linger.
rmSync('dist/bundle', { recursive: true, force: true })

await build({
  entryPoints: ['dist/node/cli.js'],
  outdir: 'dist/bundle',
  bundle: true,
  // dynamic imports stay lazy: the node itself loads only for `camos start`, ioredis only for --redis
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  // bundled CommonJS modules call require(); an ES module has none of its own
  banner: { js: "import { createRequire as __camosCreateRequire } from 'node:module'; const require = __camosCreateRequire(import.meta.url);" },
  logLevel: 'warning'
})
