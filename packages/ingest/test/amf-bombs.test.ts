import { describe, it, expect } from 'vitest';
import {
  AMF_MAX_DEPTH,
  AMF_MAX_ELEMENTS,
  amfObject,
  decodeAmf0,
  decodeAmf0All,
  decodeAmf3,
  decodeCommandAmf3,
  encodeAmf0,
  encodeAmf3,
} from '../src/amf/index.js';
import type { AmfObject, AmfValue } from '../src/amf/index.js';
import { IngestError } from '../src/errors.js';
import { errorCode, hex, times } from './amf-helpers.js';

/** Runs `fn`, expects the IngestError code, and that it took well under a second. */
function rejectsFast(fn: () => unknown, code: string): IngestError {
  const start = performance.now();
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  const ms = performance.now() - start;
  expect(err).toBeInstanceOf(IngestError);
  expect((err as IngestError).code).toBe(code);
  expect(ms).toBeLessThan(500);
  return err as IngestError;
}

describe('AMF bombs', () => {
  it('AMF0 objects nested 10,000 deep fail with ERR_AMF_DEPTH', () => {
    const bytes = hex([times('03 0001 61', 10_000) /* {a: {a: ...}} */]);
    const err = rejectsFast(() => decodeAmf0(bytes), 'ERR_AMF_DEPTH');
    expect(err.message).toContain(String(AMF_MAX_DEPTH));
  });

  it('AMF0 strict arrays and ECMA arrays nested 10,000 deep fail with ERR_AMF_DEPTH', () => {
    rejectsFast(() => decodeAmf0(hex([times('0a 00000001', 10_000)])), 'ERR_AMF_DEPTH');
    rejectsFast(() => decodeAmf0(hex([times('08 00000001 0001 61', 10_000)])), 'ERR_AMF_DEPTH');
  });

  it('AMF3 arrays and objects nested 10,000 deep fail with ERR_AMF_DEPTH', () => {
    rejectsFast(() => decodeAmf3(hex([times('09 03 01', 10_000)])), 'ERR_AMF_DEPTH');
    // object {a: {a: ...}}: the first has inline traits and key, the rest reuse traits 0 and string 0
    rejectsFast(() => decodeAmf3(hex(['0a 0b 01 03 61', times('0a 01 00', 10_000)])), 'ERR_AMF_DEPTH');
  });

  it('depth counts across the AVM+ switch', () => {
    const amf0Half = times('03 0001 61', 40);
    const amf3Half = times('09 03 01', 40);
    rejectsFast(() => decodeAmf0(hex([amf0Half, '11', amf3Half])), 'ERR_AMF_DEPTH');
  });

  it('exactly AMF_MAX_DEPTH levels decode; one more does not', () => {
    const nest = (n: number) => hex([times('0a 00000001', n), '05']);
    expect(() => decodeAmf0(nest(AMF_MAX_DEPTH))).not.toThrow();
    rejectsFast(() => decodeAmf0(nest(AMF_MAX_DEPTH + 1)), 'ERR_AMF_DEPTH');
    let v: AmfValue = null;
    for (let i = 0; i < AMF_MAX_DEPTH; i++) v = [v];
    expect(decodeAmf0(encodeAmf0(v)).offset).toBe(AMF_MAX_DEPTH * 5 + 1);
    expect(errorCode(() => encodeAmf0([v]))).toBe('ERR_AMF_DEPTH');
    expect(errorCode(() => encodeAmf3([v]))).toBe('ERR_AMF_DEPTH');
  });

  it('a long string declaring 2^32-1 bytes with 10 present fails with ERR_AMF_TRUNCATED without allocating', () => {
    const bytes = hex(['0c', 'ff ff ff ff', '61'.repeat(10)]);
    const before = process.memoryUsage().arrayBuffers;
    const err = rejectsFast(() => decodeAmf0(bytes), 'ERR_AMF_TRUNCATED');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    expect(err.message).toContain('4294967295');
    expect(err.message).toContain('10 remain');
    rejectsFast(() => decodeAmf0(hex(['0f', 'ff ff ff ff', '61'])), 'ERR_AMF_TRUNCATED');
  });

  it('an AMF3 string or ByteArray declaring 2^28-1 bytes fails with ERR_AMF_TRUNCATED', () => {
    rejectsFast(() => decodeAmf3(hex(['06', 'ff ff ff ff', '61'])), 'ERR_AMF_TRUNCATED');
    rejectsFast(() => decodeAmf3(hex(['0c', 'ff ff ff ff', '61'])), 'ERR_AMF_TRUNCATED');
  });

  it('a strict array declaring 2^31 elements fails fast', () => {
    const err = rejectsFast(() => decodeAmf0(hex(['0a', '80 00 00 00', '05 05 05'])), 'ERR_AMF_TRUNCATED');
    expect(err.message).toContain('2147483648');
    rejectsFast(() => decodeAmf0(hex(['0a', 'ff ff ff ff'])), 'ERR_AMF_TRUNCATED');
  });

  it('an AMF3 array or traits declaring 2^28 entries fails fast', () => {
    rejectsFast(() => decodeAmf3(hex(['09', 'bf ff ff ff', '01'])), 'ERR_AMF_TRUNCATED');
    rejectsFast(() => decodeAmf3(hex(['0a', 'bf ff ff f3', '01'])), 'ERR_AMF_TRUNCATED');
  });

  it('an ECMA array declaring 2^32-1 entries with none present fails with ERR_AMF_TRUNCATED', () => {
    rejectsFast(() => decodeAmf0(hex(['08', 'ff ff ff ff'])), 'ERR_AMF_TRUNCATED');
  });

  it(`more than AMF_MAX_ELEMENTS (${AMF_MAX_ELEMENTS}) values fail with ERR_AMF_TOO_LARGE`, () => {
    const n = AMF_MAX_ELEMENTS; // plus the array itself: one over
    const big = Buffer.alloc(5 + n, 0x05);
    big[0] = 0x0a;
    big.writeUInt32BE(n, 1);
    const err = rejectsFast(() => decodeAmf0(big), 'ERR_AMF_TOO_LARGE');
    expect(err.message).toContain(String(AMF_MAX_ELEMENTS));
    // The same count of nulls at top level (no declared count to check up front) hits the limit while decoding.
    rejectsFast(() => decodeAmf0All(Buffer.alloc(n + 1, 0x05)), 'ERR_AMF_TOO_LARGE');
    // One under the limit decodes.
    big.writeUInt32BE(n - 1, 1);
    expect((decodeAmf0(big.subarray(0, big.length - 1)).value as unknown[]).length).toBe(n - 1);
  });

  it('AMF0 reference loops decode to a cycle and encode back to the same bytes', () => {
    const bytes = hex(['03', '00 04', '73 65 6c 66' /* "self" */, '07', '00 00' /* reference to itself */, '00 00', '09']);
    const obj = decodeAmf0(bytes).value as AmfObject;
    expect(obj.self).toBe(obj);
    expect(encodeAmf0(obj).toString('hex')).toBe(bytes.toString('hex'));
  });

  it('AMF3 reference loops decode to a cycle and encode back to the same bytes', () => {
    const bytes = hex(['0a', '0b', '01', '09', '73 65 6c 66' /* "self" */, '0a', '00' /* object ref 0 */, '01']);
    const obj = decodeAmf3(bytes).value as AmfObject;
    expect(obj.self).toBe(obj);
    expect(encodeAmf3(obj).toString('hex')).toBe(bytes.toString('hex'));
    const arr = decodeAmf3(hex(['09', '03', '01', '09', '00' /* the array itself */])).value as unknown[];
    expect(arr[0]).toBe(arr);
  });

  it('a doubling reference DAG stays linear: decoded once, encoded with references', () => {
    // Level i is the strict array [level i-1, level i-1]: 2^60 leaves if expanded, 60 * 8 bytes on the wire.
    // Innermost array is complex value #59 ... outermost #0; each level's second element references the first.
    const bytes: string[] = [];
    for (let i = 0; i < 59; i++) bytes.push('0a 00000002');
    bytes.push('0a 00000002 05 05');
    for (let i = 58; i >= 0; i--) bytes.push(`07 ${(i + 1).toString(16).padStart(4, '0')}`);
    const value = decodeAmf0(hex(bytes)).value as AmfValue[];
    expect(value[0]).toBe(value[1]);
    const start = performance.now();
    const again = encodeAmf0(value);
    expect(performance.now() - start).toBeLessThan(500);
    expect(again.toString('hex')).toBe(hex(bytes).toString('hex'));
  });

  it('a command body made of a depth bomb fails with ERR_AMF_DEPTH', () => {
    rejectsFast(() => decodeCommandAmf3(hex(['00', '11', times('09 03 01', 10_000)])), 'ERR_AMF_DEPTH');
  });

  it('a shared sub-object encodes once and is referenced afterwards', () => {
    const shared = amfObject({ big: 'x'.repeat(1000) });
    const list = Array.from({ length: 100 }, () => shared);
    expect(encodeAmf0(list).length).toBeLessThan(1000 + 100 * 3 + 64);
    expect(encodeAmf3(list).length).toBeLessThan(1000 + 100 * 2 + 64);
  });
});
