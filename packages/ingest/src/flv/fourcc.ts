import { IngestError } from '../errors.js';
import { need } from './need.js';

/** Reads the 4-byte FOURCC at `offset` (E-RTMP v2 "Simple Data Types": FOURCC = UI32 of four ASCII chars). */
export function readFourCc(body: Buffer, offset: number): string {
  need(body, offset + 4, 'FourCC');
  return body.toString('latin1', offset, offset + 4);
}

/** Writes a FOURCC at `offset`; throws ERR_FLV_BAD_TAG unless it is exactly 4 one-byte characters (E-RTMP v2). */
export function writeFourCc(target: Buffer, offset: number, fourcc: string): number {
  if (fourcc.length !== 4 || !/^[\x20-\x7e]{4}$/.test(fourcc)) {
    throw new IngestError('ERR_FLV_BAD_TAG', `FourCC ${JSON.stringify(fourcc)} must be 4 printable ASCII characters`);
  }
  target.write(fourcc, offset, 4, 'latin1');
  return offset + 4;
}
