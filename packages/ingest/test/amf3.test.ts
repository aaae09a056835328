import { describe, it, expect } from 'vitest';
import {
  AMF_CLASS_NAME,
  amfObject,
  decodeAmf3,
  decodeAmf3All,
  decodeCommandAmf3,
  ecmaArray,
  encodeAmf3,
  encodeCommandAmf3,
  typedObject,
} from '../src/amf/index.js';
import type { AmfObject } from '../src/amf/index.js';
import { canon, errorCode, hex, rowValues } from './amf-helpers.js';
import { amf3Golden, amf3GoldenErrors } from './amf-golden.js';

describe('AMF3 golden vectors', () => {
  for (const row of amf3Golden) {
    const bytes = hex(row.bytes);
    const values = rowValues(row);
    const encoded = hex(row.encoded ?? row.bytes);

    it(`decodes ${row.name}`, () => {
      expect(canon(decodeAmf3All(bytes))).toEqual(canon(values));
      if (values.length === 1) {
        const one = decodeAmf3(bytes);
        expect(one.offset).toBe(bytes.length);
        expect(canon(one.value)).toEqual(canon(values[0]));
      }
    });

    it(`encodes ${row.name}`, () => {
      expect(encodeAmf3(...values).toString('hex')).toBe(encoded.toString('hex'));
      expect(encodeAmf3(...decodeAmf3All(bytes)).toString('hex')).toBe(encoded.toString('hex'));
    });
  }

  for (const row of amf3GoldenErrors) {
    it(`rejects ${row.name} with ${row.code}`, () => {
      expect(errorCode(() => decodeAmf3(hex(row.bytes)))).toBe(row.code);
    });
  }
});

describe('AMF3 representation', () => {
  it('decodes objects with a null prototype and the class name on a symbol', () => {
    const obj = decodeAmf3(hex(['0a', '13', '07', '46 6f 6f', '03', '78', '04 01'])).value as AmfObject;
    expect(Object.getPrototypeOf(obj)).toBeNull();
    expect(obj[AMF_CLASS_NAME]).toBe('Foo');
    expect(obj.x).toBe(1);
    expect(Object.keys(obj)).toEqual(['x']);
  });

  it('decodes an anonymous object without a class name', () => {
    const obj = decodeAmf3(hex(['0a', '0b', '01', '01'])).value as AmfObject;
    expect(obj[AMF_CLASS_NAME]).toBeUndefined();
  });

  it('decodes a ByteArray as a copy, not a view of the message', () => {
    const bytes = hex(['0c', '07', '01 02 03']);
    const out = decodeAmf3(bytes).value as Buffer;
    bytes[2] = 0xff;
    expect([...out]).toEqual([1, 2, 3]);
  });

  it('writes a decoded dynamic typed object back with sealed traits', () => {
    const bytes = hex(['0a', '1b', '07', '46 6f 6f', '03', '61', '04 01', '03', '62', '04 02', '01']);
    const obj = decodeAmf3(bytes).value;
    expect(canon(obj)).toEqual(canon(typedObject('Foo', { a: 1, b: 2 })));
    expect(encodeAmf3(obj).toString('hex')).toBe(hex(['0a', '23', '07', '46 6f 6f', '03', '61', '03', '62', '04 01', '04 02']).toString('hex'));
  });

  it('cannot write an empty associative key in an array', () => {
    expect(errorCode(() => encodeAmf3(ecmaArray({ '': 1 })))).toBe('ERR_AMF_UNSUPPORTED');
  });

  it('writes integers outside the signed 29-bit range and fractions as doubles', () => {
    expect(encodeAmf3(-0x10000001).subarray(0, 1).toString('hex')).toBe('05');
    expect(encodeAmf3(0.5).subarray(0, 1).toString('hex')).toBe('05');
    expect(encodeAmf3(Number.POSITIVE_INFINITY).subarray(0, 1).toString('hex')).toBe('05');
  });
});

describe('AMF3 command and data bodies (RTMP types 17 and 15)', () => {
  it('decodes a type-17 connect whose command object is switched to AMF3', () => {
    const body = hex([
      '00', // format byte
      '02', '00 07', '63 6f 6e 6e 65 63 74', // AMF0 string "connect"
      '00', '3f f0 00 00 00 00 00 00', // AMF0 number 1
      '11', // AVM+ switch
      '0a', '0b', '01', // AMF3 anonymous dynamic object
      '07', '61 70 70', '06', '09', '6c 69 76 65', // app: "live"
      '0b', '74 63 55 72 6c', '06', '35', '72 74 6d 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 3a 31 39 33 35 2f 6c 69 76 65', // tcUrl
      '01', // end of dynamic members
    ]);
    const [name, tx, cmd] = decodeCommandAmf3(body);
    expect(name).toBe('connect');
    expect(tx).toBe(1);
    expect(canon(cmd)).toEqual(canon(amfObject({ app: 'live', tcUrl: 'rtmp://127.0.0.1:1935/live' })));
  });

  it('shares the AMF3 tables between the switched values of one message', () => {
    const body = hex(['00', '11', '06', '07', '61 62 63' /* "abc" */, '11', '06', '00' /* string ref 0 */]);
    expect(decodeCommandAmf3(body)).toEqual(['abc', 'abc']);
  });

  it('decodes a type-15 @setDataFrame body', () => {
    const body = hex(['00', '02', '00 0d', '40 73 65 74 44 61 74 61 46 72 61 6d 65', '02', '00 0a', '6f 6e 4d 65 74 61 44 61 74 61', '08', '00 00 00 00', '00 00', '09']);
    const values = decodeCommandAmf3(body);
    expect(canon(values)).toEqual(canon(['@setDataFrame', 'onMetaData', ecmaArray()]));
  });

  it('encodes the format byte then AMF0 values, and decodes them back', () => {
    const body = encodeCommandAmf3('_result', 1, null, amfObject({ code: 'NetConnection.Connect.Success' }));
    expect(body[0]).toBe(0x00);
    expect(body[1]).toBe(0x02);
    expect(canon(decodeCommandAmf3(body))).toEqual(canon(['_result', 1, null, amfObject({ code: 'NetConnection.Connect.Success' })]));
  });

  it('rejects an empty body and an unknown format byte', () => {
    expect(errorCode(() => decodeCommandAmf3(Buffer.alloc(0)))).toBe('ERR_AMF_TRUNCATED');
    expect(errorCode(() => decodeCommandAmf3(hex(['02', '00 01', '61'])))).toBe('ERR_AMF_UNSUPPORTED');
  });

  it('decodes a body holding only the format byte as no values', () => {
    expect(decodeCommandAmf3(hex(['00']))).toEqual([]);
  });
});
