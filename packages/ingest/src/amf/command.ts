/**
 * Bodies of RTMP AMF3 command (type 17) and AMF3 data (type 15) messages: a format byte 0x00, then AMF0
 * values, any of which may switch to AMF3 with marker 0x11 (RTMP spec 7.1.1; AMF0 spec 3.1). The AMF3
 * reference tables span all switched values of the message (as BlazeDS's Amf0Input keeps one AMF3 input).
 */
import { IngestError } from '../errors.js';
import { decodeAmf0All, encodeAmf0 } from './amf0.js';
import { hexByte } from './markers.js';
import type { AmfValue } from './types.js';

/** The only format byte defined for type 17/15 bodies. */
export const AMF3_COMMAND_FORMAT = 0x00;

/** Decodes a type 17/15 message body into its values; a format byte other than 0x00 is ERR_AMF_UNSUPPORTED. */
export function decodeCommandAmf3(buf: Buffer): AmfValue[] {
  if (buf.length === 0) throw new IngestError('ERR_AMF_TRUNCATED', 'AMF3 command: empty body, the format byte is missing');
  const format = buf[0] as number;
  if (format !== AMF3_COMMAND_FORMAT) {
    throw new IngestError('ERR_AMF_UNSUPPORTED', `AMF3 command: format byte ${hexByte(format)} is not supported (only 0x00 is defined)`);
  }
  return decodeAmf0All(buf, 1);
}

/** Encodes values as a type 17/15 body: the 0x00 format byte, then AMF0 values. */
export function encodeCommandAmf3(...values: AmfValue[]): Buffer {
  return Buffer.concat([Buffer.of(AMF3_COMMAND_FORMAT), encodeAmf0(...values)]);
}
