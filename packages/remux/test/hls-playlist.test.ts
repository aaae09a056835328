import { describe, expect, it } from 'vitest';
import { Parser } from 'm3u8-parser';
import type { MediaMessage } from '@livegate/ingest';
import { HlsSegmenter, type HlsSegmenterOptions, MediaPlaylist, renderMediaPlaylist, type SegmentEvent } from '../src/hls/index.js';
import { makeStream } from './hls-test-stream.js';
import { demuxTs } from './mpegts-test-demuxer.js';

const T0 = Date.UTC(2024, 0, 1);

/** A segmenter whose clock follows the media (now = T0 + dts) and records its events. */
function rig(opts: HlsSegmenterOptions = {}) {
  let clock = T0;
  const events: SegmentEvent[] = [];
  const seg = new HlsSegmenter({ now: () => clock, onSegment: (e) => events.push(e), ...opts });
  const feed = (msgs: MediaMessage[], offset = 0) => {
    for (const m of msgs) {
      clock = T0 + offset + m.dts;
      seg.push(m);
    }
  };
  return { seg, events, feed };
}

describe('HLS media playlist (RFC 8216 4.3.3), input → canonical text', () => {
  it('video + audio, 1 s GOP, 5 s then end()', () => {
    const { seg, feed } = rig();
    expect(seg.playlist()).toBeUndefined();
    feed(makeStream({ durationMs: 5000 }));
    seg.end();
    expect(seg.playlist()).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:2',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00.000Z',
        '#EXTINF:2.000,',
        'seg-0.ts',
        '#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:02.000Z',
        '#EXTINF:2.000,',
        'seg-1.ts',
        '#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:04.000Z',
        '#EXTINF:1.000,',
        'seg-2.ts',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
    expect(seg.stats).toMatchObject({ segmentsProduced: 3, errors: 0, forcedCuts: 0 });
  });

  it('without an injected clock there is no PROGRAM-DATE-TIME; m3u8-parser reads the playlist', () => {
    const seg = new HlsSegmenter({ targetDurationMs: 1000 });
    for (const m of makeStream({ durationMs: 3000 })) seg.push(m);
    const text = seg.playlist()!;
    expect(text).not.toContain('PROGRAM-DATE-TIME');
    const p = new Parser();
    p.push(text);
    p.end();
    expect(p.manifest.targetDuration).toBe(1);
    expect(p.manifest.mediaSequence).toBe(0);
    expect(p.manifest.segments.map((s: { uri: string; duration: number }) => [s.uri, s.duration])).toEqual([['seg-0.ts', 1], ['seg-1.ts', 1]]);
    expect(p.manifest.endList).toBeUndefined();
  });

  it('the media sequence grows with the sliding window and memory stays at window + grace', () => {
    const { seg, feed, events } = rig({ playlistLength: 3, graceSegments: 2, targetDurationMs: 1000 });
    const stream = makeStream({ durationMs: 12_000 });
    let maxRetained = 0;
    for (const m of stream) {
      feed([m]);
      maxRetained = Math.max(maxRetained, seg.stats.retainedSegments);
    }
    expect(events.length).toBe(11);
    expect(maxRetained).toBe(5);
    const text = seg.playlist()!;
    expect(text).toContain('#EXT-X-MEDIA-SEQUENCE:8\n');
    expect(text.match(/^seg-\d+\.ts$/gm)).toEqual(['seg-8.ts', 'seg-9.ts', 'seg-10.ts']);
    expect(seg.segment('seg-5.ts')).toBeUndefined();
    expect(seg.segment('seg-6.ts')).toBeDefined(); // grace
    expect(seg.segment('seg-10.ts')!.length).toBe(events[10]!.bytes);
    expect(seg.stats.retainedBytes).toBe(events.slice(6).reduce((n, e) => n + e.bytes, 0));
  });

  it('discontinuity(): a republish starting at 0 ms gets EXT-X-DISCONTINUITY, names keep counting, DISCONTINUITY-SEQUENCE once it slides out', () => {
    const { seg, feed } = rig({ playlistLength: 3 });
    feed(makeStream({ durationMs: 4000, startMs: 10_000 }));
    seg.discontinuity();
    feed(makeStream({ durationMs: 4000 }), 20_000);
    seg.end();
    expect(seg.playlist()).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:2',
        '#EXT-X-MEDIA-SEQUENCE:1',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:12.000Z',
        '#EXTINF:2.000,',
        'seg-1.ts',
        '#EXT-X-DISCONTINUITY',
        '#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:20.000Z',
        '#EXTINF:2.000,',
        'seg-2.ts',
        '#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:22.000Z',
        '#EXTINF:2.000,',
        'seg-3.ts',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
    // the first segment after the break flags the TS discontinuity_indicator too
    const first = demuxTs(seg.segment('seg-2.ts')!).pes;
    expect([first[0]!.randomAccess, first[0]!.discontinuity, first[1]!.discontinuity]).toEqual([true, true, false]);
    expect(demuxTs(seg.segment('seg-3.ts')!).pes.some((p) => p.discontinuity)).toBe(false);
    feed(makeStream({ durationMs: 6000 }), 30_000); // a new publish after end() reopens the playlist
    const after = seg.playlist()!;
    expect(after).not.toContain('#EXT-X-ENDLIST');
    expect(after).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
    expect(after.match(/^seg-\d+\.ts$/gm)).toEqual(['seg-3.ts', 'seg-4.ts', 'seg-5.ts']); // 4..6 s still open
    expect(after.split('\n').indexOf('seg-4.ts') - after.split('\n').indexOf('#EXT-X-DISCONTINUITY')).toBe(3);
  });

  it('timestamp jumps (forward > 10 s, backwards) close the segment and mark a discontinuity', () => {
    const { seg, feed } = rig();
    feed(makeStream({ durationMs: 3000 }));
    feed(makeStream({ durationMs: 3000, startMs: 60_000 }).filter((m) => m.kind !== 'data' && m.packet === 'frame'));
    feed(makeStream({ durationMs: 3000, startMs: 1000 }).filter((m) => m.kind !== 'data' && m.packet === 'frame'));
    seg.end();
    const text = seg.playlist()!;
    expect(seg.stats.timestampJumps).toBe(2);
    expect(text.match(/#EXTINF:[\d.]+/g)).toEqual(['#EXTINF:2.000', '#EXTINF:1.000', '#EXTINF:2.000', '#EXTINF:1.000', '#EXTINF:2.000', '#EXTINF:1.000']);
    expect(text.match(/#EXT-X-DISCONTINUITY\n/g)!.length).toBe(2);
  });

  it('EXT-X-TARGETDURATION is the ceiling of the longest segment and never decreases', () => {
    const { seg, feed } = rig();
    feed(makeStream({ durationMs: 5000, gop: 63 })); // keyframes every 2.52 s
    expect(seg.playlist()).toContain('#EXT-X-TARGETDURATION:3\n');
    expect(seg.playlist()).toContain('#EXTINF:2.520,');
    seg.discontinuity();
    feed(makeStream({ durationMs: 8000, gop: 25 }), 10_000);
    expect(seg.playlist()).toContain('#EXT-X-TARGETDURATION:3\n');
  });

  it('audio-only streams cut on audio frames by duration', () => {
    const { seg, feed } = rig();
    feed(makeStream({ durationMs: 6050, video: false }));
    seg.end();
    const text = seg.playlist()!;
    // cuts at the first AAC frame >= 2 s into the segment: frame 87 (2020 ms), frame 174 (4040 ms);
    // the last segment ends at frame 259 (6014 ms) + 1024/44.1 ms
    expect(text.match(/#EXTINF:[\d.]+/g)).toEqual(['#EXTINF:2.020', '#EXTINF:2.020', '#EXTINF:1.997']);
    expect(text).toContain('#EXT-X-TARGETDURATION:3\n');
    const d = demuxTs(seg.segment('seg-1.ts')!);
    expect(d.streams).toEqual([{ type: 0x0f, pid: 0x101 }]);
    expect(d.pcrPid).toBe(0x101);
  });

  it('video-only streams', () => {
    const { seg, feed } = rig();
    feed(makeStream({ durationMs: 4200, audio: false }));
    seg.end();
    expect(seg.playlist()!.match(/#EXTINF:[\d.]+/g)).toEqual(['#EXTINF:2.000', '#EXTINF:2.000', '#EXTINF:0.200']);
    expect(demuxTs(seg.segment('seg-0.ts')!).streams).toEqual([{ type: 0x1b, pid: 0x100 }]);
  });

  it('waits for the first keyframe and drops frames before configs (counted, reported once)', () => {
    const errors: string[] = [];
    const { seg, feed } = rig({ onError: (e) => errors.push(e.code) });
    const s = makeStream({ durationMs: 3000 });
    const frames = s.filter((m) => m.kind !== 'data' && m.packet === 'frame');
    feed(frames.slice(0, 10)); // no configs yet
    feed(s.filter((m) => m.kind !== 'data' && m.packet === 'config'));
    feed(frames.filter((m) => m.kind === 'video' && !m.keyframe).slice(0, 5));
    expect(seg.stats.errors).toBe(10);
    expect(errors).toEqual(['ERR_REMUX_NO_CONFIG']);
    expect(seg.stats.skippedFrames).toBe(5);
    expect(seg.playlist()).toBeUndefined();
  });

  it('a stream without keyframes is force-cut at the size bound, so memory stays bounded', () => {
    const { seg, feed, events } = rig({ maxSegmentBytes: 64 * 1024, playlistLength: 2, graceSegments: 1 });
    let maxPending = 0;
    let maxRetained = 0;
    for (const m of makeStream({ durationMs: 20_000, gop: 0, frameBytes: 3000 })) {
      feed([m]);
      maxPending = Math.max(maxPending, seg.stats.pendingBytes);
      maxRetained = Math.max(maxRetained, seg.stats.retainedSegments);
    }
    expect(seg.stats.forcedCuts).toBeGreaterThan(10);
    expect(events.every((e) => e.bytes < 64 * 1024 + 4 * 1024)).toBe(true);
    expect(maxPending).toBeLessThan(64 * 1024 + 4 * 1024);
    expect(maxRetained).toBe(3);
  });

  it('unsupported codecs are reported once and dropped', () => {
    const errors: string[] = [];
    const seg = new HlsSegmenter({ onError: (e) => errors.push(e.message) });
    const body = Buffer.from([0x12, 0, 0]);
    for (let i = 0; i < 3; i++) seg.push({ kind: 'video', codec: 'vp6', fourcc: undefined, packet: 'frame', dts: i, pts: i, keyframe: true, body, payload: body });
    expect(errors).toEqual(["video codec 'vp6' cannot go into MPEG-TS HLS (supported: avc, hevc)"]);
    expect(seg.stats.errors).toBe(3);
  });
});

describe('MediaPlaylist model + renderer', () => {
  it('renders EXT-X-MAP for formats with an init section, DISCONTINUITY-SEQUENCE only when non-zero', () => {
    const p = new MediaPlaylist({ window: 1, version: 7 });
    p.append({ sequence: 4, uri: 'a.m4s', durationMs: 1500, discontinuity: true, programDateTimeMs: undefined, bytes: 1 });
    p.append({ sequence: 5, uri: 'b.m4s', durationMs: 999, discontinuity: false, programDateTimeMs: undefined, bytes: 1 });
    expect(renderMediaPlaylist(p, 'init.mp4')).toBe(
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:5\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:0.999,\nb.m4s\n',
    );
  });
});
