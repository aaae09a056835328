/**
 * AMF0 encoder ("Action Message Format -- AMF 0", Adobe, December 2007). Objects already written in the
 * same message are written as references (spec 2.9), so shared sub-values stay linear in size and cycles
 * terminate; Uint8Array values go through the AVM+ switch as an AMF3 ByteArray (spec 3.1).
 */
import { IngestError } from '../errors.js';
import { Amf3Encoder } from './amf3-encoder.js';
import { classify } from './classify.js';
import { AMF0_MAX_REFERENCE, AMF_MAX_DEPTH } from './limits.js';
import { Amf0Marker } from './markers.js';
import type { AmfWriter } from './writer.js';
import type { AmfObject, AmfValue } from './types.js';

/** Encodes AMF0 values into an {@link AmfWriter}; one instance per message. */
export class Amf0Encoder {
  private readonly refs = new Map<object, number>();
  private nextRef = 0;
  private depth = 0;
  private amf3: Amf3Encoder | undefined;

  constructor(private readonly w: AmfWriter) {}

  /** Writes one value. */
  value(v: AmfValue): void {
    const w = this.w;
    const k = classify(v, 'AMF0 encode');
    switch (k.kind) {
      case 'undefined':
        return w.u8(Amf0Marker.undefined);
      case 'null':
        return w.u8(Amf0Marker.null);
      case 'boolean':
        w.u8(Amf0Marker.boolean);
        return w.u8(k.value ? 1 : 0);
      case 'number':
        w.u8(Amf0Marker.number);
        return w.f64(k.value);
      case 'string': {
        const n = Buffer.byteLength(k.value, 'utf8');
        if (n <= 0xffff) {
          w.u8(Amf0Marker.string);
          w.u16(n);
        } else {
          if (n > 0xffffffff) throw new IngestError('ERR_AMF_TOO_LARGE', `AMF0 long string of ${n} bytes exceeds the limit of ${0xffffffff}`);
          w.u8(Amf0Marker.longString);
          w.u32(n);
        }
        return w.utf8(k.value, n);
      }
      case 'date':
        w.u8(Amf0Marker.date);
        w.f64(k.value.getTime());
        return w.u16(0); // timezone: "should be set to 0x0000" (spec 2.13)
      case 'bytes':
        w.u8(Amf0Marker.avmPlus);
        this.amf3 ??= new Amf3Encoder(w);
        return this.amf3.value(k.value);
      case 'array':
        if (this.ref(k.value)) return;
        w.u8(Amf0Marker.strictArray);
        w.u32(k.value.length);
        this.enter();
        for (let i = 0; i < k.value.length; i++) this.value(k.value[i]);
        return this.leave();
      case 'ecma': {
        if (this.ref(k.value)) return;
        const keys = Object.keys(k.value);
        w.u8(Amf0Marker.ecmaArray);
        w.u32(keys.length);
        return this.properties(k.value, keys);
      }
      case 'object':
        if (this.ref(k.value)) return;
        if (k.className === undefined) {
          w.u8(Amf0Marker.object);
        } else {
          w.u8(Amf0Marker.typedObject);
          this.shortString(k.className, 'AMF0 typed object class name');
        }
        return this.properties(k.value, Object.keys(k.value));
    }
  }

  /** Writes a reference if `o` was written before; otherwise numbers it as the next complex value. */
  private ref(o: object): boolean {
    const index = this.refs.get(o);
    if (index !== undefined) {
      this.w.u8(Amf0Marker.reference);
      this.w.u16(index);
      return true;
    }
    if (this.nextRef <= AMF0_MAX_REFERENCE) this.refs.set(o, this.nextRef);
    this.nextRef++;
    return false;
  }

  private enter(): void {
    if (++this.depth > AMF_MAX_DEPTH) throw new IngestError('ERR_AMF_DEPTH', `AMF0 encode: nesting deeper than the limit of ${AMF_MAX_DEPTH}`);
  }

  private leave(): void {
    this.depth--;
  }

  /** UTF-8 with a u16 length (spec 1.3), for property names and class names. */
  private shortString(s: string, what: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    if (n > 0xffff) throw new IngestError('ERR_AMF_TOO_LARGE', `${what} of ${n} bytes exceeds the limit of 65535`);
    this.w.u16(n);
    this.w.utf8(s, n);
  }

  /** Name/value pairs then the empty name and object-end (spec 2.5). */
  private properties(obj: AmfObject, keys: readonly string[]): void {
    this.enter();
    for (const key of keys) {
      this.shortString(key, 'AMF0 property name');
      this.value(obj[key]);
    }
    this.w.u16(0);
    this.w.u8(Amf0Marker.objectEnd);
    this.leave();
  }
}
