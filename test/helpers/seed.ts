/**
 * Seeded randomness for tests: the seed comes from CAMOS_TEST_SEED or is drawn fresh, and is
 * printed so a failing run can be replayed.
 */
import { randomInt } from 'node:crypto'

/** mulberry32: small, fast, good enough for test data. */
export function createRng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function testSeed (label: string): number {
  const seed = process.env.CAMOS_TEST_SEED !== undefined ? Number(process.env.CAMOS_TEST_SEED) : randomInt(2 ** 31)
  console.log(`[seed] ${label}: ${seed} (replay with CAMOS_TEST_SEED=${seed})`)
  return seed
}
