/** A binary min-heap of (time, key): the next keys whose visibility or garbage changes with time. */
export interface TimedKey {
  at: number
  key: string
}

export class TimeQueue {
  private readonly heap: TimedKey[] = []

  get size (): number {
    return this.heap.length
  }

  peek (): TimedKey | undefined {
    return this.heap[0]
  }

  push (item: TimedKey): void {
    const h = this.heap
    h.push(item)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (h[parent].at <= h[i].at) break
      ;[h[parent], h[i]] = [h[i], h[parent]]
      i = parent
    }
  }

  pop (): TimedKey | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last !== undefined) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && h[l].at < h[m].at) m = l
        if (r < h.length && h[r].at < h[m].at) m = r
        if (m === i) break
        ;[h[m], h[i]] = [h[i], h[m]]
        i = m
      }
    }
    return top
  }

  clear (): void {
    this.heap.length = 0
  }
}

/** The time queue plus the one timer armed for its earliest item. */
export class TimerQueue {
  private readonly heap = new TimeQueue()
  timer: NodeJS.Timeout | undefined
  timerAt = Infinity

  peek (): { at: number, key: string } | undefined { return this.heap.peek() }
  pop (): void { this.heap.pop() }
  push (at: number, key: string): void { this.heap.push({ at, key }) }
  clearTimer (): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
  }
}
