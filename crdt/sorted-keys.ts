/**
 * The keys of a set held elsewhere (`has` answers membership), in code-unit order for cheap
 * prefix walks: a sorted array plus a buffer of recent additions, merged lazily (one O(n) merge
 * per walk that follows additions) instead of an O(n) splice per insert. A key that left the set
 * stays in the array, skipped by walks, until a merge or compaction drops it.
 */
export class SortedKeys {
  private sorted: string[] = []
  private added: string[] = []
  private stale = 0

  constructor (private readonly has: (key: string) => boolean) {}

  /** A key that just joined the set. */
  add (key: string): void {
    this.added.push(key)
  }

  /** A key just left the set. */
  deleted (): void {
    this.stale++
  }

  /** Keys starting with `prefix`, in code-unit order. */
  * withPrefix (prefix: string): Generator<string> {
    this.settle()
    const keys = this.sorted
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (keys[mid] < prefix) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < keys.length && keys[i].startsWith(prefix); i++) {
      if (this.has(keys[i])) yield keys[i]
    }
  }

  private settle (): void {
    if (this.added.length === 0) {
      if (this.stale > 64 && this.stale * 2 > this.sorted.length) {
        this.sorted = this.sorted.filter(k => this.has(k))
        this.stale = 0
      }
      return
    }
    // A key that left and joined again since the last merge is in both lists, or twice in
    // `added`: equal neighbours after the merge are written once.
    const add = this.added.sort()
    this.added = []
    const a = this.sorted
    const out: string[] = []
    let i = 0
    let j = 0
    while (i < a.length || j < add.length) {
      const next = j >= add.length || (i < a.length && a[i] <= add[j]) ? a[i++] : add[j++]
      if (this.has(next) && out[out.length - 1] !== next) out.push(next)
    }
    this.sorted = out
    this.stale = 0
  }
}
