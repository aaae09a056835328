import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitLengthPrefixed, toAnnexB } from '../src/codec/index.js';
import { isRemuxError } from '../src/errors.js';

const lp = (...nals: number[][]) => Buffer.concat(nals.map((n) => Buffer.from([0, 0, 0, n.length, ...n])));
const join = (c: { parts: Uint8Array[]; size: number }) => {
  const b = Buffer.concat(c.parts);
  expect(b.length).toBe(c.size);
  return [...b];
};
const SPS = Uint8Array.of(0x67, 1, 2);
const PPS = Uint8Array.of(0x68, 3);

describe('length-prefixed → Annex B (14496-15 5.3.2, 14496-10 B.1)', () => {
  it('keyframe: AUD, SPS, PPS, then the IDR slice; NAL data is not copied', () => {
    const payload = lp([0x65, 0xaa, 0xbb]);
    const au = toAnnexB(payload, { codec: 'avc', lengthSize: 4, keyframe: true, parameterSets: [SPS, PPS] });
    expect(join(au)).toEqual([0, 0, 0, 1, 0x09, 0xf0, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 0xaa, 0xbb]);
    expect(au.parts[au.parts.length - 1]!.buffer).toBe(payload.buffer);
  });
  it('non-keyframe: AUD + slice only', () => {
    expect(join(toAnnexB(lp([0x41, 1]), { codec: 'avc', lengthSize: 4, keyframe: false, parameterSets: [SPS, PPS] }))).toEqual([0, 0, 0, 1, 0x09, 0xf0, 0, 0, 0, 1, 0x41, 1]);
  });
  it('keeps an in-band AUD first and does not repeat parameter sets the frame carries', () => {
    const au = toAnnexB(lp([0x09, 0x10], [0x67, 9], [0x68, 8], [0x65, 7]), { codec: 'avc', lengthSize: 4, keyframe: true, parameterSets: [SPS, PPS] });
    expect(join(au)).toEqual([0, 0, 0, 1, 0x09, 0x10, 0, 0, 0, 1, 0x67, 9, 0, 0, 0, 1, 0x68, 8, 0, 0, 0, 1, 0x65, 7]);
  });
  it('HEVC: AUD type 35 and VPS/SPS/PPS before an IRAP', () => {
    const vps = Uint8Array.of(0x40, 1);
    const sps = Uint8Array.of(0x42, 1);
    const pps = Uint8Array.of(0x44, 1);
    const au = toAnnexB(lp([0x26, 1, 0xab]), { codec: 'hevc', lengthSize: 4, keyframe: true, parameterSets: [vps, sps, pps] });
    expect(join(au)).toEqual([0, 0, 0, 1, 0x46, 0x01, 0x50, 0, 0, 0, 1, 0x40, 1, 0, 0, 0, 1, 0x42, 1, 0, 0, 0, 1, 0x44, 1, 0, 0, 0, 1, 0x26, 1, 0xab]);
  });
  it('2-byte and 1-byte length fields', () => {
    expect(splitLengthPrefixed(Buffer.from([0, 2, 0x41, 1, 0, 1, 0x41]), 2).map((n) => [...n])).toEqual([[0x41, 1], [0x41]]);
    expect(splitLengthPrefixed(Buffer.from([1, 0x41]), 1).map((n) => [...n])).toEqual([[0x41]]);
  });
  it('a length past the payload throws with value and limit', () => {
    expect(() => splitLengthPrefixed(Buffer.from([0, 0, 0, 9, 0x41]), 4)).toThrow(/NAL unit length 9 at 4 exceeds the 1 bytes left/);
  });
  it('random payloads convert or throw RemuxError (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(1, 2, 4), (b, ls) => {
        try {
          const au = toAnnexB(b, { codec: 'avc', lengthSize: ls, keyframe: true, parameterSets: [SPS, PPS] });
          expect(Buffer.concat(au.parts).length).toBe(au.size);
        } catch (e) {
          if (!isRemuxError(e)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
