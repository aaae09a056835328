import { describe, it, expect } from 'vitest';
import {
  AMF_CLASS_NAME,
  AMF_ECMA_ARRAY,
  amfObject,
  decodeAmf0,
  decodeAmf0All,
  ecmaArray,
  encodeAmf0,
  isEcmaArray,
  typedObject,
} from '../src/amf/index.js';
import type { AmfObject } from '../src/amf/index.js';
import { canon, errorCode, hex, rowValues } from './amf-helpers.js';
import { amf0Golden, amf0GoldenErrors } from './amf-golden.js';

describe('AMF0 golden vectors', () => {
  for (const row of amf0Golden) {
    const bytes = hex(row.bytes);
    const values = rowValues(row);
    const encoded = hex(row.encoded ?? row.bytes);

    it(`decodes ${row.name}`, () => {
      expect(canon(decodeAmf0All(bytes))).toEqual(canon(values));
      if (values.length === 1) {
        const one = decodeAmf0(bytes);
        expect(one.offset).toBe(bytes.length);
        expect(canon(one.value)).toEqual(canon(values[0]));
      }
    });

    it(`encodes ${row.name}`, () => {
      expect(encodeAmf0(...values).toString('hex')).toBe(encoded.toString('hex'));
      // What was decoded encodes to the canonical bytes too.
      expect(encodeAmf0(...decodeAmf0All(bytes)).toString('hex')).toBe(encoded.toString('hex'));
    });
  }

  for (const row of amf0GoldenErrors) {
    it(`rejects ${row.name} with ${row.code}`, () => {
      expect(errorCode(() => decodeAmf0(hex(row.bytes)))).toBe(row.code);
      if (row.bytes.length > 0) expect(errorCode(() => decodeAmf0All(hex(row.bytes)))).toBe(row.code);
    });
  }
});

describe('AMF0 representation', () => {
  it('decodes objects with a null prototype, so property access is safe', () => {
    const [, , cmd] = decodeAmf0All(hex(amf0Golden.find((r) => r.name.startsWith('ffmpeg publisher'))!.bytes));
    const obj = cmd as AmfObject;
    expect(Object.getPrototypeOf(obj)).toBeNull();
    expect(obj.app).toBe('live');
    expect(obj.toString).toBeUndefined();
    expect('constructor' in obj).toBe(false);
  });

  it('keeps a "__proto__" key as data and leaves Object.prototype alone', () => {
    const bytes = hex(['03', '00 09', '5f 5f 70 72 6f 74 6f 5f 5f', '03', '00 01', '78', '01', '01', '00 00', '09', '00 00', '09']);
    const obj = decodeAmf0(bytes).value as AmfObject;
    expect(Object.getPrototypeOf(obj)).toBeNull();
    expect(Object.keys(obj)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('tags ECMA arrays with a non-enumerable symbol and typed objects with their class', () => {
    const meta = decodeAmf0(hex(['08', '00 00 00 00', '00 01', '61', '05', '00 00', '09'])).value as AmfObject;
    expect(isEcmaArray(meta)).toBe(true);
    expect(meta[AMF_ECMA_ARRAY]).toBe(true);
    expect(Object.keys(meta)).toEqual(['a']);
    expect(JSON.stringify(meta)).toBe('{"a":null}');
    const typed = decodeAmf0(hex(['10', '00 01', '43', '00 00', '09'])).value as AmfObject;
    expect(typed[AMF_CLASS_NAME]).toBe('C');
    expect(isEcmaArray(typed)).toBe(false);
  });

  it('writes a plain JS object as an AMF0 object and a plain array as a strict array', () => {
    expect(encodeAmf0({ a: null }).toString('hex')).toBe('03000161050000' + '09');
    expect(encodeAmf0([null]).toString('hex')).toBe('0a0000000105');
  });

  it('writes a string of 65535 UTF-8 bytes as a string and one of 65536 as a long string', () => {
    expect(encodeAmf0('a'.repeat(0xffff)).subarray(0, 3).toString('hex')).toBe('02ffff');
    expect(encodeAmf0('a'.repeat(0x10000)).subarray(0, 5).toString('hex')).toBe('0c00010000');
    // 21846 three-byte characters are 65538 bytes though only 21846 UTF-16 units
    expect(encodeAmf0('日'.repeat(21846)).subarray(0, 5).toString('hex')).toBe('0c00010002');
  });

  it('shares one reference table across the values of a message', () => {
    const o = amfObject({ a: 1 });
    const bytes = encodeAmf0(o, o);
    expect(bytes.subarray(bytes.length - 3).toString('hex')).toBe('070000');
    const [x, y] = decodeAmf0All(bytes);
    expect(x).toBe(y);
  });

  it('decodes an empty message as no values', () => {
    expect(decodeAmf0All(Buffer.alloc(0))).toEqual([]);
  });

  it('decodes from an offset and reports where the value ended', () => {
    const bytes = hex(['ff ff', '02', '00 01', '61', '05']);
    expect(decodeAmf0(bytes, 2)).toEqual({ value: 'a', offset: 6 });
    expect(decodeAmf0All(bytes, 2)).toEqual(['a', null]);
    expect(() => decodeAmf0(bytes, 9)).toThrow(RangeError);
  });

  it('rejects values that are not AMF values with ERR_AMF_UNSUPPORTED', () => {
    for (const bad of [10n, Symbol('s'), () => 1, new Map(), new (class Foo {})()]) {
      expect(errorCode(() => encodeAmf0(bad as never))).toBe('ERR_AMF_UNSUPPORTED');
      expect(errorCode(() => encodeAmf0(amfObject({ nested: bad as never })))).toBe('ERR_AMF_UNSUPPORTED');
    }
  });

  it('rejects a property name over 65535 bytes with ERR_AMF_TOO_LARGE', () => {
    expect(errorCode(() => encodeAmf0(amfObject({ ['k'.repeat(0x10000)]: 1 })))).toBe('ERR_AMF_TOO_LARGE');
  });
});
