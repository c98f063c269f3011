/**
 * A set of strings with cheap prefix walks: a sorted array plus a buffer of recent additions,
 * merged lazily (one O(n) merge per walk that follows additions) instead of an O(n) splice per
 * insert. Deletions only leave the set; the array drops them at the next merge.
 */
export class SortedKeys {
  private sorted: string[] = []
  private added: string[] = []
  private readonly present = new Set<string>()
  private stale = 0

  get size (): number {
    return this.present.size
  }

  has (key: string): boolean {
    return this.present.has(key)
  }

  add (key: string): void {
    if (this.present.has(key)) return
    this.present.add(key)
    this.added.push(key)
  }

  delete (key: string): void {
    if (this.present.delete(key)) this.stale++
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
      if (this.present.has(keys[i])) yield keys[i]
    }
  }

  private settle (): void {
    if (this.added.length === 0) {
      if (this.stale > 64 && this.stale * 2 > this.sorted.length) {
        this.sorted = this.sorted.filter(k => this.present.has(k))
        this.stale = 0
      }
      return
    }
    const add = this.added.sort()
    this.added = []
    const a = this.sorted
    const out: string[] = []
    let i = 0
    let j = 0
    while (i < a.length || j < add.length) {
      const next = j >= add.length || (i < a.length && a[i] <= add[j]) ? a[i++] : add[j++]
      if (this.present.has(next) && out[out.length - 1] !== next) out.push(next)
    }
    this.sorted = out
    this.stale = 0
  }
}
