import { describe, expect, it } from 'vitest';
import type { LiveStream, StreamBus } from '@livegate/ingest';
import { StreamStatsSampler } from '../src/stats.js';

describe('StreamStatsSampler', () => {
  it('out bitrate is what the current outputs were sent since the last sample; a viewer leaving never makes it negative', () => {
    const s = { stats: { bytesIn: 0, videoFrames: 0 } } as unknown as LiveStream;
    const bus = { streams: () => [s] } as unknown as StreamBus;
    let t = 0;
    let outputs: [string, number][] = [];
    const sampler = new StreamStatsSampler(bus, () => outputs, () => t);
    sampler.close();

    outputs = [['a', 1_000], ['b', 5_000]];
    sampler.sample();
    t = 1000;
    outputs = [['a', 2_000], ['b', 6_000]]; // each got 1,000 bytes
    s.stats.bytesIn = 3_000;
    s.stats.videoFrames = 30;
    sampler.sample();
    expect(sampler.get(s)).toEqual({ bitrateIn: 24_000, fps: 30, bitrateOut: 16_000 });

    t = 2000;
    outputs = [['a', 3_000], ['c', 500]]; // b (6,000 bytes) left; c joined and got 500
    sampler.sample();
    expect(sampler.get(s).bitrateOut).toBe((1_000 + 500) * 8);
  });
});
