// Regenerates proto/gen/ (TypeScript types of camos.v1) from proto/camos/v1/*.proto with
// proto-loader-gen-types, then adds the .js extensions that NodeNext ESM resolution requires.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const out = 'proto/gen'
rmSync(out, { recursive: true, force: true })
execFileSync('npx', [
  'proto-loader-gen-types', '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--arrays',
  '--includeComments', '--grpcLib=@grpc/grpc-js', '-I', 'proto', '-O', out, 'camos/v1/kernel.proto'
], { stdio: 'inherit' })

function walk (dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) { walk(path); continue }
    const text = readFileSync(path, 'utf8').replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.js'")
    writeFileSync(path, text)
  }
}
walk(out)
