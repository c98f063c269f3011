/**
 * Stuck links: only a link whose every ack comes late, while this node's other links keep up and
 * every other peer reaches that peer directly, is reported, after it stayed so for `forMs`, and
 * once per cooldown.
 */
import { describe, expect, it } from 'vitest'
import { createStuckLinks, type LinkView } from '../../../transport/sync/stuck-links.js'

interface Link extends LinkView {
  late: boolean
  prompt: boolean
  direct: Set<string>
}

function links (): Map<string, Link> {
  const peers = ['a', 'b', 'c', 'd']
  return new Map(peers.map(peer => [peer, {
    peer,
    late: false,
    prompt: true,
    direct: new Set(peers.filter(p => p !== peer)),
    acking (this: Link) { return this.prompt },
    ackingLate (this: Link) { return this.late }
  }]))
}

function run (stuck: ReturnType<typeof createStuckLinks>, all: Map<string, Link>, from: number, to: number): Array<[string, number]> {
  const reported: Array<[string, number]> = []
  for (let now = from; now <= to; now += 100) stuck.check(now, all.values(), (peer, ms) => reported.push([peer, ms]))
  return reported
}

function stuckOn (all: Map<string, Link>, peer: string): void {
  const link = all.get(peer) as Link
  link.late = true
  link.prompt = false
}

describe('stuck links', () => {
  it('reports a link whose every ack comes late after forMs, once per cooldown', () => {
    const stuck = createStuckLinks({ lateMs: 250, forMs: 1_000, cooldownMs: 10_000 })
    const all = links()
    stuckOn(all, 'a')
    expect(run(stuck, all, 0, 900), 'not before forMs').toEqual([])
    expect(run(stuck, all, 1_000, 1_000)).toEqual([['a', 1_000]])
    expect(run(stuck, all, 1_100, 10_900), 'the cooldown holds the next report back').toEqual([])
    expect(run(stuck, all, 11_000, 11_000), 'stuck since the check after the last report').toEqual([['a', 9_900]])
  })

  it('waits twice as long after each replacement that did not help, and starts over after one that did', () => {
    const stuck = createStuckLinks({ lateMs: 250, forMs: 1_000, cooldownMs: 10_000, maxCooldownMs: 30_000 })
    const all = links()
    stuckOn(all, 'a')
    const times: number[] = []
    const check = (from: number, to: number): void => {
      for (let now = from; now <= to; now += 100) stuck.check(now, all.values(), () => { times.push(now) })
    }
    // Stuck throughout: reported at 1 s, then 10, 20 and 30 (the cap) s apart.
    check(0, 100_000)
    expect(times).toEqual([1_000, 11_000, 31_000, 61_000, 91_000])
    // Keeping up for longer than twice the last wait: the next waits are 10 s again.
    const a = all.get('a') as Link
    a.late = false
    check(100_100, 160_000)
    a.late = true
    check(160_100, 175_000)
    expect(times.slice(5)).toEqual([161_100, 171_100])
  })

  it('starts over when the link keeps up for a moment', () => {
    const stuck = createStuckLinks({ lateMs: 250, forMs: 1_000 })
    const all = links()
    stuckOn(all, 'a')
    run(stuck, all, 0, 800)
    const a = all.get('a') as Link
    a.late = false
    run(stuck, all, 900, 900)
    a.late = true
    expect(run(stuck, all, 1_000, 1_900)).toEqual([])
    expect(run(stuck, all, 2_000, 2_000)).toEqual([['a', 1_000]])
  })

  it('leaves the links alone when this node\'s other links are late as well (its own uplink is slow)', () => {
    const stuck = createStuckLinks({ lateMs: 250, forMs: 1_000 })
    const all = links()
    for (const peer of all.keys()) stuckOn(all, peer)
    expect(run(stuck, all, 0, 5_000)).toEqual([])
    // One other link keeping up is enough to tell the node's uplink is fine.
    ;(all.get('b') as Link).prompt = true
    expect(run(stuck, all, 5_100, 6_100).map(([peer]) => peer).sort()).toEqual(['a', 'c', 'd'])
  })

  it('leaves a peer alone that some other peer does not reach directly (paused, slow or capped itself)', () => {
    const stuck = createStuckLinks({ lateMs: 250, forMs: 1_000 })
    const all = links()
    stuckOn(all, 'a')
    ;(all.get('c') as Link).direct.delete('a')
    expect(run(stuck, all, 0, 5_000)).toEqual([])
  })

  it('needs other peers to compare with', () => {
    const stuck = createStuckLinks({ lateMs: 250, forMs: 1_000 })
    const all = links()
    stuckOn(all, 'a')
    expect(run(stuck, new Map([['a', all.get('a') as Link]]), 0, 5_000)).toEqual([])
  })
})
