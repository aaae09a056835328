import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  amfObject,
  decodeAmf0,
  decodeAmf0All,
  decodeAmf3,
  decodeAmf3All,
  decodeCommandAmf3,
  ecmaArray,
  encodeAmf0,
  encodeAmf3,
  typedObject,
} from '../src/amf/index.js';
import type { AmfValue } from '../src/amf/index.js';
import { IngestError } from '../src/errors.js';
import { canon, hex, rowValues } from './amf-helpers.js';
import { amf0Golden, amf0GoldenErrors, amf3Golden, amf3GoldenErrors } from './amf-golden.js';

const RUNS = { numRuns: 300 };

/** Nested AMF values (depth at most ~8). `amf3` avoids the shapes AMF3 cannot carry back (see amf3-encoder.ts). */
function amfValue(amf3: boolean): fc.Arbitrary<AmfValue> {
  const key = fc.string({ unit: 'binary', maxLength: 8 });
  const className = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 });
  const leaf: fc.Arbitrary<AmfValue> = fc.oneof(
    fc.double(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    fc.integer({ min: -0x10000000, max: 0x0fffffff }),
    fc.boolean(),
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: false }),
    fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
  );
  return fc.letrec<{ value: AmfValue; array: AmfValue[]; entries: [string, AmfValue][] }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 8, depthIdentifier: 'amf' },
      leaf,
      tie('array'),
      tie('entries').map((e) => amfObject(e)),
      // In AMF3 an ECMA array with no associative key left comes back as a plain array, and "" cannot be a key.
      tie('entries').map((e) => ecmaArray(amf3 ? [...e.filter(([k]) => k !== ''), ['tag', 1] as [string, AmfValue]] : e)),
      fc.tuple(className, tie('entries')).map(([c, e]) => typedObject(c, e)),
    ),
    array: fc.array(tie('value'), { maxLength: 5, depthIdentifier: 'amf' }),
    entries: fc.array(fc.tuple(key, tie('value')), { maxLength: 5, depthIdentifier: 'amf' }),
  })).value;
}

/** Calls `fn`; anything thrown must be an IngestError. */
function onlyIngestErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
  }
}

/** Calls `fn` and returns the IngestError code, or 'ok'. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof IngestError) return e.code;
    throw e;
  }
}

/** Byte edits applied to a seed: overwrite, insert, delete, truncate. */
const mutation = fc.oneof(
  fc.tuple(fc.constant('set' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
  fc.tuple(fc.constant('insert' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
  fc.tuple(fc.constant('delete' as const), fc.nat(), fc.constant(0)),
  fc.tuple(fc.constant('cut' as const), fc.nat(), fc.constant(0)),
);

function mutate(seed: Buffer, edits: readonly (readonly ['set' | 'insert' | 'delete' | 'cut', number, number])[]): Buffer {
  const b = [...seed];
  for (const [op, at, byte] of edits) {
    const i = b.length === 0 ? 0 : at % (b.length + (op === 'insert' ? 1 : 0));
    if (op === 'set' && b.length > 0) b[i] = byte;
    else if (op === 'insert') b.splice(i, 0, byte);
    else if (op === 'delete') b.splice(i, 1);
    else if (op === 'cut') b.length = i;
  }
  return Buffer.from(b);
}

/** Bytes that look like AMF: markers and small lengths are common. */
const amfishBytes = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0x12 }), fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 })), { maxLength: 96 })
  .map((a) => Buffer.from(a));

const seeds0 = [...amf0Golden, ...amf0GoldenErrors].map((r) => hex(r.bytes)).filter((b) => b.length < 1000);
const seeds3 = [...amf3Golden, ...amf3GoldenErrors].map((r) => hex(r.bytes));

describe('AMF round trips', () => {
  it('AMF0: decode(encode(values)) equals the values, and re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(fc.array(amfValue(false), { minLength: 1, maxLength: 3 }), (values) => {
        const bytes = encodeAmf0(...values);
        const decoded = decodeAmf0All(bytes);
        expect(canon(decoded)).toEqual(canon(values));
        expect(encodeAmf0(...decoded).equals(bytes)).toBe(true);
      }),
      RUNS,
    );
  });

  it('AMF3: decode(encode(values)) equals the values, and re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(fc.array(amfValue(true), { minLength: 1, maxLength: 3 }), (values) => {
        const bytes = encodeAmf3(...values);
        const decoded = decodeAmf3All(bytes);
        expect(canon(decoded)).toEqual(canon(values));
        expect(encodeAmf3(...decoded).equals(bytes)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a single encoded value is consumed exactly', () => {
    fc.assert(
      fc.property(amfValue(true), (value) => {
        const b0 = encodeAmf0(value);
        expect(decodeAmf0(b0).offset).toBe(b0.length);
        const b3 = encodeAmf3(value);
        expect(decodeAmf3(b3).offset).toBe(b3.length);
      }),
      RUNS,
    );
  });
});

describe('AMF decoding of hostile input', () => {
  it('arbitrary bytes either decode or throw an IngestError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 96 }).map((a) => Buffer.from(a)), amfishBytes), (bytes) => {
        onlyIngestErrors(() => decodeAmf0All(bytes));
        onlyIngestErrors(() => decodeAmf3All(bytes));
        onlyIngestErrors(() => decodeCommandAmf3(bytes));
        onlyIngestErrors(() => decodeCommandAmf3(Buffer.concat([Buffer.of(0), bytes])));
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated golden vectors either decode or throw an IngestError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds0), fc.constantFrom(...seeds3), fc.array(mutation, { minLength: 1, maxLength: 4 }), (s0, s3, edits) => {
        onlyIngestErrors(() => decodeAmf0All(mutate(s0, edits)));
        onlyIngestErrors(() => decodeAmf3All(mutate(s3, edits)));
        onlyIngestErrors(() => decodeCommandAmf3(Buffer.concat([Buffer.of(0), mutate(s0, edits)])));
      }),
      { numRuns: 2000 },
    );
  });

  it('every strict prefix of a single-value golden vector throws ERR_AMF_TRUNCATED', () => {
    const check = (rows: typeof amf0Golden, decode: (b: Buffer) => unknown, decodeAll: (b: Buffer) => unknown) => {
      for (const row of rows) {
        const bytes = hex(row.bytes);
        const single = rowValues(row).length === 1;
        for (let cut = 0; cut < bytes.length; cut++) {
          const prefix = bytes.subarray(0, cut);
          if (single) {
            expect(outcome(() => decode(prefix)), `${row.name} cut at ${cut}`).toBe('ERR_AMF_TRUNCATED');
          } else {
            expect(['ok', 'ERR_AMF_TRUNCATED'], `${row.name} cut at ${cut}`).toContain(outcome(() => decodeAll(prefix)));
          }
        }
      }
    };
    check(amf0Golden, decodeAmf0, decodeAmf0All);
    check(amf3Golden, decodeAmf3, decodeAmf3All);
  });

  it('every strict prefix of an arbitrary encoded value throws ERR_AMF_TRUNCATED', () => {
    fc.assert(
      fc.property(amfValue(true), (value) => {
        for (const [bytes, decode] of [
          [encodeAmf0(value), decodeAmf0],
          [encodeAmf3(value), decodeAmf3],
        ] as const) {
          for (let cut = 0; cut < bytes.length; cut++) {
            expect(outcome(() => decode(bytes.subarray(0, cut)))).toBe('ERR_AMF_TRUNCATED');
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
