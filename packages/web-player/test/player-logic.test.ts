import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_MS, backoffDelay } from '../src/player/backoff.js';
import { bufferedEndAt, edgeAction, FLV_EDGE } from '../src/player/live-edge.js';
import { parseProtocol, pickProtocol, type Protocol } from '../src/player/protocols.js';
import { parseServerMessage } from '../src/chat/messages.js';

const ranges = (...r: Array<[number, number]>) => ({ length: r.length, start: (i: number) => r[i]![0], end: (i: number) => r[i]![1] });

describe('live-edge policy (FLV)', () => {
  // [buffered end, currentTime, playbackRate] -> action (FLV_EDGE: target 0.15, catch up above 0.25, jump above 3)
  const table: Array<[string, number, number, number, ReturnType<typeof edgeAction>]> = [
    ['at the edge: nothing', 10.1, 10, 1, { kind: 'none' }],
    ['0.2 s behind: not yet', 10.2, 10, 1, { kind: 'none' }],
    ['0.5 s behind: play faster', 10.5, 10, 1, { kind: 'rate', rate: FLV_EDGE.rate }],
    ['catching up, still 0.2 s behind: keep the rate', 10.2, 10, FLV_EDGE.rate, { kind: 'none' }],
    ['caught up to the target: normal speed', 10.125, 10, FLV_EDGE.rate, { kind: 'rate', rate: 1 }],
    ['4 s behind: jump near the edge', 14, 10, 1, { kind: 'seek', to: 14 - FLV_EDGE.target }],
    ['no buffer: normal speed', Number.NaN, 10, FLV_EDGE.rate, { kind: 'rate', rate: 1 }],
    ['no buffer at rate 1: nothing', Number.NaN, 10, 1, { kind: 'none' }],
  ];
  for (const [name, end, t, rate, want] of table) it(name, () => expect(edgeAction(end, t, rate, FLV_EDGE)).toEqual(want));

  it('just started on a GOP-cache keyframe 1.8 s behind: seek to the edge at once; later only catch up', () => {
    expect(edgeAction(11.8, 10, 1, FLV_EDGE, true)).toEqual({ kind: 'seek', to: 11.8 - FLV_EDGE.target });
    expect(edgeAction(11.8, 10, 1, FLV_EDGE, false)).toEqual({ kind: 'rate', rate: FLV_EDGE.rate });
    expect(edgeAction(10.3, 10, 1, FLV_EDGE, true)).toEqual({ kind: 'seek', to: 10.3 - FLV_EDGE.target }); // 0.15 s to gain
    expect(edgeAction(10.2, 10, 1, FLV_EDGE, true)).toEqual({ kind: 'none' }); // close enough already
  });

  it('bufferedEndAt picks the range holding the playhead', () => {
    expect(bufferedEndAt(ranges([0, 4], [6, 9]), 7)).toBe(9);
    expect(bufferedEndAt(ranges([0, 4], [6, 9]), 2)).toBe(4);
    expect(bufferedEndAt(ranges([0, 4], [6, 9]), 5)).toBe(9);
    expect(bufferedEndAt(ranges(), 5)).toBeNaN();
  });
});

describe('reconnect backoff', () => {
  it('doubles from 0.5 s to a 5 s cap, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, mid))).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(backoffDelay(0, () => 0)).toBe(400);
    expect(backoffDelay(20, () => 1)).toBe(BACKOFF_MAX_MS * 1.2);
  });
});

describe('protocol choice', () => {
  const all = new Set<Protocol>(['flv', 'ws', 'hls']);
  const iphone = new Set<Protocol>(['hls']); // no MSE: native HLS only
  it('uses ?protocol= when supported, HTTP-FLV by default, HLS without MSE', () => {
    expect(pickProtocol(parseProtocol('ws'), all)).toBe('ws');
    expect(pickProtocol(parseProtocol('hls'), all)).toBe('hls');
    expect(pickProtocol(parseProtocol(null), all)).toBe('flv');
    expect(pickProtocol(parseProtocol('rtmp'), all)).toBe('flv');
    expect(pickProtocol(parseProtocol('flv'), iphone)).toBe('hls');
  });
});

describe('server messages', () => {
  it('accepts the known shapes and ignores anything else', () => {
    expect(parseServerMessage('{"type":"chat","id":1,"nick":"a","text":"<b>","ts":5}')).toEqual({ type: 'chat', id: 1, nick: 'a', text: '<b>', ts: 5, replay: false });
    expect(parseServerMessage('{"type":"viewers","count":3}')).toEqual({ type: 'viewers', count: 3 });
    expect(parseServerMessage('{"type":"chat","id":"1","nick":"a","text":"x"}')).toBeUndefined();
    expect(parseServerMessage('{"type":"html","html":"<script>"}')).toBeUndefined();
    expect(parseServerMessage('not json')).toBeUndefined();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeUndefined();
  });
});
