/**
 * AMF3 decoder ("AMF 3 Specification", Adobe, January 2013): one value per call, with the string, object
 * and traits reference tables of one message (spec 2.2).
 */
import { IngestError } from '../errors.js';
import { AmfReader } from './reader.js';
import { Amf3Marker, hexByte } from './markers.js';
import { tagClassName, tagEcmaArray } from './types.js';
import type { AmfObject, AmfValue } from './types.js';

/** Object traits (spec 3.12): class name, sealed member names, dynamic flag. */
interface Traits {
  readonly className: string;
  readonly sealed: readonly string[];
  readonly dynamic: boolean;
}

const UNSUPPORTED: Readonly<Record<number, string>> = {
  [Amf3Marker.vectorInt]: 'Vector.<int>',
  [Amf3Marker.vectorUint]: 'Vector.<uint>',
  [Amf3Marker.vectorDouble]: 'Vector.<Number>',
  [Amf3Marker.vectorObject]: 'Vector.<Object>',
  [Amf3Marker.dictionary]: 'Dictionary',
};

/**
 * Decodes AMF3 values from an {@link AmfReader}; keep one instance per message so references resolve.
 * Vectors and Dictionary (spec 3.15-3.16) throw ERR_AMF_UNSUPPORTED: no RTMP client sends them in commands
 * or metadata, and they would need JS types of their own (Dictionary keys may be objects).
 */
export class Amf3Decoder {
  private readonly strings: string[] = [];
  private readonly objects: AmfValue[] = [];
  private readonly traits: Traits[] = [];

  constructor(private readonly r: AmfReader) {}

  /** Reads one value (spec 3.1: marker then type-specific body). */
  value(): AmfValue {
    const r = this.r;
    const marker = r.u8('AMF3 value marker');
    r.countValue();
    switch (marker) {
      case Amf3Marker.undefined:
        return undefined;
      case Amf3Marker.null:
        return null;
      case Amf3Marker.false:
        return false;
      case Amf3Marker.true:
        return true;
      case Amf3Marker.integer: {
        // spec 3.6: U29 holding a signed 29-bit integer
        const u = this.u29('AMF3 integer');
        return u >= 0x10000000 ? u - 0x20000000 : u;
      }
      case Amf3Marker.double:
        return r.f64('AMF3 double');
      case Amf3Marker.string:
        return this.string('AMF3 string');
      case Amf3Marker.xmlDocument:
        return this.xml('AMF3 XMLDocument');
      case Amf3Marker.xml:
        return this.xml('AMF3 XML');
      case Amf3Marker.date:
        return this.date();
      case Amf3Marker.array:
        return this.array();
      case Amf3Marker.object:
        return this.object();
      case Amf3Marker.byteArray:
        return this.byteArray();
      default: {
        const name = UNSUPPORTED[marker];
        if (name !== undefined) {
          throw new IngestError('ERR_AMF_UNSUPPORTED', `AMF3 ${name} (marker ${hexByte(marker)}) at offset ${r.pos - 1} is not supported`);
        }
        throw new IngestError('ERR_AMF_UNKNOWN_MARKER', `unknown AMF3 marker ${hexByte(marker)} at offset ${r.pos - 1}`);
      }
    }
  }

  /** U29 (spec 1.3.1): 1-4 bytes, 7 bits per byte with a continuation bit, all 8 bits of the fourth. */
  private u29(what: string): number {
    let v = 0;
    for (let i = 0; i < 3; i++) {
      const b = this.r.u8(what);
      v = (v << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) return v;
    }
    return ((v << 8) | this.r.u8(what)) >>> 0;
  }

  private objectRef(index: number, what: string): AmfValue {
    if (index >= this.objects.length) {
      throw new IngestError('ERR_AMF_BAD_REFERENCE', `${what} references object ${index} but only ${this.objects.length} are known`);
    }
    return this.objects[index];
  }

  /** UTF-8-vr (spec 1.3.2): inline string (added to the string table unless empty) or string reference. */
  private string(what: string): string {
    const u = this.u29(`${what} header`);
    const n = u >>> 1;
    if ((u & 1) === 0) {
      const s = this.strings[n];
      if (s === undefined) {
        throw new IngestError('ERR_AMF_BAD_REFERENCE', `${what} references string ${n} but only ${this.strings.length} are known`);
      }
      return s;
    }
    const s = this.r.utf8(n, what);
    if (n > 0) this.strings.push(s);
    return s;
  }

