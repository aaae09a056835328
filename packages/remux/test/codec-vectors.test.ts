import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  aacCodecString, adtsParams, avcCodecString, BitReader, buildAdtsHeader, hevcCodecString, nalToRbsp,
  parseAudioSpecificConfig, parseAvcDecoderConfig, parseAvcSps, parseHevcDecoderConfig, parseHevcSps, parseMp3Header,
} from '../src/codec/index.js';
import { isRemuxError, RemuxError } from '../src/errors.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** SPS/PPS written by libx264 (ffmpeg 5.1, testsrc2, yuv420p, 25 fps): High profile, VUI timing present, emulation prevention bytes inside. */
export const X264 = {
  sps320x240: hex('6764000dacd94141fb011000000300100000030320f1429960'),
  sps1280x720: hex('6764001facd9405005bb011000000300100000030320f1831960'),
  // 1088 coded lines, frame_crop_bottom_offset 4 → 1080
  sps1920x1080: hex('67640028acd940780227e5c044000003000400000300c83c60c658'),
  pps: hex('68ebe3cb22c0'),
};

/** VPS/SPS/PPS written by libx265 3.5 (1920x1080 Main, level 4.0). */
export const X265 = {
  vps: hex('40010c01ffff016000000300900000030000030078959809'),
  sps: hex('420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000c84'),
  pps: hex('4401c172b46240'),
};

function avcc(sps: Buffer, pps: Buffer, lengthSizeMinusOne = 3): Buffer {
  return Buffer.concat([
    Buffer.from([1, sps[1]!, sps[2]!, sps[3]!, 0xfc | lengthSizeMinusOne, 0xe1]),
    Buffer.from([sps.length >> 8, sps.length & 0xff]), sps,
    Buffer.from([1, pps.length >> 8, pps.length & 0xff]), pps,
  ]);
}

function hvcc(): Buffer {
  const arr = (type: number, nal: Buffer) => Buffer.concat([Buffer.from([0x80 | type, 0, 1, nal.length >> 8, nal.length & 0xff]), nal]);
  // fixed part as libx265 wrote it in MP4 (hvcC), numOfArrays 3
  return Buffer.concat([hex('01016000000090000000000078f000fcfdf8f800000f03'), arr(32, X265.vps), arr(33, X265.sps), arr(34, X265.pps)]);
}

describe('H.264 (ISO/IEC 14496-10 7.3.2.1.1, 14496-15 5.3.3)', () => {
  const table = [
    { name: '320x240', sps: X264.sps320x240, width: 320, height: 240, level: 13, codec: 'avc1.64000D' },
    { name: '1280x720', sps: X264.sps1280x720, width: 1280, height: 720, level: 31, codec: 'avc1.64001F' },
    { name: '1920x1080 (cropped from 1088)', sps: X264.sps1920x1080, width: 1920, height: 1080, level: 40, codec: 'avc1.640028' },
  ];
  for (const t of table) {
    it(`SPS ${t.name}: size, profile, level, fps`, () => {
      const s = parseAvcSps(t.sps);
      expect(s).toEqual({ profile: 100, constraintFlags: 0, level: t.level, chromaFormatIdc: 1, width: t.width, height: t.height, fps: 25 });
    });
    it(`AVCDecoderConfigurationRecord ${t.name}: NAL units are subarrays, codec string ${t.codec}`, () => {
      const rec = avcc(t.sps, X264.pps);
      const c = parseAvcDecoderConfig(rec);
      expect(c.lengthSize).toBe(4);
      expect(Buffer.from(c.sps[0]!)).toEqual(t.sps);
      expect(Buffer.from(c.pps[0]!)).toEqual(X264.pps);
      expect(c.sps[0]!.buffer).toBe(rec.buffer); // no copy
      expect(avcCodecString(c.profile, c.profileCompatibility, c.level)).toBe(t.codec);
    });
  }
  it('rejects truncated records and non-SPS NAL units with RemuxError naming the values', () => {
    const rec = avcc(X264.sps320x240, X264.pps);
    expect(() => parseAvcDecoderConfig(rec.subarray(0, 12))).toThrow(/SPS 0 length 25 exceeds the 4 bytes left/);
    expect(() => parseAvcSps(X264.pps)).toThrow(RemuxError);
  });
});

describe('H.265 (14496-15 8.3.3, H.265 7.3.2.2)', () => {
  it('HEVCDecoderConfigurationRecord → VPS/SPS/PPS, lengthSize, codec string hvc1.1.6.L120.90', () => {
    const c = parseHevcDecoderConfig(hvcc());
    expect(c.lengthSize).toBe(4);
    expect([c.vps.length, c.sps.length, c.pps.length]).toEqual([1, 1, 1]);
    expect(Buffer.from(c.sps[0]!)).toEqual(X265.sps);
    expect(hevcCodecString(c)).toBe('hvc1.1.6.L120.90');
  });
  it('SPS 1920x1080 through the conformance window', () => {
    expect(parseHevcSps(X265.sps)).toEqual({ chromaFormatIdc: 1, width: 1920, height: 1080 });
  });
  it('high tier, profile space and trailing constraint bytes in the codec string', () => {
    const s = hevcCodecString({ profileSpace: 1, tierFlag: 1, profileIdc: 2, profileCompatibility: 0x20000000, constraintFlags: hex('b00000000000'), levelIdc: 153 });
    expect(s).toBe('hvc1.A2.4.H153.B0');
  });
});

