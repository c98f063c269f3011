/** The package version, read from package.json whether running from source or from dist/. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'camos-node'

export function packageVersion (): string {
  const here = dirname(fileURLToPath(import.meta.url))
  for (const dir of [resolve(here, '..'), resolve(here, '..', '..')]) {
    const path = join(dir, 'package.json')
    if (!existsSync(path)) continue
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string, version?: string }
    if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version
  }
  return '0.0.0-unknown'
}
