/**
 * AMF3 encoder ("AMF 3 Specification", Adobe, January 2013), keeping the string, object and traits
 * reference tables of one message (spec 2.2) so repeated strings, shared objects and cycles are written as
 * references.
 */
import { IngestError } from '../errors.js';
import { classify } from './classify.js';
import { AMF_MAX_DEPTH, AMF3_MAX_U29 } from './limits.js';
import { Amf3Marker } from './markers.js';
import type { AmfWriter } from './writer.js';
import type { AmfObject, AmfValue } from './types.js';

const INT29_MIN = -0x10000000;
const INT29_MAX = 0x0fffffff;

/**
 * Encodes AMF3 values into an {@link AmfWriter}. Numbers that are integers in the signed 29-bit range
 * (except -0) are written as integer, others as double. Anonymous objects are written with dynamic traits;
 * typed objects (and objects with an empty key, which a dynamic member cannot carry) with sealed traits.
 * ECMA-tagged objects become arrays whose leading "0".."n-1" keys form the dense part.
 */
export class Amf3Encoder {
  private readonly strings = new Map<string, number>();
  private readonly objects = new Map<object, number>();
  private readonly traits = new Map<string, number>();
  private depth = 0;

  constructor(private readonly w: AmfWriter) {}

  /** Writes one value. */
  value(v: AmfValue): void {
    const w = this.w;
    const k = classify(v, 'AMF3 encode');
    switch (k.kind) {
      case 'undefined':
        return w.u8(Amf3Marker.undefined);
      case 'null':
        return w.u8(Amf3Marker.null);
      case 'boolean':
        return w.u8(k.value ? Amf3Marker.true : Amf3Marker.false);
      case 'number':
        if (Number.isInteger(k.value) && k.value >= INT29_MIN && k.value <= INT29_MAX && !Object.is(k.value, -0)) {
          w.u8(Amf3Marker.integer);
          return this.u29(k.value & AMF3_MAX_U29, 'AMF3 integer');
        }
        w.u8(Amf3Marker.double);
        return w.f64(k.value);
      case 'string':
        w.u8(Amf3Marker.string);
        return this.string(k.value);
      case 'date':
        w.u8(Amf3Marker.date);
        if (this.ref(k.value)) return;
        w.u8(0x01); // U29D-value: inline, no other bits used
        return w.f64(k.value.getTime());
      case 'bytes':
        w.u8(Amf3Marker.byteArray);
        if (this.ref(k.value)) return;
        this.length(k.value.length, 'AMF3 ByteArray');
        return w.bytes(k.value);
      case 'array':
        w.u8(Amf3Marker.array);
        if (this.ref(k.value)) return;
        this.enter();
        this.length(k.value.length, 'AMF3 array');
        w.u8(0x01); // no associative part
        for (let i = 0; i < k.value.length; i++) this.value(k.value[i]);
        return this.leave();
      case 'ecma':
        w.u8(Amf3Marker.array);
        if (this.ref(k.value)) return;
        return this.ecma(k.value);
      case 'object':
        w.u8(Amf3Marker.object);
        if (this.ref(k.value)) return;
        return this.object(k.value, k.className);
    }
  }

  /** U29 (spec 1.3.1). */
  private u29(v: number, what: string): void {
    const w = this.w;
    if (v < 0 || v > AMF3_MAX_U29) throw new IngestError('ERR_AMF_TOO_LARGE', `${what}: ${v} does not fit in a U29 (max ${AMF3_MAX_U29})`);
    if (v < 0x80) return w.u8(v);
    if (v < 0x4000) {
      w.u8((v >>> 7) | 0x80);
      return w.u8(v & 0x7f);
    }
    if (v < 0x200000) {
      w.u8((v >>> 14) | 0x80);
      w.u8(((v >>> 7) & 0x7f) | 0x80);
      return w.u8(v & 0x7f);
    }
    w.u8(((v >>> 22) & 0x7f) | 0x80);
    w.u8(((v >>> 15) & 0x7f) | 0x80);
    w.u8(((v >>> 8) & 0x7f) | 0x80);
    w.u8(v & 0xff);
  }

  /** An inline length or count: (n << 1) | 1. */
  private length(n: number, what: string): void {
    if (n > AMF3_MAX_U29 >>> 1) throw new IngestError('ERR_AMF_TOO_LARGE', `${what} length ${n} exceeds the AMF3 limit of ${AMF3_MAX_U29 >>> 1}`);
    this.u29(n * 2 + 1, what);
  }

  /** UTF-8-vr (spec 1.3.2). */
  private string(s: string): void {
    if (s === '') return this.w.u8(0x01);
    const index = this.strings.get(s);
    if (index !== undefined) return this.u29(index * 2, 'AMF3 string reference');
    const n = Buffer.byteLength(s, 'utf8');
    this.length(n, 'AMF3 string');
    this.w.utf8(s, n);
    this.strings.set(s, this.strings.size);
  }

  /** Writes an object reference if `o` was written before; otherwise registers it (spec 2.2) and returns false. */
  private ref(o: object): boolean {
    const index = this.objects.get(o);
    if (index !== undefined) {
      this.u29(index * 2, 'AMF3 object reference');
      return true;
    }
    this.objects.set(o, this.objects.size);
    return false;
  }

  private enter(): void {
    if (++this.depth > AMF_MAX_DEPTH) throw new IngestError('ERR_AMF_DEPTH', `AMF3 encode: nesting deeper than the limit of ${AMF_MAX_DEPTH}`);
  }

  private leave(): void {
    this.depth--;
  }

  private ecma(obj: AmfObject): void {
    const keys = Object.keys(obj);
    let dense = 0;
    while (dense < keys.length && keys[dense] === String(dense)) dense++;
    this.enter();
    this.length(dense, 'AMF3 array');
    for (let i = dense; i < keys.length; i++) {
      const key = keys[i] as string;
      if (key === '') throw new IngestError('ERR_AMF_UNSUPPORTED', 'AMF3 array: an empty associative key cannot be encoded (it ends the list)');
      this.string(key);
      this.value(obj[key]);
    }
    this.w.u8(0x01);
    for (let i = 0; i < dense; i++) this.value(obj[String(i)]);
    this.leave();
  }

  private object(obj: AmfObject, className: string | undefined): void {
    const keys = Object.keys(obj);
    const sealed = (className !== undefined && className !== '') || keys.includes('');
    const traitsKey = JSON.stringify(sealed ? [className ?? '', ...keys] : 0);
    const traitsIndex = this.traits.get(traitsKey);
    this.enter();
    if (traitsIndex !== undefined) {
      this.u29(traitsIndex * 4 + 1, 'AMF3 traits reference');
    } else {
      if (sealed) {
        if (keys.length > AMF3_MAX_U29 >>> 4) throw new IngestError('ERR_AMF_TOO_LARGE', `AMF3 object: ${keys.length} sealed members exceed the limit of ${AMF3_MAX_U29 >>> 4}`);
        this.u29(keys.length * 16 + 0x03, 'AMF3 traits');
      } else {
        this.u29(0x0b, 'AMF3 traits'); // dynamic, no sealed members
      }
      this.string(className ?? '');
      if (sealed) for (const key of keys) this.string(key);
      this.traits.set(traitsKey, this.traits.size);
    }
    if (sealed) {
      for (const key of keys) this.value(obj[key]);
    } else {
      for (const key of keys) {
        this.string(key);
        this.value(obj[key]);
      }
      this.w.u8(0x01);
    }
    this.leave();
  }
}