describe('bit reading', () => {
  it('removes emulation prevention bytes (00 00 03 → 00 00)', () => {
    expect([...nalToRbsp(hex('0000030100000300'))]).toEqual([0, 0, 1, 0, 0, 0]);
    const plain = hex('010203');
    expect(nalToRbsp(plain)).toBe(plain);
  });
  it('Exp-Golomb ue/se (14496-10 Table 9-2, 9-3)', () => {
    // 1 | 010 | 011 | 00100 | 00101 → ue 0,1,2,3 then se(4) = -2
    const r = new BitReader(hex('a6 42 80'));
    expect([r.ue(), r.ue(), r.ue(), r.ue(), r.se()]).toEqual([0, 1, 2, 3, -2]);
  });
});

describe('AAC AudioSpecificConfig (14496-3 1.6.2.1) and ADTS (1.A.2.2)', () => {
  const table = [
    { name: 'AAC-LC 44100 stereo', bytes: '1210', ot: 2, rate: 44100, idx: 4, ch: 2, codec: 'mp4a.40.2', adts: 'fff150800d7ffc' },
    { name: 'AAC-LC 48000 stereo', bytes: '1190', ot: 2, rate: 48000, idx: 3, ch: 2, codec: 'mp4a.40.2', adts: 'fff14c800d7ffc' },
    { name: 'HE-AAC explicit SBR 24000→48000 stereo', bytes: '2b118800', ot: 5, rate: 24000, idx: 6, ch: 2, codec: 'mp4a.40.5', adts: 'fff158800d7ffc' },
    { name: 'explicit frequency 44100 (index 0xF) mono', bytes: '178056220800', ot: 2, rate: 44100, idx: 4, ch: 1, codec: 'mp4a.40.2', adts: 'fff150400d7ffc' },
  ];
  for (const t of table) {
    it(`${t.name}: parse, codec string, ADTS header for a 100-byte frame`, () => {
      const a = parseAudioSpecificConfig(hex(t.bytes));
      expect([a.objectType, a.sampleRate, a.sampleRateIndex, a.channelConfig]).toEqual([t.ot, t.rate, t.idx, t.ch]);
      expect(aacCodecString(a)).toBe(t.codec);
      // FF F1 = sync, MPEG-4, no CRC; then profile/rate/channels; length 107 = 0x6B over 13 bits; fullness 0x7FF
      expect(buildAdtsHeader(adtsParams(a), 100).toString('hex')).toBe(t.adts);
    });
  }
  it('escape object type 31 → 32 + 6 bits (USAC 42)', () => {
    const a = parseAudioSpecificConfig(hex('f94640'));
    expect([a.objectType, a.sampleRate, a.channelConfig]).toEqual([42, 48000, 2]);
    expect(() => adtsParams(a)).toThrow(/audioObjectType 42 does not fit ADTS/);
  });
  it('HE-AAC core object type and extension rate', () => {
    const a = parseAudioSpecificConfig(hex('2b118800'));
    expect([a.coreObjectType, a.extensionSampleRate]).toEqual([2, 48000]);
  });
  it('ADTS rejects a frame over the 13-bit length', () => {
    expect(() => buildAdtsHeader({ profile: 1, sampleRateIndex: 4, channelConfig: 2 }, 8185)).toThrow(/8185 bytes exceeds the ADTS limit 8184/);
  });
});

describe('MPEG audio header (11172-3 2.4.1.3)', () => {
  it('MPEG-1 Layer III 128 kbit/s 44100 stereo', () => {
    expect(parseMp3Header(hex('fffb9000'))).toEqual({ version: 1, layer: 3, bitrateKbps: 128, sampleRate: 44100, channels: 2, samplesPerFrame: 1152, frameLength: 417 });
  });
  it('MPEG-2 Layer III 64 kbit/s 24000 mono', () => {
    expect(parseMp3Header(hex('fff384c0'))).toEqual({ version: 2, layer: 3, bitrateKbps: 64, sampleRate: 24000, channels: 1, samplesPerFrame: 576, frameLength: 192 });
  });
  it('rejects a missing sync', () => {
    expect(() => parseMp3Header(hex('00fb9000'))).toThrow(/no frame sync/);
  });
});

describe('random bytes either parse or throw RemuxError (fast-check)', () => {
  const parsers: [string, (b: Uint8Array) => unknown][] = [
    ['avcC', parseAvcDecoderConfig], ['AVC SPS', (b) => parseAvcSps(Uint8Array.of(0x67, ...b))],
    ['hvcC', parseHevcDecoderConfig], ['HEVC SPS', (b) => parseHevcSps(Uint8Array.of(0x42, 0x01, ...b))],
    ['ASC', parseAudioSpecificConfig], ['MP3', (b) => parseMp3Header(Uint8Array.of(0xff, ...b))],
  ];
  for (const [name, parse] of parsers) {
    it(name, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
          try {
            parse(b);
          } catch (e) {
            if (!isRemuxError(e)) throw e;
          }
        }),
        { numRuns: 2000 },
      );
    });
  }
  it('truncations of the golden records throw RemuxError, never anything else', () => {
    const rec = hvcc();
    for (let n = 0; n < rec.length; n++) {
      try {
        parseHevcDecoderConfig(rec.subarray(0, n));
      } catch (e) {
        expect(isRemuxError(e)).toBe(true);
      }
    }
  });
});
