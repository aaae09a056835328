import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIngestError } from '../src/index.js';
import {
  AUDIO_FOURCC_CODEC,
  SI24_MAX,
  SI24_MIN,
  VIDEO_FOURCC_CODEC,
  buildAacTag,
  buildEnhancedAudioTag,
  buildEnhancedVideoTag,
  buildLegacyAudioTag,
  buildLegacyAvcTag,
  buildLegacyVideoTag,
  legacyAudioCodec,
  legacyVideoCodec,
  parseAudioTag,
  parseVideoTag,
  readExAudioHeader,
  readExVideoHeader,
} from '../src/flv/index.js';

const payload = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));
const dts = fc.integer({ min: 0, max: 2 ** 40 });
const cts = fc.integer({ min: SI24_MIN, max: SI24_MAX });
const videoFourCc = fc.constantFrom(...VIDEO_FOURCC_CODEC.keys());
const audioFourCc = fc.constantFrom(...AUDIO_FOURCC_CODEC.keys());
const nano = fc.option(fc.integer({ min: 0, max: 999_999 }), { nil: undefined });
const trackId = fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined });

function expectView(p: Buffer, body: Buffer): void {
  expect(p.buffer).toBe(body.buffer);
}

describe('builder → parser round trips (fast-check)', () => {
  it('legacy AVC / HEVC (codec id 12)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7 as const, 12 as const),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2 }),
        cts,
        payload,
        dts,
        (codecId, frameType, packetType, c, p, t) => {
          const effectiveCts = packetType === 1 ? c : 0;
          const body = buildLegacyAvcTag({ codecId, frameType, packetType, cts: effectiveCts, payload: p });
          const m = parseVideoTag(body, t);
          expect(m.codec).toBe(codecId === 7 ? 'avc' : 'hevc');
          expect(m.packet).toBe((['config', 'frame', 'end'] as const)[packetType]);
          expect(m.pts).toBe(t + effectiveCts);
          expect(m.keyframe).toBe(packetType === 1 && (frameType === 1 || frameType === 4));
          expect(m.payload.equals(p)).toBe(true);
          expectView(m.payload, body);
        },
      ),
    );
  });

  it('legacy one-byte video codecs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.constantFrom(2, 3, 4, 5, 6), payload, dts, (frameType, codecId, p, t) => {
        const body = buildLegacyVideoTag({ frameType, codecId, payload: p });
        const m = parseVideoTag(body, t);
        expect(m.codec).toBe(legacyVideoCodec(codecId));
        expect(m.packet).toBe('frame');
        expect(m.keyframe).toBe(frameType === 1 || frameType === 4);
        expect(m.payload.equals(p)).toBe(true);
      }),
    );
  });

  it('enhanced video (with ModEx and OneTrack multitrack)', () => {
    fc.assert(
      fc.property(
        videoFourCc,
        fc.constantFrom(0, 1, 2, 3, 4),
        fc.integer({ min: 1, max: 4 }),
        cts,
        payload,
        nano,
        trackId,
        dts,
        (fourcc, packetType, frameType, c, p, n, track, t) => {
          const hasCts = packetType === 1 && (fourcc === 'avc1' || fourcc === 'hvc1');
          const spec = { fourcc, packetType, frameType, cts: hasCts ? c : 0, payload: p, timestampOffsetNano: n, trackId: track };
          const body = buildEnhancedVideoTag(spec);
          const m = parseVideoTag(body, t);
          const h = readExVideoHeader(body);
          expect(h.timestampOffsetNano).toBe(n);
          expect(h.trackId).toBe(track);
          expect(m.codec).toBe(VIDEO_FOURCC_CODEC.get(fourcc));
          expect(m.fourcc).toBe(fourcc);
          if (track !== undefined && track !== 0) {
            expect(m.packet).toBe('other');
            return;
          }
          expect(m.packet).toBe((['config', 'frame', 'end', 'frame', 'metadata'] as const)[packetType]);
          expect(m.pts).toBe(t + (hasCts ? c : 0));
          expect(m.keyframe).toBe((packetType === 1 || packetType === 3) && (frameType === 1 || frameType === 4));
          expect(m.payload.equals(p)).toBe(true);
          expectView(m.payload, body);
        },
      ),
    );
  });

  it('enhanced video command frames', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), nano, (command, n) => {
        const body = buildEnhancedVideoTag({ fourcc: 'hvc1', frameType: 5, packetType: 0, payload: Buffer.from([command]), timestampOffsetNano: n });
        const m = parseVideoTag(body, 0);
        expect(m.packet).toBe('other');
        expect(m.fourcc).toBeUndefined();
        expect(readExVideoHeader(body).command).toBe(command);
      }),
    );
  });

  it('legacy audio', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 14),
        fc.constantFrom(5512, 11025, 22050, 44100),
        fc.constantFrom(8, 16),
        fc.constantFrom(1, 2),
        payload,
        dts,
        (soundFormat, soundRate, soundSize, channels, p, t) => {
          const body = buildLegacyAudioTag({ soundFormat, soundRate, soundSize, channels, payload: p });
          const m = parseAudioTag(body, t);
          expect(m).toMatchObject({ codec: legacyAudioCodec(soundFormat), packet: 'frame', soundRate, soundSize, channels, dts: t, pts: t });
          expect(m.payload.equals(p)).toBe(true);
        },
      ),
    );
  });

  it('legacy AAC', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.constantFrom(1, 2), payload, dts, (packetType, channels, p, t) => {
        const body = buildAacTag({ packetType, channels, payload: p });
        const m = parseAudioTag(body, t);
        expect(m).toMatchObject({ codec: 'aac', packet: packetType === 0 ? 'config' : 'frame', channels, soundRate: 44100 });
        expect(m.payload.equals(p)).toBe(true);
        expectView(m.payload, body);
      }),
    );
  });

  it('enhanced audio (with ModEx and OneTrack multitrack)', () => {
    fc.assert(
      fc.property(audioFourCc, fc.constantFrom(0, 1, 2), payload, nano, trackId, dts, (fourcc, packetType, p, n, track, t) => {
        const body = buildEnhancedAudioTag({ fourcc, packetType, payload: p, timestampOffsetNano: n, trackId: track });
        const m = parseAudioTag(body, t);
        const h = readExAudioHeader(body);
        expect(h.timestampOffsetNano).toBe(n);
        expect(m.codec).toBe(AUDIO_FOURCC_CODEC.get(fourcc));
        expect(m.soundRate).toBeUndefined();
        const expected = track !== undefined && track !== 0 ? 'other' : (['config', 'frame', 'end'] as const)[packetType];
        expect(m.packet).toBe(expected);
        if (expected !== 'other') expect(m.payload.equals(p)).toBe(true);
      }),
    );
  });
});

