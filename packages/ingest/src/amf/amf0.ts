/** AMF0 entry points: whole values in and out of Buffers. */
import { Amf0Decoder } from './amf0-decoder.js';
import { Amf0Encoder } from './amf0-encoder.js';
import { AmfReader } from './reader.js';
import { AmfWriter } from './writer.js';
import type { AmfValue } from './types.js';

/** Decodes one AMF0 value at `offset` (fresh reference tables); returns it and the offset after it. */
export function decodeAmf0(buf: Buffer, offset = 0): { value: AmfValue; offset: number } {
  const r = new AmfReader(buf, offset);
  const value = new Amf0Decoder(r).value();
  return { value, offset: r.pos };
}

/** Decodes AMF0 values from `offset` to the end of `buf`, sharing one set of reference tables (one message). */
export function decodeAmf0All(buf: Buffer, offset = 0): AmfValue[] {
  const r = new AmfReader(buf, offset);
  const d = new Amf0Decoder(r);
  const values: AmfValue[] = [];
  while (r.remaining() > 0) values.push(d.value());
  return values;
}

/** Encodes values as consecutive AMF0 values of one message (shared reference tables). */
export function encodeAmf0(...values: AmfValue[]): Buffer {
  const w = new AmfWriter();
  const e = new Amf0Encoder(w);
  for (const v of values) e.value(v);
  return w.finish();
}