  /** XMLDocument / XML (spec 3.9, 3.13): U29X-value; decoded as a string, kept in the object table. */
  private xml(what: string): AmfValue {
    const u = this.u29(`${what} header`);
    if ((u & 1) === 0) return this.objectRef(u >>> 1, what);
    const s = this.r.utf8(u >>> 1, what);
    this.objects.push(s);
    return s;
  }

  /** Date (spec 3.10): U29D-value then milliseconds since the epoch as a double. */
  private date(): AmfValue {
    const u = this.u29('AMF3 date header');
    if ((u & 1) === 0) return this.objectRef(u >>> 1, 'AMF3 date');
    const d = new Date(this.r.f64('AMF3 date'));
    this.objects.push(d);
    return d;
  }

  /** ByteArray (spec 3.14): U29B-value then the bytes; decoded as a Buffer copy. */
  private byteArray(): AmfValue {
    const u = this.u29('AMF3 ByteArray header');
    if ((u & 1) === 0) return this.objectRef(u >>> 1, 'AMF3 ByteArray');
    const b = this.r.copy(u >>> 1, 'AMF3 ByteArray');
    this.objects.push(b);
    return b;
  }

  /**
   * Array (spec 3.11): U29A-value (dense count), associative name/value pairs up to the empty string, then
   * the dense values. Without associative pairs it is a JS array; with them, an ECMA-array-tagged object
   * holding the pairs and the dense values under "0", "1", ...
   */
  private array(): AmfValue {
    const r = this.r;
    const u = this.u29('AMF3 array header');
    if ((u & 1) === 0) return this.objectRef(u >>> 1, 'AMF3 array');
    const count = u >>> 1;
    r.needItems(count, 1, 'AMF3 array');
    let key = this.string('AMF3 array key');
    if (key === '') {
      const arr: AmfValue[] = [];
      this.objects.push(arr);
      r.enter('AMF3 array');
      for (let i = 0; i < count; i++) arr.push(this.value());
      r.leave();
      return arr;
    }
    const obj = tagEcmaArray(Object.create(null) as AmfObject);
    this.objects.push(obj);
    r.enter('AMF3 array');
    while (key !== '') {
      obj[key] = this.value();
      key = this.string('AMF3 array key');
    }
    for (let i = 0; i < count; i++) obj[String(i)] = this.value();
    r.leave();
    return obj;
  }

  /** Object (spec 3.12): object reference, or traits (inline or by reference), sealed values, dynamic members. */
  private object(): AmfValue {
    const r = this.r;
    const u = this.u29('AMF3 object header');
    if ((u & 1) === 0) return this.objectRef(u >>> 1, 'AMF3 object');
    let traits: Traits | undefined;
    if ((u & 2) === 0) {
      const index = u >>> 2;
      traits = this.traits[index];
      if (traits === undefined) {
        throw new IngestError('ERR_AMF_BAD_REFERENCE', `AMF3 object references traits ${index} but only ${this.traits.length} are known`);
      }
    } else if ((u & 4) !== 0) {
      const className = this.string('AMF3 externalizable class name');
      throw new IngestError('ERR_AMF_UNSUPPORTED', `AMF3 externalizable object (class "${className}") is not supported`);
    } else {
      const count = u >>> 4;
      r.needItems(count, 2, 'AMF3 object traits'); // each sealed member: a name and a value, 1 byte at least
      const className = this.string('AMF3 object class name');
      const sealed: string[] = [];
      for (let i = 0; i < count; i++) sealed.push(this.string('AMF3 sealed member name'));
      traits = { className, sealed, dynamic: (u & 8) !== 0 };
      this.traits.push(traits);
    }
    const obj = Object.create(null) as AmfObject;
    if (traits.className !== '') tagClassName(obj, traits.className);
    this.objects.push(obj);
    r.enter('AMF3 object');
    for (const name of traits.sealed) obj[name] = this.value();
    if (traits.dynamic) {
      for (let key = this.string('AMF3 dynamic member name'); key !== ''; key = this.string('AMF3 dynamic member name')) {
        obj[key] = this.value();
      }
    }
    r.leave();
    return obj;
  }
}
