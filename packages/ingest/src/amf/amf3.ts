/** AMF3 entry points: whole values in and out of Buffers. */
import { Amf3Decoder } from './amf3-decoder.js';
import { Amf3Encoder } from './amf3-encoder.js';
import { AmfReader } from './reader.js';
import { AmfWriter } from './writer.js';
import type { AmfValue } from './types.js';

/** Decodes one AMF3 value at `offset` (fresh reference tables); returns it and the offset after it. */
export function decodeAmf3(buf: Buffer, offset = 0): { value: AmfValue; offset: number } {
  const r = new AmfReader(buf, offset);
  const value = new Amf3Decoder(r).value();
  return { value, offset: r.pos };
}

/** Decodes AMF3 values from `offset` to the end of `buf`, sharing one set of reference tables. */
export function decodeAmf3All(buf: Buffer, offset = 0): AmfValue[] {
  const r = new AmfReader(buf, offset);
  const d = new Amf3Decoder(r);
  const values: AmfValue[] = [];
  while (r.remaining() > 0) values.push(d.value());
  return values;
}

/** Encodes values as consecutive AMF3 values sharing one set of reference tables. */
export function encodeAmf3(...values: AmfValue[]): Buffer {
  const w = new AmfWriter();
  const e = new Amf3Encoder(w);
  for (const v of values) e.value(v);
  return w.finish();
}
