/**
 * Regenerates the error-code table of README.md (between the errors:begin/end markers) from
 * kernel/errors.ts, so the documented table and the code cannot drift apart
 * (test/kernel/errors.test.ts fails when they do).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { status } from '@grpc/grpc-js'
import { ERROR_CODES } from '../kernel/errors.js'

export function errorTableRows (): string {
  return Object.entries(ERROR_CODES)
    .map(([code, info]) => `| \`${code}\` | ${status[info.grpc]} | ${info.description} |`)
    .join('\n')
}

const BEGIN = '<!-- errors:begin -->'
const END = '<!-- errors:end -->'

if (process.argv[1]?.endsWith('gen-docs.js') === true) {
  const readme = readFileSync('README.md', 'utf8')
  const start = readme.indexOf(BEGIN)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error('README.md lacks the errors:begin/end markers')
  writeFileSync('README.md', readme.slice(0, start + BEGIN.length) + '\n' + errorTableRows() + '\n' + readme.slice(end))
  console.log('README.md error table updated')
}
