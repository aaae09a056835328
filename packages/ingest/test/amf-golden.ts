/**
 * Golden vectors for the AMF codec: each row's bytes (hex groups, each commented) and value drive both the
 * decoder and the encoder; the property tests use them as fuzzing seeds and truncation subjects.
 */
import { amfObject, ecmaArray, typedObject } from '../src/amf/index.js';
import type { Golden, GoldenError } from './amf-helpers.js';

const ONE = '3f f0 00 00 00 00 00 00'; // double 1.0
const sharedObject0 = amfObject({ a: 1 });

/** AMF0 golden vectors ("Action Message Format -- AMF 0", section numbers in the names). */
export const amf0Golden: Golden[] = [
  { name: '2.2 number 0', bytes: ['00', '00 00 00 00 00 00 00 00'], value: 0 },
  { name: '2.2 number 1.5', bytes: ['00', '3f f8 00 00 00 00 00 00'], value: 1.5 },
  { name: '2.2 number -0', bytes: ['00', '80 00 00 00 00 00 00 00'], value: -0 },
  { name: '2.2 number NaN', bytes: ['00', '7f f8 00 00 00 00 00 00'], value: Number.NaN },
  { name: '2.3 boolean true', bytes: ['01', '01'], value: true },
  { name: '2.3 boolean false', bytes: ['01', '00'], value: false },
  { name: '2.3 boolean: any non-zero byte is true', bytes: ['01', '02'], value: true, encoded: ['01', '01'] },
  { name: '2.4 empty string', bytes: ['02', '00 00'], value: '' },
  { name: '2.4 string', bytes: ['02', '00 07', '63 6f 6e 6e 65 63 74' /* "connect" */], value: 'connect' },
  {
    name: '2.4 string: length counts UTF-8 bytes',
    bytes: ['02', '00 05' /* 5 bytes, 2 chars */, 'c3 a9' /* é */, 'e6 97 a5' /* 日 */],
    value: 'é日',
  },
  {
    name: '2.5 object',
    bytes: [
      '03', // object marker
      '00 03', '61 70 70', // key "app"
      '02', '00 04', '6c 69 76 65', // string "live"
      '00 00', '09', // empty key + object-end
    ],
    value: amfObject({ app: 'live' }),
  },
  { name: '2.5 empty object', bytes: ['03', '00 00', '09'], value: amfObject() },
  {
    name: '2.5 object: a "__proto__" key is an ordinary property',
    bytes: ['03', '00 09', '5f 5f 70 72 6f 74 6f 5f 5f' /* "__proto__" */, '05' /* null */, '00 00', '09'],
    value: amfObject([['__proto__', null]]),
  },
  {
    name: '2.5 object: an empty key followed by a value other than object-end is a property ""',
    bytes: ['03', '00 00' /* key "" */, '05' /* null */, '00 00', '09'],
    value: amfObject({ '': null }),
  },
  {
    name: '2.5 nested object and array',
    bytes: [
      '03', // object
      '00 01', '61', // key "a"
      '03', // object
      '00 01', '62', // key "b"
      '0a', '00 00 00 01', // strict array of 1
      '01', '01', // true
      '00 00', '09', // end of inner object
      '00 00', '09', // end of outer object
    ],
    value: amfObject({ a: amfObject({ b: [true] }) }),
  },
  { name: '2.7 null', bytes: ['05'], value: null },
  { name: '2.8 undefined', bytes: ['06'], value: undefined },
  {
    name: '2.9 reference to an earlier object',
    bytes: [
      '0a', '00 00 00 02', // strict array of 2 (complex value #0)
      '03', '00 01', '61', '00', ONE, '00 00', '09', // object {a: 1} (complex value #1)
      '07', '00 01', // reference to #1
    ],
    value: [sharedObject0, sharedObject0],
  },
  {
    name: '2.10 ECMA array',
    bytes: ['08', '00 00 00 01' /* count 1 */, '00 01', '61', '00', ONE, '00 00', '09'],
    value: ecmaArray({ a: 1 }),
  },
  {
    name: '2.10 ECMA array: the count is advisory (0 written by some encoders)',
    bytes: ['08', '00 00 00 00' /* count 0 */, '00 01', '61', '00', ONE, '00 00', '09'],
    value: ecmaArray({ a: 1 }),
    encoded: ['08', '00 00 00 01', '00 01', '61', '00', ONE, '00 00', '09'],
  },
  { name: '2.10 empty ECMA array', bytes: ['08', '00 00 00 00', '00 00', '09'], value: ecmaArray() },
  {
    name: '2.12 strict array',
    bytes: ['0a', '00 00 00 02' /* 2 elements */, '00', ONE, '02', '00 01', '61' /* "a" */],
    value: [1, 'a'],
  },
  { name: '2.12 empty strict array', bytes: ['0a', '00 00 00 00'], value: [] },
  {
    name: '2.13 date',
    bytes: ['0b', '42 78 bc fe 56 80 00 00' /* 1700000000000 ms */, '00 00' /* timezone */],
    value: new Date(1700000000000),
  },
  {
    name: '2.13 date: the timezone is ignored and written back as 0',
    bytes: ['0b', '42 78 bc fe 56 80 00 00', 'ff c4' /* -60 minutes */],
    value: new Date(1700000000000),
    encoded: ['0b', '42 78 bc fe 56 80 00 00', '00 00'],
  },
  {
    name: '2.14 long string (over 65535 UTF-8 bytes)',
    bytes: ['0c', '00 01 11 70' /* 70000 bytes */, '78'.repeat(70000) /* "xxx..." */],
    value: 'x'.repeat(70000),
  },
  {
    name: '2.14 short long string is written back as a string',
    bytes: ['0c', '00 00 00 02', '68 69' /* "hi" */],
    value: 'hi',
    encoded: ['02', '00 02', '68 69'],
  },
  { name: '2.15 unsupported decodes as undefined', bytes: ['0d'], value: undefined, encoded: ['06'] },
  {
    name: '2.17 XML document decodes as a string',
    bytes: ['0f', '00 00 00 08', '3c 61 3e 62 3c 2f 61 3e' /* "<a>b</a>" */],
    value: '<a>b</a>',
    encoded: ['02', '00 08', '3c 61 3e 62 3c 2f 61 3e'],
  },
  {
    name: '2.18 typed object',
    bytes: ['10', '00 03', '46 6f 6f' /* class "Foo" */, '00 01', '78' /* "x" */, '00', ONE, '00 00', '09'],
    value: typedObject('Foo', { x: 1 }),
  },
  {
    name: '3.1 AVM+ switch: AMF3 string',
    bytes: ['11', '06' /* AMF3 string */, '07' /* 3 bytes inline */, '61 62 63'],
    value: 'abc',
    encoded: ['02', '00 03', '61 62 63'],
  },
  {
    name: '3.1 AVM+ switch: AMF3 object is written back as an AMF0 object',
    bytes: ['11', '0a' /* AMF3 object */, '0b' /* dynamic, 0 sealed */, '01' /* class "" */, '07', '61 70 70', '06', '09', '6c 69 76 65', '01' /* end */],
    value: amfObject({ app: 'live' }),
    encoded: ['03', '00 03', '61 70 70', '02', '00 04', '6c 69 76 65', '00 00', '09'],
  },
  {
    name: '3.1 AVM+ switch: ByteArray (how a Uint8Array is written)',
    bytes: ['11', '0c' /* AMF3 ByteArray */, '07' /* 3 bytes */, '01 02 03'],
    value: Buffer.from([1, 2, 3]),
  },
  {
    name: 'ffmpeg publisher connect (libavformat/rtmpproto.c gen_connect)',
    bytes: [
      '02', '00 07', '63 6f 6e 6e 65 63 74', // "connect"
      '00', ONE, // transaction id 1
      '03', // command object
      '00 03', '61 70 70', // "app"
      '02', '00 04', '6c 69 76 65', // "live"
      '00 04', '74 79 70 65', // "type"
      '02', '00 0a', '6e 6f 6e 70 72 69 76 61 74 65', // "nonprivate"
      '00 08', '66 6c 61 73 68 56 65 72', // "flashVer"
      '02', '00 23', // 35 bytes
      '46 4d 4c 45 2f 33 2e 30 20 28 63 6f 6d 70 61 74 69 62 6c 65 3b 20 4c 61 76 66 36 31 2e 37 2e 31 30 30 29', // "FMLE/3.0 (compatible; Lavf61.7.100)"
      '00 05', '74 63 55 72 6c', // "tcUrl"
      '02', '00 1a', '72 74 6d 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 3a 31 39 33 35 2f 6c 69 76 65', // "rtmp://127.0.0.1:1935/live"
      '00 00', '09', // object end
    ],
    values: [
      'connect',
      1,
      amfObject({ app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; Lavf61.7.100)', tcUrl: 'rtmp://127.0.0.1:1935/live' }),
    ],
  },
  {
    name: 'ffmpeg player connect (fpad, capabilities, codecs)',
    bytes: [
      '02', '00 07', '63 6f 6e 6e 65 63 74', // "connect"
      '00', ONE, // transaction id 1
      '03', // command object
      '00 03', '61 70 70', '02', '00 04', '6c 69 76 65', // app: "live"
      '00 08', '66 6c 61 73 68 56 65 72', '02', '00 0d', '4c 4e 58 20 39 2c 30 2c 31 32 34 2c 32', // flashVer: "LNX 9,0,124,2"
      '00 05', '74 63 55 72 6c', '02', '00 1a', '72 74 6d 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 3a 31 39 33 35 2f 6c 69 76 65', // tcUrl
      '00 04', '66 70 61 64', '01', '00', // fpad: false
      '00 0c', '63 61 70 61 62 69 6c 69 74 69 65 73', '00', '40 2e 00 00 00 00 00 00', // capabilities: 15
      '00 0b', '61 75 64 69 6f 43 6f 64 65 63 73', '00', '40 af ce 00 00 00 00 00', // audioCodecs: 4071
      '00 0b', '76 69 64 65 6f 43 6f 64 65 63 73', '00', '40 6f 80 00 00 00 00 00', // videoCodecs: 252
      '00 0d', '76 69 64 65 6f 46 75 6e 63 74 69 6f 6e', '00', ONE, // videoFunction: 1
      '00 00', '09', // object end
    ],
    values: [
      'connect',
      1,
      amfObject({
        app: 'live',
        flashVer: 'LNX 9,0,124,2',
        tcUrl: 'rtmp://127.0.0.1:1935/live',
        fpad: false,
        capabilities: 15,
        audioCodecs: 4071,
        videoCodecs: 252,
        videoFunction: 1,
      }),
    ],
  },
  {
    name: 'ffmpeg @setDataFrame onMetaData (libavformat/flvenc.c flv_write_header, sent by rtmpproto.c)',
    bytes: [
      '02', '00 0d', '40 73 65 74 44 61 74 61 46 72 61 6d 65', // "@setDataFrame"
      '02', '00 0a', '6f 6e 4d 65 74 61 44 61 74 61', // "onMetaData"
      '08', '00 00 00 0d', // ECMA array, 13 entries
      '00 08', '64 75 72 61 74 69 6f 6e', '00', '00 00 00 00 00 00 00 00', // duration: 0
      '00 05', '77 69 64 74 68', '00', '40 94 00 00 00 00 00 00', // width: 1280
      '00 06', '68 65 69 67 68 74', '00', '40 86 80 00 00 00 00 00', // height: 720
      '00 0d', '76 69 64 65 6f 64 61 74 61 72 61 74 65', '00', '40 a3 88 00 00 00 00 00', // videodatarate: 2500
      '00 09', '66 72 61 6d 65 72 61 74 65', '00', '40 3e 00 00 00 00 00 00', // framerate: 30
      '00 0c', '76 69 64 65 6f 63 6f 64 65 63 69 64', '00', '40 1c 00 00 00 00 00 00', // videocodecid: 7 (AVC)
      '00 0d', '61 75 64 69 6f 64 61 74 61 72 61 74 65', '00', '40 60 00 00 00 00 00 00', // audiodatarate: 128
      '00 0f', '61 75 64 69 6f 73 61 6d 70 6c 65 72 61 74 65', '00', '40 e5 88 80 00 00 00 00', // audiosamplerate: 44100
      '00 0f', '61 75 64 69 6f 73 61 6d 70 6c 65 73 69 7a 65', '00', '40 30 00 00 00 00 00 00', // audiosamplesize: 16
      '00 06', '73 74 65 72 65 6f', '01', '01', // stereo: true
      '00 0c', '61 75 64 69 6f 63 6f 64 65 63 69 64', '00', '40 24 00 00 00 00 00 00', // audiocodecid: 10 (AAC)
      '00 07', '65 6e 63 6f 64 65 72', '02', '00 0c', '4c 61 76 66 36 31 2e 37 2e 31 30 30', // encoder: "Lavf61.7.100"
      '00 08', '66 69 6c 65 73 69 7a 65', '00', '00 00 00 00 00 00 00 00', // filesize: 0
      '00 00', '09', // object end
    ],
    values: [
      '@setDataFrame',
      'onMetaData',
      ecmaArray({
        duration: 0,
        width: 1280,
        height: 720,
        videodatarate: 2500,
        framerate: 30,
        videocodecid: 7,
        audiodatarate: 128,
        audiosamplerate: 44100,
        audiosamplesize: 16,
        stereo: true,
        audiocodecid: 10,
        encoder: 'Lavf61.7.100',
        filesize: 0,
      }),
    ],
  },
];

/** AMF0 vectors that must fail, with the error code. */
export const amf0GoldenErrors: GoldenError[] = [
  { name: 'empty input', bytes: [], code: 'ERR_AMF_TRUNCATED' },
  { name: '2.6 movieclip is reserved', bytes: ['04'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: '2.16 recordset is reserved', bytes: ['0e'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: 'marker 0x12 does not exist', bytes: ['12'], code: 'ERR_AMF_UNKNOWN_MARKER' },
  { name: 'marker 0xff does not exist', bytes: ['ff'], code: 'ERR_AMF_UNKNOWN_MARKER' },
  { name: 'object-end outside an object', bytes: ['09'], code: 'ERR_AMF_UNKNOWN_MARKER' },
  { name: 'object-end as a property value', bytes: ['03', '00 01', '61', '09'], code: 'ERR_AMF_UNKNOWN_MARKER' },
  { name: 'reference with an empty table', bytes: ['07', '00 00'], code: 'ERR_AMF_BAD_REFERENCE' },
  { name: 'forward reference', bytes: ['03', '00 01', '61', '07', '00 01', '00 00', '09'], code: 'ERR_AMF_BAD_REFERENCE' },
  { name: 'string shorter than declared', bytes: ['02', '00 05', '61'], code: 'ERR_AMF_TRUNCATED' },
  { name: 'number cut short', bytes: ['00', '3f f0'], code: 'ERR_AMF_TRUNCATED' },
  { name: 'object without its end', bytes: ['03', '00 00'], code: 'ERR_AMF_TRUNCATED' },
  { name: 'AVM+ switch with nothing after it', bytes: ['11'], code: 'ERR_AMF_TRUNCATED' },
  { name: 'AVM+ switch to an AMF3 vector', bytes: ['11', '0d', '01', '00'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: 'AVM+ switch to an externalizable object', bytes: ['11', '0a', '07', '07', '46 6f 6f'], code: 'ERR_AMF_UNSUPPORTED' },
];

const DATE = '42 78 bc fe 56 80 00 00'; // double 1700000000000 (ms)
const sharedDate = new Date(1700000000000);
const sharedObject3 = amfObject({ a: 1 });

/** AMF3 golden vectors ("AMF 3 Specification", section numbers in the names). */
export const amf3Golden: Golden[] = [
  { name: '3.2 undefined', bytes: ['00'], value: undefined },
  { name: '3.3 null', bytes: ['01'], value: null },
  { name: '3.4 false', bytes: ['02'], value: false },
  { name: '3.5 true', bytes: ['03'], value: true },
  { name: '3.6 integer 0', bytes: ['04', '00'], value: 0 },
  { name: '3.6 integer 127 (1-byte U29)', bytes: ['04', '7f'], value: 127 },
  { name: '3.6 integer 128 (2-byte U29)', bytes: ['04', '81 00'], value: 128 },
  { name: '3.6 integer 16383', bytes: ['04', 'ff 7f'], value: 16383 },
  { name: '3.6 integer 16384 (3-byte U29)', bytes: ['04', '81 80 00'], value: 16384 },
  { name: '3.6 integer 2097151', bytes: ['04', 'ff ff 7f'], value: 2097151 },
  { name: '3.6 integer 2097152 (4-byte U29, last byte has 8 bits)', bytes: ['04', '80 c0 80 00'], value: 2097152 },
  { name: '3.6 integer 2^28-1 (largest)', bytes: ['04', 'bf ff ff ff'], value: 0x0fffffff },
  { name: '3.6 integer -1 (29-bit two\'s complement)', bytes: ['04', 'ff ff ff ff'], value: -1 },
  { name: '3.6 integer -2^28 (smallest)', bytes: ['04', 'c0 80 80 00'], value: -0x10000000 },
  { name: '3.7 double 1.5', bytes: ['05', '3f f8 00 00 00 00 00 00'], value: 1.5 },
  { name: '3.7 double 2^28 (outside the integer range)', bytes: ['05', '41 b0 00 00 00 00 00 00'], value: 0x10000000 },
  { name: '3.7 double -0', bytes: ['05', '80 00 00 00 00 00 00 00'], value: -0 },
  { name: '3.8 empty string', bytes: ['06', '01' /* length 0, inline */], value: '' },
  { name: '3.8 string', bytes: ['06', '07' /* length 3, inline */, '61 62 63' /* "abc" */], value: 'abc' },
  {
    name: '3.8 string reference inside an array',
    bytes: ['09', '05' /* 2 dense */, '01' /* no associative part */, '06', '07', '61 62 63', '06', '00' /* string ref 0 */],
    value: ['abc', 'abc'],
  },
  {
    name: '2.2 string table spans the values of a message',
    bytes: ['06', '07', '61 62 63', '06', '00' /* string ref 0 */],
    values: ['abc', 'abc'],
  },
  {
    name: '3.9 XMLDocument decodes as a string',
    bytes: ['07', '09' /* 4 bytes */, '3c 61 2f 3e' /* "<a/>" */],
    value: '<a/>',
    encoded: ['06', '09', '3c 61 2f 3e'],
  },
  { name: '3.10 date', bytes: ['08', '01' /* inline */, DATE], value: new Date(1700000000000) },
  {
    name: '3.10 date reference',
    bytes: ['09', '05', '01', '08', '01', DATE, '08', '02' /* object ref 1 (the array is 0) */],
    value: [sharedDate, sharedDate],
  },
  { name: '3.11 dense array', bytes: ['09', '05' /* 2 dense */, '01', '04 01', '04 02'], value: [1, 2] },
  { name: '3.11 empty array', bytes: ['09', '01', '01'], value: [] },
  {
    name: '3.11 array with associative and dense parts',
    bytes: ['09', '03' /* 1 dense */, '03', '61' /* key "a" */, '04 01', '01' /* end of associative part */, '04 05' /* [0] = 5 */],
    value: ecmaArray([['0', 5], ['a', 1]]),
  },
  {
    name: '3.11 associative-only array',
    bytes: ['09', '01' /* 0 dense */, '03', '61', '04 01', '01'],
    value: ecmaArray({ a: 1 }),
  },
  {
    name: '3.12 anonymous object (dynamic traits)',
    bytes: ['0a', '0b' /* inline traits, dynamic, 0 sealed */, '01' /* class "" */, '03', '61', '04 01', '01' /* end */],
    value: amfObject({ a: 1 }),
  },
  {
    name: '3.12 object: a "__proto__" key is an ordinary property',
    bytes: ['0a', '0b', '01', '13', '5f 5f 70 72 6f 74 6f 5f 5f' /* "__proto__" */, '01' /* null */, '01'],
    value: amfObject([['__proto__', null]]),
  },
  {
    name: '3.12 typed object (sealed traits)',
    bytes: ['0a', '23' /* inline traits, 2 sealed */, '07', '46 6f 6f' /* "Foo" */, '03', '78', '03', '79', '04 01', '04 02'],
    value: typedObject('Foo', { x: 1, y: 2 }),
  },
  {
    name: '3.12 traits reference',
    bytes: [
      '09', '05', '01', // array of 2
      '0a', '23', '07', '46 6f 6f', '03', '78', '03', '79', '04 01', '04 02', // Foo {x: 1, y: 2}
      '0a', '01' /* traits ref 0 */, '04 03', '04 04', // Foo {x: 3, y: 4}
    ],
    value: [typedObject('Foo', { x: 1, y: 2 }), typedObject('Foo', { x: 3, y: 4 })],
  },
  {
    name: '3.12 object reference',
    bytes: ['09', '05', '01', '0a', '0b', '01', '03', '61', '04 01', '01', '0a', '02' /* object ref 1 */],
    value: [sharedObject3, sharedObject3],
  },
  {
    name: '3.12 sealed and dynamic members together',
    bytes: ['0a', '1b' /* inline traits, dynamic, 1 sealed */, '01', '03', '61', '04 01' /* a */, '03', '62', '04 02' /* b */, '01'],
    value: amfObject({ a: 1, b: 2 }),
    encoded: ['0a', '0b', '01', '03', '61', '04 01', '03', '62', '04 02', '01'],
  },
  {
    name: '3.12 object with an empty key (written with sealed traits)',
    bytes: ['0a', '13' /* 1 sealed */, '01' /* class "" */, '01' /* member "" */, '04 01'],
    value: amfObject({ '': 1 }),
  },
  {
    name: '3.13 XML decodes as a string',
    bytes: ['0b', '09', '3c 61 2f 3e'],
    value: '<a/>',
    encoded: ['06', '09', '3c 61 2f 3e'],
  },
  { name: '3.14 ByteArray', bytes: ['0c', '07' /* 3 bytes */, '01 02 03'], value: Buffer.from([1, 2, 3]) },
  {
    name: 'nested object and array',
    bytes: ['0a', '0b', '01', '09', '6c 69 73 74' /* "list" */, '09', '05', '01', '04 01', '06', '03', '78' /* "x" */, '01'],
    value: amfObject({ list: [1, 'x'] }),
  },
];

/** AMF3 vectors that must fail, with the error code. */
export const amf3GoldenErrors: GoldenError[] = [
  { name: 'empty input', bytes: [], code: 'ERR_AMF_TRUNCATED' },
  { name: '3.12 externalizable object', bytes: ['0a', '07', '07', '46 6f 6f'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: '3.15 Vector.<int>', bytes: ['0d', '03', '00', '00 00 00 01'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: '3.15 Vector.<uint>', bytes: ['0e'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: '3.15 Vector.<Number>', bytes: ['0f'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: '3.15 Vector.<Object>', bytes: ['10'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: '3.16 Dictionary', bytes: ['11'], code: 'ERR_AMF_UNSUPPORTED' },
  { name: 'marker 0x12 does not exist', bytes: ['12'], code: 'ERR_AMF_UNKNOWN_MARKER' },
  { name: 'string reference with an empty table', bytes: ['06', '00'], code: 'ERR_AMF_BAD_REFERENCE' },
  { name: 'object reference with an empty table', bytes: ['0a', '00'], code: 'ERR_AMF_BAD_REFERENCE' },
  { name: 'traits reference with an empty table', bytes: ['0a', '05' /* traits ref 1 */], code: 'ERR_AMF_BAD_REFERENCE' },
  { name: 'date reference with an empty table', bytes: ['08', '00'], code: 'ERR_AMF_BAD_REFERENCE' },
  { name: 'U29 cut short', bytes: ['04', 'ff ff ff'], code: 'ERR_AMF_TRUNCATED' },
  { name: 'string declaring 2^28-65 bytes with none present', bytes: ['06', 'ff ff ff 7f'], code: 'ERR_AMF_TRUNCATED' },
  { name: 'dynamic object without its end', bytes: ['0a', '0b', '01', '03', '61', '04 01'], code: 'ERR_AMF_TRUNCATED' },
];

