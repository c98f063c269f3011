/**
 * The yamux receive-window policy this package patches into @libp2p/yamux (patches/): credit
 * the sender once half the window is used, as go-yamux and rust-yamux do. Upstream sends a
 * WINDOW_UPDATE after every data frame, which doubled the frames on the wire for the small
 * messages sync sends (each one encrypted and written on its own).
 */
import { describe, expect, it } from 'vitest'
import { Uint8ArrayList } from 'uint8arraylist'
import { StreamState, YamuxStream } from '@libp2p/yamux/stream'

const DATA = 0
const WINDOW_UPDATE = 1
const WINDOW = 256 * 1024

function receiver (): { stream: YamuxStream, updates: () => number[] } {
  const sent: Array<{ type: number, length: number }> = []
  const log = Object.assign(() => {}, { enabled: false, error: () => {}, trace: () => {}, newScope: () => log })
  const stream = new YamuxStream({
    id: '1',
    streamId: 1,
    state: StreamState.Established,
    direction: 'inbound',
    log,
    sendFrame: (frame: { type: number, length: number }) => { sent.push(frame); return true },
    getRTT: () => -1
  } as unknown as ConstructorParameters<typeof YamuxStream>[0])
  stream.addEventListener('message', () => {})
  return { stream, updates: () => sent.filter(f => f.type === WINDOW_UPDATE).map(f => f.length) }
}

function receive (stream: YamuxStream, bytes: number): void {
  stream.handleData({ header: { type: DATA, flag: 0, streamID: 1, length: bytes }, data: new Uint8ArrayList(new Uint8Array(bytes)) } as never)
}

describe('yamux receive window (patched)', () => {
  it('sends no window update for small frames until half the window is used, then one for all of it', () => {
    const { stream, updates } = receiver()
    for (let i = 0; i < 200; i++) receive(stream, 100)
    expect(updates()).toEqual([])
    receive(stream, WINDOW / 2)
    expect(updates()).toEqual([WINDOW / 2 + 200 * 100])
  })
})
