/** Sorting JS values into AMF kinds for the encoders (shared so AMF0 and AMF3 agree). */
import { IngestError } from '../errors.js';
import { AMF_CLASS_NAME, AMF_ECMA_ARRAY } from './types.js';
import type { AmfObject, AmfValue } from './types.js';

/** What an encoder writes for a JS value. */
export type AmfKind =
  | { readonly kind: 'undefined' | 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'date'; readonly value: Date }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'array'; readonly value: readonly AmfValue[] }
  | { readonly kind: 'ecma'; readonly value: AmfObject }
  | { readonly kind: 'object'; readonly value: AmfObject; readonly className: string | undefined };

/**
 * Classifies `v`; throws ERR_AMF_UNSUPPORTED for anything that is not an {@link AmfValue} (bigint, symbol,
 * function, Map, class instances...). Objects must have Object.prototype or a null prototype.
 */
export function classify(v: unknown, what: string): AmfKind {
  switch (typeof v) {
    case 'undefined':
      return { kind: 'undefined' };
    case 'boolean':
      return { kind: 'boolean', value: v };
    case 'number':
      return { kind: 'number', value: v };
    case 'string':
      return { kind: 'string', value: v };
    case 'object': {
      if (v === null) return { kind: 'null' };
      if (Array.isArray(v)) return { kind: 'array', value: v as AmfValue[] };
      if (v instanceof Date) return { kind: 'date', value: v };
      if (v instanceof Uint8Array) return { kind: 'bytes', value: v };
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto === null || proto === Object.prototype) {
        const obj = v as AmfObject;
        if (obj[AMF_ECMA_ARRAY] === true) return { kind: 'ecma', value: obj };
        const className = obj[AMF_CLASS_NAME];
        return { kind: 'object', value: obj, className: typeof className === 'string' ? className : undefined };
      }
      const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
      throw new IngestError('ERR_AMF_UNSUPPORTED', `${what}: cannot encode an instance of ${String(name ?? 'unknown class')}`);
    }
    default:
      throw new IngestError('ERR_AMF_UNSUPPORTED', `${what}: cannot encode a ${typeof v}`);
  }
}
