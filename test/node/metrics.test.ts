import { describe, expect, it } from 'vitest'
import { createNodeMetrics } from '../../node/metrics.js'

function sample (text: string, series: string): number | undefined {
  const line = text.split('\n').find(l => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('node metrics', () => {
  it('counts sync frames and bytes per direction and kind, cumulatively across scrapes', async () => {
    const metrics = createNodeMetrics({ nodeId: 'n1', version: 'test', defaultMetrics: false })
    const before = await metrics.render()
    expect(before).not.toMatch(/^camos_sync_frames_total\{/m)
    expect(before).not.toMatch(/^camos_sync_bytes_total\{/m)

    for (let i = 0; i < 3; i++) metrics.sync.frameIn('peer-a', 'update', 100)
    metrics.sync.frameIn('peer-b', 'ack', 7)
    metrics.sync.frameOut('peer-a', 'ack', 9)
    const first = await metrics.render()
    expect(sample(first, 'camos_sync_frames_total{direction="in",kind="update"}')).toBe(3)
    expect(sample(first, 'camos_sync_frames_total{direction="in",kind="ack"}')).toBe(1)
    expect(sample(first, 'camos_sync_frames_total{direction="out",kind="ack"}')).toBe(1)
    expect(sample(first, 'camos_sync_frames_total{direction="out",kind="update"}')).toBeUndefined()
    expect(sample(first, 'camos_sync_bytes_total{direction="in",kind="update"}')).toBe(300)
    expect(sample(first, 'camos_sync_bytes_total{direction="in",kind="ack"}')).toBe(7)
    expect(sample(first, 'camos_sync_bytes_total{direction="out",kind="ack"}')).toBe(9)
    expect(sample(first, 'camos_sync_bytes_total{direction="out",kind="update"}')).toBeUndefined()

    metrics.sync.frameOut('peer-b', 'update', 50)
    const second = await metrics.render()
    expect(sample(second, 'camos_sync_frames_total{direction="in",kind="update"}')).toBe(3)
    expect(sample(second, 'camos_sync_frames_total{direction="out",kind="update"}')).toBe(1)
    expect(sample(second, 'camos_sync_bytes_total{direction="in",kind="update"}')).toBe(300)
    expect(sample(second, 'camos_sync_bytes_total{direction="out",kind="update"}')).toBe(50)
    expect(sample(second, 'camos_sync_bytes_total{direction="out",kind="ack"}')).toBe(9)
  })

  it('counts the links found stuck whose connections were replaced', async () => {
    const metrics = createNodeMetrics({ nodeId: 'n1', version: 'test', defaultMetrics: false })
    expect(sample(await metrics.render(), 'camos_sync_stuck_links_total')).toBe(0)
    metrics.sync.linkStuck('peer-a')
    metrics.sync.linkStuck('peer-b')
    expect(sample(await metrics.render(), 'camos_sync_stuck_links_total')).toBe(2)
  })

  it('counts the losses of carrier on the cluster link', async () => {
    const metrics = createNodeMetrics({ nodeId: 'n1', version: 'test', defaultMetrics: false })
    expect(sample(await metrics.render(), 'camos_p2p_carrier_losses_total')).toBe(0)
    metrics.p2p.carrierLost(1)
    metrics.p2p.carrierLost(2)
    expect(sample(await metrics.render(), 'camos_p2p_carrier_losses_total')).toBe(3)
  })
})
