import { describe, expect, it } from 'vitest';
import {
  basicHeaderSize,
  readBasicHeader,
  readMessageHeader,
  writeBasicHeader,
  writeMessageHeader,
} from '../src/chunk/index.js';
import type { BasicHeader, ChunkFmt, MessageHeaderFields } from '../src/chunk/index.js';

// Spec 5.3.1.1. One table drives decode and encode.
const BASIC: { name: string; hex: string; fmt: ChunkFmt; csid: number }[] = [
  { name: '1 byte, lowest csid', hex: '02', fmt: 0, csid: 2 }, // 00|000010
  { name: '1 byte, fmt 1', hex: '43', fmt: 1, csid: 3 }, // 01|000011
  { name: '1 byte, highest csid', hex: 'bf', fmt: 2, csid: 63 }, // 10|111111
  { name: '1 byte, fmt 3', hex: 'ff', fmt: 3, csid: 63 },
  { name: '2 bytes, lowest csid', hex: '0000', fmt: 0, csid: 64 }, // 00|000000, 64 + 0
  { name: '2 bytes, highest csid', hex: '40ff', fmt: 1, csid: 319 }, // 01|000000, 64 + 255
  { name: '3 bytes, lowest csid', hex: '010001', fmt: 0, csid: 320 }, // 00|000001, 64 + 0 + 1 * 256
  { name: '3 bytes, csid 1000', hex: '81a803', fmt: 2, csid: 1000 }, // 64 + 0xa8 + 3 * 256
  { name: '3 bytes, highest csid', hex: 'c1ffff', fmt: 3, csid: 65599 }, // 64 + 255 + 255 * 256
];

describe('basic header (spec 5.3.1.1)', () => {
  it.each(BASIC)('decodes $name', ({ hex, fmt, csid }) => {
    const buf = Buffer.from(hex, 'hex');
    const out: BasicHeader = { fmt: 0, csid: 0, size: 1 };
    expect(readBasicHeader(buf, 0, buf.length, out)).toBe(buf.length);
    expect(out).toEqual({ fmt, csid, size: buf.length });
    // One byte short: not enough.
    expect(readBasicHeader(buf, 0, buf.length - 1, out)).toBe(0);
  });

  it.each(BASIC)('encodes $name', ({ hex, fmt, csid }) => {
    const buf = Buffer.alloc(3, 0xee);
    expect(writeBasicHeader(buf, 0, fmt, csid)).toBe(hex.length / 2);
    expect(buf.subarray(0, hex.length / 2).toString('hex')).toBe(hex);
    expect(basicHeaderSize(csid)).toBe(hex.length / 2);
  });

  it('computes the 3-byte form as 64 + b1 + b2 * 256, not (64 + b1 + b2) << 8 (node-media-server)', () => {
    const out: BasicHeader = { fmt: 0, csid: 0, size: 1 };
    readBasicHeader(Buffer.from('010502', 'hex'), 0, 3, out);
    expect(out.csid).toBe(64 + 5 + 2 * 256); // 581, not 18176
  });

  it('decodes the non-shortest forms too', () => {
    const out: BasicHeader = { fmt: 0, csid: 0, size: 1 };
    expect(readBasicHeader(Buffer.from('010000', 'hex'), 0, 3, out)).toBe(3);
    expect(out.csid).toBe(64);
  });

  it.each([0, 1, 65600, 1.5])('refuses to encode csid %s', (csid) => {
    expect(() => writeBasicHeader(Buffer.alloc(3), 0, 0, csid)).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_BAD_CHUNK', message: expect.stringMatching(/2\.\.65599/) }),
    );
  });
});

// Spec 5.3.1.2: timestamp 3 BE, length 3 BE, type 1, stream id 4 LE.
const MESSAGE: { fmt: ChunkFmt; hex: string; fields: Partial<MessageHeaderFields> }[] = [
  {
    fmt: 0,
    hex: '000102' + '000304' + '14' + '01000000',
    fields: { timestampField: 0x102, length: 0x304, typeId: 20, streamId: 1 },
  },
  { fmt: 0, hex: 'ffffff' + '000001' + '09' + '04030201', fields: { timestampField: 0xffffff, length: 1, typeId: 9, streamId: 0x01020304 } },
  { fmt: 1, hex: '000021' + '00000a' + '08', fields: { timestampField: 33, length: 10, typeId: 8 } },
  { fmt: 2, hex: '000022', fields: { timestampField: 34 } },
  { fmt: 3, hex: '', fields: {} },
];

describe('message header (spec 5.3.1.2)', () => {
  it.each(MESSAGE)('decodes and encodes type $fmt', ({ fmt, hex, fields }) => {
    const buf = Buffer.from(hex, 'hex');
    const out: MessageHeaderFields = { timestampField: -1, length: -1, typeId: -1, streamId: -1 };
    readMessageHeader(buf, 0, fmt, out);
    expect(out).toEqual({ timestampField: -1, length: -1, typeId: -1, streamId: -1, ...fields });

    const w = Buffer.alloc(11);
    const ts = fields.timestampField === 0xffffff ? 0x01000000 : (fields.timestampField ?? 0);
    expect(writeMessageHeader(w, 0, fmt, ts, fields.length ?? 0, fields.typeId ?? 0, fields.streamId ?? 0)).toBe(buf.length);
    expect(w.subarray(0, buf.length).toString('hex')).toBe(hex);
  });
});
