import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataMessage, MediaMessage } from '@livegate/ingest';
import { buildAacTag, buildEnhancedVideoTag, buildLegacyAvcTag, parseAudioTag, parseVideoTag } from '../../ingest/src/flv/index.js';
import { FlvViewerMuxer } from '../src/flv/index.js';
import { isKeyVideoBody, readFlv, scriptName, type ReadFlv } from './flv-reader.js';

function amfString(s: string): Buffer {
  const b = Buffer.alloc(3 + s.length);
  b[0] = 0x02;
  b.writeUInt16BE(s.length, 1);
  b.write(s, 3, 'latin1');
  return b;
}

/** onMetaData with an empty ECMA array (AMF0 marker 8, count 0, object end). */
function metadata(dts: number, wrapped = false): DataMessage {
  const args = Buffer.from('0800000000000009', 'hex');
  const body = Buffer.concat([...(wrapped ? [amfString('@setDataFrame')] : []), amfString('onMetaData'), args]);
  return { kind: 'data', dts, pts: dts, name: 'onMetaData', args: [], body };
}
const videoConfig = (dts: number, sps = '01') =>
  parseVideoTag(buildLegacyAvcTag({ frameType: 1, packetType: 0, payload: Buffer.from(`0164001f${sps}`, 'hex') }), dts);
const video = (dts: number, key: boolean, cts = 0) =>
  parseVideoTag(buildLegacyAvcTag({ frameType: key ? 1 : 2, packetType: 1, cts, payload: Buffer.from(key ? '0000000165' : '0000000141', 'hex') }), dts);
const audioConfig = (dts: number) => parseAudioTag(buildAacTag({ packetType: 0, payload: Buffer.from('1210', 'hex') }), dts);
const audio = (dts: number) => parseAudioTag(buildAacTag({ packetType: 1, payload: Buffer.from('2110', 'hex') }), dts);

function mux(messages: MediaMessage[], opts = { hasAudio: true, hasVideo: true }): { flv: ReadFlv; chunks: Buffer[]; muxer: FlvViewerMuxer } {
  const muxer = new FlvViewerMuxer(opts);
  const chunks = messages.flatMap((m) => muxer.push(m));
  return { flv: readFlv(Buffer.concat(chunks)), chunks, muxer };
}

/** The invariants every muxed stream must hold, checked on the bytes. */
function checkStream(flv: ReadFlv): void {
  const last: Record<number, number> = {};
  let sawVideoFrame = false;
  for (const t of flv.tags) {
    expect(t.timestamp).toBeGreaterThanOrEqual(0);
    expect(t.timestamp).toBeGreaterThanOrEqual(last[t.type] ?? 0);
    last[t.type] = t.timestamp;
    if (t.type === 9) {
      const { config, key } = isKeyVideoBody(t.body);
      if (!config && !sawVideoFrame) expect(key).toBe(true);
      if (!config) sawVideoFrame = true;
    }
    if (t.type === 18) expect(scriptName(t.body)).not.toBe('@setDataFrame');
  }
}