describe('builders reject fields the wire cannot carry', () => {
  const cases: [string, () => Buffer][] = [
    ['cts above SI24', () => buildLegacyAvcTag({ frameType: 1, packetType: 1, cts: SI24_MAX + 1, payload: Buffer.alloc(0) })],
    ['cts below SI24', () => buildLegacyAvcTag({ frameType: 1, packetType: 1, cts: SI24_MIN - 1, payload: Buffer.alloc(0) })],
    ['FrameType 8 collides with IsExVideoHeader', () => buildLegacyVideoTag({ frameType: 8, codecId: 2, payload: Buffer.alloc(0) })],
    ['codec 7 through the one-byte builder', () => buildLegacyVideoTag({ frameType: 1, codecId: 7, payload: Buffer.alloc(0) })],
    ['FourCC of 3 chars', () => buildEnhancedVideoTag({ fourcc: 'av1', frameType: 1, packetType: 0, payload: Buffer.alloc(0) })],
    ['cts on vp09', () => buildEnhancedVideoTag({ fourcc: 'vp09', frameType: 1, packetType: 1, cts: 5, payload: Buffer.alloc(0) })],
    ['packet type ModEx', () => buildEnhancedVideoTag({ fourcc: 'hvc1', frameType: 1, packetType: 7, payload: Buffer.alloc(0) })],
    ['nano above 999999', () => buildEnhancedAudioTag({ fourcc: 'Opus', packetType: 1, timestampOffsetNano: 1_000_000, payload: Buffer.alloc(0) })],
    ['multitrack command frame', () => buildEnhancedVideoTag({ fourcc: 'hvc1', frameType: 5, packetType: 0, trackId: 0, payload: Buffer.alloc(1) })],
    ['SoundRate 48000', () => buildAacTag({ packetType: 1, soundRate: 48000, payload: Buffer.alloc(0) })],
    ['AAC through the legacy builder', () => buildLegacyAudioTag({ soundFormat: 10, payload: Buffer.alloc(0) })],
  ];
  for (const [name, build] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        build();
      } catch (e) {
        err = e;
      }
      expect(isIngestError(err)).toBe(true);
      expect((err as { code: string }).code).toBe('ERR_FLV_BAD_TAG');
    });
  }
});
