import { describe, expect, it } from 'vitest';
import { isRemuxError } from '../src/errors.js';
import { encodeTag, FlvTagType, MAX_TAG_DATA_SIZE, writeTagHeader } from '../src/flv/index.js';

const hexOf = (bufs: Buffer[]) => Buffer.concat(bufs).toString('hex');

describe('encodeTag (FLV 10.1 E.4.1, E.3)', () => {
  const body = Buffer.from('af01aabb', 'hex');
  const table: { name: string; type: 8 | 9 | 18; ts: number; hex: string }[] = [
    {
      name: 'audio at 0',
      type: 8,
      ts: 0,
      //   TagType | DataSize 4 | Timestamp | TsExt | StreamID | body     | PreviousTagSize 15
      hex: '08' + '000004' + '000000' + '00' + '000000' + 'af01aabb' + '0000000f',
    },
    {
      name: 'video at 0x123456 (fits 24 bits)',
      type: 9,
      ts: 0x123456,
      hex: '09' + '000004' + '123456' + '00' + '000000' + 'af01aabb' + '0000000f',
    },
    {
      name: 'script at 2^24 uses TimestampExtended',
      type: 18,
      ts: 2 ** 24,
      hex: '12' + '000004' + '000000' + '01' + '000000' + 'af01aabb' + '0000000f',
    },
    {
      name: 'video at 0xfedcba98: lower 24 bits then upper 8',
      type: 9,
      ts: 0xfedcba98,
      hex: '09' + '000004' + 'dcba98' + 'fe' + '000000' + 'af01aabb' + '0000000f',
    },
    {
      name: 'timestamps are modulo 2^32',
      type: 9,
      ts: 2 ** 32 + 5,
      hex: '09' + '000004' + '000005' + '00' + '000000' + 'af01aabb' + '0000000f',
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      expect(hexOf(encodeTag(t.type, t.ts, body))).toBe(t.hex);
    });
  }

  it('returns [header11, the same body Buffer, prevTagSize4]: the body is never copied', () => {
    const [header, b, prev] = encodeTag(FlvTagType.Video, 40, body);
    expect(header.length).toBe(11);
    expect(b).toBe(body);
    expect(prev.readUInt32BE(0)).toBe(11 + body.length);
  });

  it('an empty body still gets a header and PreviousTagSize 11', () => {
    expect(hexOf(encodeTag(8, 1, Buffer.alloc(0)))).toBe('08' + '000000' + '000001' + '00' + '000000' + '0000000b');
  });

  it('rejects a body larger than the 24-bit DataSize', () => {
    let err: unknown;
    try {
      writeTagHeader(Buffer.alloc(11), 0, 9, 0, MAX_TAG_DATA_SIZE + 1);
    } catch (e) {
      err = e;
    }
    expect(isRemuxError(err) && err.code).toBe('ERR_REMUX_FLV');
    expect((err as Error).message).toMatch(/16777216 exceeds the 24-bit limit 16777215/);
  });
});
