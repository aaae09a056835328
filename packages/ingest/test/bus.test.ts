import { describe, expect, it } from 'vitest';
import { StreamBus, type CloseReason, type MediaMessage, type Sink, type VideoMessage, type AudioMessage, type DataMessage } from '../src/index.js';

const video = (dts: number, keyframe: boolean, size = 100, packet: VideoMessage['packet'] = 'frame'): VideoMessage => {
  const body = Buffer.alloc(size);
  return { kind: 'video', codec: 'avc', fourcc: undefined, packet, dts, pts: dts, keyframe, body, payload: body.subarray(5) };
};
const audio = (dts: number, packet: AudioMessage['packet'] = 'frame'): AudioMessage => {
  const body = Buffer.alloc(20);
  return { kind: 'audio', codec: 'aac', fourcc: undefined, packet, dts, pts: dts, soundRate: 44100, soundSize: 16, channels: 2, body, payload: body.subarray(2) };
};
const meta = (): DataMessage => ({ kind: 'data', dts: 0, pts: 0, name: 'onMetaData', args: [{}], body: Buffer.from('meta') });

class FakeSink implements Sink {
  got: MediaMessage[] = [];
  closedWith: CloseReason | undefined;
  pending = 0;
  /** When false, written bytes stay pending (a stalled socket). */
  drains = true;
  backlog(): number {
    return this.pending;
  }
  write(msg: MediaMessage): void {
    this.got.push(msg);
    if (!this.drains) this.pending += msg.body.length;
  }
  close(reason: CloseReason): void {
    expect(this.closedWith).toBeUndefined();
    this.closedWith = reason;
  }
}

const pub = { id: 'c1', protocol: 'rtmp', remoteAddress: '127.0.0.1' } as const;

