import { describe, expect, it } from 'vitest';
import { isIngestError } from '../src/index.js';
import { buildVideoTag, parseVideoTag, readExVideoHeader } from '../src/flv/index.js';
import { DTS, VIDEO_TRUNCATED, VIDEO_VECTORS, cc, hex } from './flv-vectors.js';

describe('parseVideoTag golden vectors', () => {
  for (const v of VIDEO_VECTORS) {
    it(`decodes: ${v.name}`, () => {
      const m = parseVideoTag(v.bytes, DTS);
      const { payload, ...fields } = v.expected;
      expect({ codec: m.codec, fourcc: m.fourcc, packet: m.packet, pts: m.pts, keyframe: m.keyframe }).toEqual(fields);
      expect(m.kind).toBe('video');
      expect(m.dts).toBe(DTS);
      expect(m.body).toBe(v.bytes);
      expect(m.payload.toString('hex')).toBe(payload);
      // zero copy: the payload is a view of the body
      expect(m.payload.buffer).toBe(m.body.buffer);
      expect(m.payload.byteOffset + m.payload.length).toBe(m.body.byteOffset + m.body.length);
    });
    if (v.build) {
      const spec = v.build;
      it(`encodes: ${v.name}`, () => {
        expect(buildVideoTag(spec).toString('hex')).toBe(v.bytes.toString('hex'));
      });
    }
  }
});

describe('parseVideoTag truncated bodies', () => {
  for (const v of VIDEO_TRUNCATED) {
    it(`throws ERR_FLV_TRUNCATED: ${v.name}`, () => {
      let err: unknown;
      try {
        parseVideoTag(v.bytes, DTS);
      } catch (e) {
        err = e;
      }
      expect(isIngestError(err)).toBe(true);
      expect((err as { code: string }).code).toBe('ERR_FLV_TRUNCATED');
      expect((err as Error).message).toMatch(new RegExp(`${v.bytes.length} bytes, header needs \\d+`));
    });
  }
});

describe('readExVideoHeader', () => {
  it('reports the ModEx TimestampOffsetNano and the real packet type', () => {
    const h = readExVideoHeader(hex('97', '02', '00 03 e8', '01', cc('hvc1'), '00 00 0a'));
    expect(h).toEqual({
      frameType: 1,
      packetType: 1,
      fourcc: 'hvc1',
      command: undefined,
      multitrack: undefined,
      trackId: undefined,
      timestampOffsetNano: 1000,
      offset: 10,
    });
  });

  it('follows chained ModEx blocks and ignores unknown ModEx types', () => {
    const h = readExVideoHeader(
      hex(
        '97', //       ModEx
        '00', '55', // 1 byte of data for ModEx type 5 (unknown)
        '57', //       ModExType 5 | next VideoPacketType 7 ModEx
        '02', '00 00 07', // TimestampOffsetNano 7 ns
        '03', //       ModExType 0 | CodedFramesX
        cc('avc1'),
      ),
    );
    expect(h.packetType).toBe(3);
    expect(h.timestampOffsetNano).toBe(7);
    expect(h.fourcc).toBe('avc1');
  });

  it('reports the multitrack type and track id', () => {
    const h = readExVideoHeader(hex('96', '01', cc('hvc1'), '03'));
    expect(h.multitrack).toBe(0);
    expect(h.trackId).toBe(3);
  });

  it('reports the command byte of an enhanced command frame', () => {
    const h = readExVideoHeader(hex('d1', '00'));
    expect(h.command).toBe(0);
    expect(h.fourcc).toBeUndefined();
  });
});

describe('parseVideoTag on a body that is a view into a larger buffer', () => {
  it('keeps payload inside the same ArrayBuffer and dts passes through unchanged', () => {
    const big = Buffer.concat([hex('deadbeef'), hex('27', '01', 'ff ff ff', '00 00 00 01 41'), hex('cafe')]);
    const body = big.subarray(4, 4 + 10);
    const m = parseVideoTag(body, 2 ** 33 + 5);
    expect(m.dts).toBe(2 ** 33 + 5);
    expect(m.pts).toBe(2 ** 33 + 4);
    expect(m.payload.buffer).toBe(big.buffer);
    expect(m.payload.toString('hex')).toBe('0000000141');
  });
});
