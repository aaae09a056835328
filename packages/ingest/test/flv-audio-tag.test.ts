import { describe, expect, it } from 'vitest';
import { isIngestError } from '../src/index.js';
import { buildAudioTag, parseAudioTag, readExAudioHeader } from '../src/flv/index.js';
import { AUDIO_TRUNCATED, AUDIO_VECTORS, DTS, cc, hex } from './flv-vectors.js';

describe('parseAudioTag golden vectors', () => {
  for (const v of AUDIO_VECTORS) {
    it(`decodes: ${v.name}`, () => {
      const m = parseAudioTag(v.bytes, DTS);
      const { payload, ...fields } = v.expected;
      expect({
        codec: m.codec,
        fourcc: m.fourcc,
        packet: m.packet,
        soundRate: m.soundRate,
        soundSize: m.soundSize,
        channels: m.channels,
      }).toEqual(fields);
      expect(m.kind).toBe('audio');
      expect(m.dts).toBe(DTS);
      expect(m.pts).toBe(DTS);
      expect(m.body).toBe(v.bytes);
      expect(m.payload.toString('hex')).toBe(payload);
      expect(m.payload.buffer).toBe(m.body.buffer);
    });
    if (v.build) {
      const spec = v.build;
      it(`encodes: ${v.name}`, () => {
        expect(buildAudioTag(spec).toString('hex')).toBe(v.bytes.toString('hex'));
      });
    }
  }
});

describe('parseAudioTag truncated bodies', () => {
  for (const v of AUDIO_TRUNCATED) {
    it(`throws ERR_FLV_TRUNCATED: ${v.name}`, () => {
      let err: unknown;
      try {
        parseAudioTag(v.bytes, DTS);
      } catch (e) {
        err = e;
      }
      expect(isIngestError(err)).toBe(true);
      expect((err as { code: string }).code).toBe('ERR_FLV_TRUNCATED');
    });
  }
});

describe('readExAudioHeader', () => {
  it('reports the ModEx TimestampOffsetNano', () => {
    const h = readExAudioHeader(hex('97', '02', '00 01 f4', '01', cc('Opus'), 'fc'));
    expect(h).toEqual({
      packetType: 1,
      fourcc: 'Opus',
      multitrack: undefined,
      trackId: undefined,
      timestampOffsetNano: 500,
      offset: 10,
    });
  });

  it('ManyTracksManyCodecs has no shared FourCC', () => {
    const h = readExAudioHeader(hex('95', '21', cc('Opus'), '00', '00 00 01', 'fc'));
    expect(h.multitrack).toBe(2);
    expect(h.fourcc).toBeUndefined();
    expect(h.offset).toBe(2);
  });
});
