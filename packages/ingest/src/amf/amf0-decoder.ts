/**
 * AMF0 decoder ("Action Message Format -- AMF 0", Adobe, December 2007), with the AVM+ switch (spec 3.1)
 * to AMF3 for one value.
 */
import { IngestError } from '../errors.js';
import { Amf3Decoder } from './amf3-decoder.js';
import { AmfReader } from './reader.js';
import { Amf0Marker, hexByte } from './markers.js';
import { tagClassName, tagEcmaArray } from './types.js';
import type { AmfObject, AmfValue } from './types.js';

/**
 * Decodes AMF0 values from an {@link AmfReader}. One instance per message: the reference table (spec 2.9)
 * and the AMF3 tables used behind 0x11 switches span every value read through it.
 */
export class Amf0Decoder {
  /** Complex values (object, typed object, ECMA array, strict array) in the order they began (spec 2.9). */
  private readonly refs: AmfValue[] = [];
  private amf3: Amf3Decoder | undefined;

  constructor(private readonly r: AmfReader) {}

  /** Reads one value (spec 2.1: marker then type-specific body). */
  value(): AmfValue {
    const r = this.r;
    const marker = r.u8('AMF0 value marker');
    r.countValue();
    switch (marker) {
      case Amf0Marker.number: // 2.2
        return r.f64('AMF0 number');
      case Amf0Marker.boolean: // 2.3
        return r.u8('AMF0 boolean') !== 0;
      case Amf0Marker.string: // 2.4
        return r.utf8(r.u16('AMF0 string length'), 'AMF0 string');
      case Amf0Marker.object: {
        // 2.5
        const obj = Object.create(null) as AmfObject;
        this.refs.push(obj);
        return this.properties(obj, 'AMF0 object');
      }
      case Amf0Marker.null: // 2.7
        return null;
      case Amf0Marker.undefined: // 2.8
      case Amf0Marker.unsupported: // 2.14: "unsupported" has no JS counterpart other than undefined
        return undefined;
      case Amf0Marker.reference: {
        // 2.9
        const index = r.u16('AMF0 reference');
        if (index >= this.refs.length) {
          throw new IngestError('ERR_AMF_BAD_REFERENCE', `AMF0 reference ${index} at offset ${r.pos - 2} but only ${this.refs.length} complex values precede it`);
        }
        return this.refs[index];
      }
      case Amf0Marker.ecmaArray: {
        // 2.10: the u32 count is advisory (encoders write 0 or an estimate); the object-end marker decides
        r.u32('AMF0 ECMA array count');
        const obj = tagEcmaArray(Object.create(null) as AmfObject);
        this.refs.push(obj);
        return this.properties(obj, 'AMF0 ECMA array');
      }
      case Amf0Marker.strictArray:
        return this.strictArray();
      case Amf0Marker.date: {
        // 2.13: ms since the epoch, then a timezone int16 the spec says to ignore
        const ms = r.f64('AMF0 date');
        r.i16('AMF0 date timezone');
        return new Date(ms);
      }
      case Amf0Marker.longString: // 2.14
        return r.utf8(r.u32('AMF0 long string length'), 'AMF0 long string');
      case Amf0Marker.xmlDocument: // 2.17
        return r.utf8(r.u32('AMF0 XML document length'), 'AMF0 XML document');
      case Amf0Marker.typedObject: {
        // 2.18
        const className = r.utf8(r.u16('AMF0 typed object class name length'), 'AMF0 typed object class name');
        const obj = tagClassName(Object.create(null) as AmfObject, className);
        this.refs.push(obj);
        return this.properties(obj, 'AMF0 typed object');
      }
      case Amf0Marker.avmPlus: // 3.1: the next value is AMF3
        this.amf3 ??= new Amf3Decoder(r);
        return this.amf3.value();
      case Amf0Marker.movieclip:
      case Amf0Marker.recordset:
        throw new IngestError('ERR_AMF_UNSUPPORTED', `AMF0 marker ${hexByte(marker)} at offset ${r.pos - 1} is reserved and not supported`);
      case Amf0Marker.objectEnd:
        throw new IngestError('ERR_AMF_UNKNOWN_MARKER', `AMF0 object-end marker 0x09 at offset ${r.pos - 1} is outside an object`);
      default:
        throw new IngestError('ERR_AMF_UNKNOWN_MARKER', `unknown AMF0 marker ${hexByte(marker)} at offset ${r.pos - 1}`);
    }
  }

  /**
   * Name/value pairs up to the empty name followed by object-end (spec 2.5, 2.11). An empty name followed by
   * any other marker is read as a property named "" (which AS3 objects can have).
   */
  private properties(obj: AmfObject, what: string): AmfObject {
    const r = this.r;
    r.enter(what);
    for (;;) {
      const len = r.u16(`${what} property name length`);
      if (len === 0) {
        r.need(1, `${what} end marker`);
        if (r.peek() === Amf0Marker.objectEnd) {
          r.pos++;
          break;
        }
      }
      const key = r.utf8(len, `${what} property name`);
      obj[key] = this.value();
    }
    r.leave();
    return obj;
  }

  /** Strict array (spec 2.12): u32 count, then that many values. */
  private strictArray(): AmfValue[] {
    const r = this.r;
    const count = r.u32('AMF0 strict array count');
    r.needItems(count, 1, 'AMF0 strict array');
    const arr: AmfValue[] = [];
    this.refs.push(arr);
    r.enter('AMF0 strict array');
    for (let i = 0; i < count; i++) arr.push(this.value());
    r.leave();
    return arr;
  }
}