describe('StreamBus', () => {
  it('gives a late joiner metadata, configs, then the GOP from the last keyframe', () => {
    const bus = new StreamBus();
    const s = bus.publish('live', 'a', pub, () => {});
    const m = meta();
    const vc = video(0, false, 30, 'config');
    const ac = audio(0, 'config');
    s.push(m);
    s.push(vc);
    s.push(ac);
    s.push(video(0, true));
    s.push(video(33, false));
    const k2 = video(66, true);
    s.push(k2);
    const a1 = audio(70);
    s.push(a1);
    const v3 = video(99, false);
    s.push(v3);
    const sink = new FakeSink();
    bus.subscribe('live', 'a', sink);
    expect(sink.got).toEqual([m, vc, ac, k2, a1, v3]);
    const v4 = video(132, false);
    s.push(v4);
    expect(sink.got.at(-1)).toBe(v4);
    // the body is the very same Buffer, not a copy
    expect(sink.got.at(-1)!.body).toBe(v4.body);
  });

  it('makes a joiner wait for the next keyframe when nothing is cached', () => {
    const bus = new StreamBus();
    const s = bus.publish('live', 'a', pub, () => {});
    s.push(video(0, false, 30, 'config'));
    s.push(video(0, false)); // no keyframe yet
    const sink = new FakeSink();
    bus.subscribe('live', 'a', sink);
    expect(sink.got.map((m) => m.kind === 'video' && m.packet)).toEqual(['config']);
    s.push(audio(10));
    s.push(video(33, false));
    expect(sink.got).toHaveLength(1);
    const k = video(66, true);
    s.push(k);
    expect(sink.got.at(-1)).toBe(k);
    expect(bus.counters.framesDropped).toBe(0);
  });

  it('bounds the GOP cache in bytes and in time', () => {
    const bus = new StreamBus({ limits: { gopCacheMaxBytes: 1000, gopCacheMaxMs: 500 } });
    const s = bus.publish('live', 'a', pub, () => {});
    s.push(video(0, true, 100));
    for (let i = 1; i <= 8; i++) s.push(video(i * 10, false, 100));
    expect(s.gopCacheBytes).toBe(900);
    s.push(video(90, false, 200)); // 1100 > 1000: dropped
    expect(s.gopCacheLength).toBe(0);
    expect(s.gopCacheBytes).toBe(0);
    s.push(video(100, true, 10));
    s.push(video(700, false, 10)); // 600 ms > 500 ms
    expect(s.gopCacheLength).toBe(0);
  });

  it('skips a slow subscriber to the next keyframe and then closes it, without touching the others', () => {
    let t = 0;
    const bus = new StreamBus({ now: () => t, limits: { subscriberMaxBacklogBytes: 1000, subscriberMaxBehindMs: 5000 } });
    const s = bus.publish('live', 'a', pub, () => {});
    s.push(video(0, true));
    const slow = new FakeSink();
    slow.drains = false;
    const fast = new FakeSink();
    bus.subscribe('live', 'a', slow);
    bus.subscribe('live', 'a', fast);
    let dts = 0;
    const pushFrame = (key: boolean) => {
      dts += 33;
      t += 33;
      s.push(video(dts, key, 100));
    };
    for (let i = 0; i < 20; i++) pushFrame(false);
    // slow stopped receiving once its backlog passed 1000 bytes
    expect(slow.got.length).toBeLessThan(13);
    expect(fast.got.length).toBe(21);
    // the socket drains; the slow viewer resumes only at a keyframe
    slow.pending = 0;
    pushFrame(false);
    const before = slow.got.length;
    expect(before).toBeLessThan(13);
    pushFrame(true);
    expect(slow.got.length).toBe(before + 1);
    expect((slow.got.at(-1) as VideoMessage).keyframe).toBe(true);
    // stalls again and stays behind: closed after 5 s
    for (let i = 0; i < 200 && slow.closedWith === undefined; i++) pushFrame(false);
    expect(slow.closedWith).toBe('slow');
    expect(bus.counters.subscribersClosedSlow).toBe(1);
    expect(s.subscriberCount).toBe(1);
    expect(fast.closedWith).toBeUndefined();
    expect(fast.got.length).toBe(dts / 33 + 1);
  });

  it('always passes sequence headers to a skipping subscriber', () => {
    const bus = new StreamBus({ limits: { subscriberMaxBacklogBytes: 10 } });
    const s = bus.publish('live', 'a', pub, () => {});
    s.push(video(0, true));
    const sink = new FakeSink();
    sink.drains = false;
    bus.subscribe('live', 'a', sink);
    s.push(video(33, false));
    const cfg = video(40, false, 30, 'config');
    s.push(cfg);
    expect(sink.got.at(-1)).toBe(cfg);
  });

  it('refuses a second publisher, or replaces the first when configured', () => {
    const bus = new StreamBus();
    bus.publish('live', 'a', pub, () => {});
    expect(() => bus.publish('live', 'a', { ...pub, id: 'c2' }, () => {})).toThrow(expect.objectContaining({ code: 'ERR_STREAM_TAKEN' }));
    const bus2 = new StreamBus({ onConflict: 'replace' });
    const kicked: CloseReason[] = [];
    const first = bus2.publish('live', 'a', pub, (r) => kicked.push(r));
    const sink = new FakeSink();
    first.subscribe(sink);
    const second = bus2.publish('live', 'a', { ...pub, id: 'c2' }, () => {});
    expect(kicked).toEqual(['replaced']);
    expect(sink.closedWith).toBe('replaced');
    expect(bus2.get('live', 'a')).toBe(second);
  });

  it('ends every subscriber at once on unpublish, and a later publish starts again', () => {
    const bus = new StreamBus();
    const events: string[] = [];
    bus.on('publish', (s) => events.push(`publish ${s.key}`));
    bus.on('unpublish', (s, r) => events.push(`unpublish ${s.key} ${r}`));
    const s = bus.publish('live', 'a', pub, () => {});
    const sinks = [new FakeSink(), new FakeSink(), new FakeSink()];
    for (const k of sinks) s.subscribe(k);
    bus.unpublish(s);
    bus.unpublish(s); // idempotent
    expect(sinks.map((k) => k.closedWith)).toEqual(['ended', 'ended', 'ended']);
    expect(bus.get('live', 'a')).toBeUndefined();
    expect(bus.subscribe('live', 'a', new FakeSink())).toBeUndefined();
    s.push(video(0, true)); // late push from a dying connection is ignored
    const s2 = bus.publish('live', 'a', pub, () => {});
    expect(s2).not.toBe(s);
    expect(events).toEqual(['publish live/a', 'unpublish live/a ended', 'publish live/a']);
  });

  it('starts audio-only subscribers live, resuming a skipped one on any audio frame', () => {
    const bus = new StreamBus({ limits: { subscriberMaxBacklogBytes: 30 } });
    const s = bus.publish('live', 'a', pub, () => {});
    const ac = audio(0, 'config');
    s.push(ac);
    s.push(audio(23));
    const sink = new FakeSink();
    s.subscribe(sink);
    expect(sink.got).toEqual([ac]);
    sink.drains = false;
    s.push(audio(46));
    s.push(audio(69));
    s.push(audio(92)); // backlog 40 > 30: dropped
    expect(sink.got).toHaveLength(3);
    sink.pending = 0;
    s.push(audio(115));
    expect(sink.got).toHaveLength(4);
  });

  it('enforces the stream and subscriber limits', () => {
    const bus = new StreamBus({ limits: { maxStreams: 1, maxSubscribersPerStream: 1 } });
    const s = bus.publish('live', 'a', pub, () => {});
    expect(() => bus.publish('live', 'b', pub, () => {})).toThrow(expect.objectContaining({ code: 'ERR_STREAM_LIMIT' }));
    expect(s.subscribe(new FakeSink())).toBeDefined();
    expect(s.subscribe(new FakeSink())).toBeUndefined();
  });

  it('lets a subscriber leave without affecting the stream', () => {
    const bus = new StreamBus();
    const s = bus.publish('live', 'a', pub, () => {});
    const sink = new FakeSink();
    const sub = s.subscribe(sink)!;
    sub.close('unsubscribed');
    expect(s.subscriberCount).toBe(0);
    s.push(video(0, true));
    expect(sink.got).toHaveLength(0);
  });
});

describe('internal subscribers', () => {
  it('take no viewer slot', () => {
    const bus = new StreamBus({ limits: { maxSubscribersPerStream: 1 } });
    const s = bus.publish('live', 'a', { id: 'c', protocol: 'rtmp', remoteAddress: '127.0.0.1' }, () => {});
    const sink = () => ({ backlog: () => 0, write: () => {}, close: () => {} });
    expect(s.subscribe(sink(), { internal: true })).toBeDefined();
    expect(s.subscribe(sink(), { internal: true })).toBeDefined();
    expect(s.viewerCount).toBe(0);
    expect(s.subscribe(sink())).toBeDefined();
    expect(s.subscribe(sink())).toBeUndefined();
    expect(s.subscriberCount).toBe(3);
  });
});
