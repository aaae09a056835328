/** Shared helpers for the AMF tests: hex golden bytes and a strict structural view of decoded values. */
import { AMF_CLASS_NAME, AMF_ECMA_ARRAY } from '../src/amf/index.js';
import type { AmfValue } from '../src/amf/index.js';
import { IngestError } from '../src/errors.js';
import type { IngestErrorCode } from '../src/errors.js';

/** One golden vector: bytes (hex groups, each commented) and the value(s) they carry. */
export interface Golden {
  readonly name: string;
  readonly bytes: readonly string[];
  /** The single value, or `values` for a message of several. */
  readonly value?: AmfValue;
  readonly values?: readonly AmfValue[];
  /** What the encoder writes for the decoded value when it differs from `bytes` (canonical form). */
  readonly encoded?: readonly string[];
}

/** A golden vector that must fail with an error code. */
export interface GoldenError {
  readonly name: string;
  readonly bytes: readonly string[];
  readonly code: IngestErrorCode;
}

/** Joins hex groups ("00 07", "63 6f") into bytes; rejects anything that is not whole hex bytes. */
export function hex(groups: readonly string[]): Buffer {
  const s = groups.join('').replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s.slice(0, 40)}`);
  return Buffer.from(s, 'hex');
}

/** The values a golden row carries. */
export function rowValues(row: Golden): AmfValue[] {
  return row.values !== undefined ? [...row.values] : [row.value];
}

/**
 * A plain-data view of a value that makes prototypes, the ECMA/class tags, key order, -0, byte contents and
 * object identity (shared sub-values and cycles, as `$ref`) visible to `toEqual`.
 */
export function canon(v: unknown, seen: Map<object, number> = new Map()): unknown {
  if (v === null || typeof v !== 'object') return v;
  const id = seen.get(v);
  if (id !== undefined) return { $ref: id };
  seen.set(v, seen.size);
  if (v instanceof Date) return { $date: v.getTime() };
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  if (Array.isArray(v)) return { $array: Array.from(v, (x) => canon(x, seen)) };
  const o = v as Record<string | symbol, unknown>;
  return {
    $proto: Object.getPrototypeOf(v) === null ? 'null' : 'other',
    $ecma: o[AMF_ECMA_ARRAY] === true,
    $class: o[AMF_CLASS_NAME],
    $entries: Object.keys(o).map((k) => [k, canon(o[k], seen)]),
  };
}

/** Runs `fn` and returns the IngestError code it throws; fails the test if it returns or throws anything else. */
export function errorCode(fn: () => unknown): IngestErrorCode {
  try {
    fn();
  } catch (e) {
    if (e instanceof IngestError) return e.code;
    throw e;
  }
  throw new Error('expected an IngestError, but nothing was thrown');
}

/** Repeats a hex group `n` times. */
export function times(group: string, n: number): string {
  return group.replace(/\s+/g, '').repeat(n);
}