describe('FlvViewerMuxer', () => {
  it('writes a new viewer stream: header, onMetaData, configs at 0, GOP rebased to 0', () => {
    const { flv } = mux([
      metadata(5000),
      videoConfig(5000),
      audioConfig(5000),
      video(10_000, true, 80),
      audio(10_010),
      video(10_040, false, 40),
      audio(10_033),
      video(10_080, false),
    ]);
    expect(flv.audio && flv.video).toBe(true);
    expect(flv.tags.map((t) => [t.type, t.timestamp])).toEqual([
      [18, 0],
      [9, 0],
      [8, 0],
      [9, 0],
      [8, 10],
      [9, 40],
      [8, 33],
      [9, 80],
    ]);
    expect(scriptName(flv.tags[0]!.body)).toBe('onMetaData');
    checkStream(flv);
  });

  it('passes every body through untouched and uncopied', () => {
    const messages = [metadata(0), videoConfig(0), audioConfig(0), video(100, true, -33), audio(120)];
    const { chunks } = mux(messages);
    for (const m of messages) expect(chunks).toContain(m.body);
  });

  it('audio a little older than the first keyframe is clamped to 0, never negative', () => {
    const { flv } = mux([videoConfig(0), audioConfig(0), video(1000, true), audio(980), audio(1003), video(1040, false)]);
    expect(flv.tags.map((t) => t.timestamp)).toEqual([0, 0, 0, 0, 3, 40]);
    checkStream(flv);
  });

  it('audio that arrives before the first keyframe starts the timeline', () => {
    const { flv } = mux([videoConfig(0), audioConfig(0), audio(990), video(1000, true), audio(1013)]);
    expect(flv.tags.map((t) => t.timestamp)).toEqual([0, 0, 0, 10, 23]);
    checkStream(flv);
  });

  it('drops inter frames (and end of sequence) before the first keyframe', () => {
    const end = parseVideoTag(buildLegacyAvcTag({ frameType: 1, packetType: 2, payload: Buffer.alloc(0) }), 960);
    const { flv, muxer } = mux([videoConfig(0), video(960, false), end, video(1000, true), video(1040, false)]);
    expect(flv.tags.map((t) => t.timestamp)).toEqual([0, 0, 40]);
    expect(muxer.dropped).toBe(2);
    checkStream(flv);
  });

  it('passes a sequence header that changes mid-stream, at its rebased time', () => {
    const newConfig = videoConfig(2000, '02');
    const { flv } = mux([videoConfig(0), video(1000, true), newConfig, video(2000, true)]);
    expect(flv.tags.map((t) => t.timestamp)).toEqual([0, 0, 1000, 1000]);
    expect(flv.tags[2]!.body).toEqual(newConfig.body);
  });

  it('strips @setDataFrame and writes a plain onMetaData script tag', () => {
    const { flv } = mux([metadata(0, true), videoConfig(0), video(0, true)]);
    expect(scriptName(flv.tags[0]!.body)).toBe('onMetaData');
    expect(flv.tags[0]!.body.toString('hex')).toBe(amfString('onMetaData').toString('hex') + '0800000000000009');
  });

  it('drops tracks the header does not announce', () => {
    const { flv, muxer } = mux([videoConfig(0), audioConfig(0), video(0, true), audio(10)], { hasAudio: false, hasVideo: true });
    expect(flv.audio).toBe(false);
    expect(flv.tags.every((t) => t.type === 9)).toBe(true);
    expect(muxer.dropped).toBe(2);
  });

  it('header() taken first is not repeated by push()', () => {
    const muxer = new FlvViewerMuxer({ hasAudio: true, hasVideo: false });
    const header = muxer.header();
    const chunks = [header, ...muxer.push(audioConfig(0)), ...muxer.push(audio(0))];
    const flv = readFlv(Buffer.concat(chunks));
    expect(flv.video).toBe(false);
    expect(flv.tags.length).toBe(2);
  });

  it('enhanced video (hvc1) keyframes gate the same way', () => {
    const cfg = parseVideoTag(buildEnhancedVideoTag({ fourcc: 'hvc1', frameType: 1, packetType: 0, payload: Buffer.from('01', 'hex') }), 0);
    const inter = parseVideoTag(buildEnhancedVideoTag({ fourcc: 'hvc1', frameType: 2, packetType: 3, payload: Buffer.alloc(2) }), 500);
    const key = parseVideoTag(buildEnhancedVideoTag({ fourcc: 'hvc1', frameType: 1, packetType: 1, cts: 20, payload: Buffer.alloc(2) }), 540);
    const { flv } = mux([cfg, inter, key], { hasAudio: false, hasVideo: true });
    expect(flv.tags.map((t) => t.timestamp)).toEqual([0, 0]);
    checkStream(flv);
  });

  it('data messages after the start keep their place on the timeline', () => {
    const cue: DataMessage = { kind: 'data', dts: 1500, pts: 1500, name: 'onCuePoint', args: [], body: amfString('onCuePoint') };
    const { flv } = mux([metadata(0), videoConfig(0), video(1000, true), cue, video(1500, false)]);
    expect(flv.tags.map((t) => [t.type, t.timestamp])).toEqual([
      [18, 0],
      [9, 0],
      [9, 0],
      [18, 500],
      [9, 500],
    ]);
  });

  it('random interleavings with jitter keep every invariant (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 33 }),
        fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.integer({ min: -50, max: 100 })), { maxLength: 60 }),
        (start, steps) => {
          const messages: MediaMessage[] = [metadata(start), videoConfig(start), audioConfig(start)];
          let t = start;
          for (const [isVideo, key, delta] of steps) {
            t = Math.max(0, t + delta);
            messages.push(isVideo ? video(t, key) : audio(t));
          }
          checkStream(mux(messages).flv);
        },
      ),
    );
  });
});
