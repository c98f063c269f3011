/**
 * Seeded randomness for tests: the seed comes from CAMOS_TEST_SEED or is drawn fresh, and is
 * printed so a failing run can be replayed.
 */
import { randomInt } from 'node:crypto'

/** The product's seeded PRNG (mulberry32), so tests and chaos schedules replay alike. */
export { createSeededRng as createRng } from '../../transport/faults.js'

export function testSeed (label: string): number {
  const seed = process.env.CAMOS_TEST_SEED !== undefined ? Number(process.env.CAMOS_TEST_SEED) : randomInt(2 ** 31)
  console.log(`[seed] ${label}: ${seed} (replay with CAMOS_TEST_SEED=${seed})`)
  return seed
}
